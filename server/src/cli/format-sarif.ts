import path from "node:path";
import { pathInside, type PathApi } from "../../../runtime/src/file-paths.js";
import { pathToUri } from "../file-uris.js";
import type { Finding, Range, Severity } from "../analysis/index.js";
import { TRB_RULES } from "../analysis/trb-rules.js";

/**
 * Findings as one SARIF 2.1.0 log, for code-scanning upload: a rule per TRB code, results with
 * their rule, level, location and one related location per hop. Artifact URIs are relative to
 * `cwd`, declared as the `%SRCROOT%` base, and escaped (a space, `#` or `%` in a file name); a file
 * outside `cwd` (above it, on another drive) gets its absolute `file:` URI.
 */
export function toSarif(findings: readonly Finding[], cwd: string, toolVersion: string, p: PathApi = path): object {
  const ruleIndex = new Map(TRB_RULES.map((r, i) => [r.id, i]));
  const artifactLocation = (file: string) => {
    const inside = pathInside(cwd, file, p);
    return inside === undefined ? { uri: pathToUri(file, p) } : { uri: inside.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
  };
  const location = (file: string, range: Range) => ({
    physicalLocation: {
      artifactLocation: artifactLocation(file),
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
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToUri(cwd, p).replace(/\/?$/, "/") } },
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
