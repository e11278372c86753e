import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding, Range, Severity } from "../analysis/index.js";
import { TRB_RULES } from "../analysis/trb-rules.js";

/**
 * Findings as one SARIF 2.1.0 log, for code-scanning upload: a rule per TRB code, results with
 * their rule, level, location and one related location per hop. Artifact URIs are relative to
 * `cwd`, declared as the `%SRCROOT%` base.
 */
export function toSarif(findings: readonly Finding[], cwd: string, toolVersion: string): object {
  const ruleIndex = new Map(TRB_RULES.map((r, i) => [r.id, i]));
  const location = (file: string, range: Range) => ({
    physicalLocation: {
      artifactLocation: { uri: path.relative(cwd, file).split(path.sep).join("/"), uriBaseId: "%SRCROOT%" },
      region: { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 },
    },
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "tributary",
            version: toolVersion,
            rules: TRB_RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, "/")}` } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ...(ruleIndex.has(f.code) ? { ruleIndex: ruleIndex.get(f.code) } : {}),
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [location(f.file, f.range)],
          relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r.file, r.range), message: { text: r.message } })),
        })),
      },
    ],
  };
}

function sarifLevel(severity: Severity): "error" | "warning" | "note" {
  return severity === "error" ? "error" : severity === "warning" ? "warning" : "note";
}
