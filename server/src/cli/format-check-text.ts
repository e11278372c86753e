import { displayPath } from "../../../runtime/src/file-paths.js";
import type { Finding } from "../analysis/index.js";

/**
 * Findings as a compiler prints them: `file:line:col - error TRB100: message`, one indented line
 * per related place, then a summary. Files are relative to `cwd`; lines and columns 1-based.
 */
export function formatCheckText(findings: readonly Finding[], fileCount: number, cwd: string): string {
  const rel = (file: string) => displayPath(cwd, file);
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${rel(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} - ${f.severity} ${f.code}: ${f.message}`);
    for (const r of f.related) lines.push(`    ${rel(r.file)}:${r.range.start.line + 1}:${r.range.start.character + 1} - ${r.message}`);
  }
  if (lines.length > 0) lines.push("");
  lines.push(summary(findings, fileCount));
  return `${lines.join("\n")}\n`;
}

function summary(findings: readonly Finding[], fileCount: number): string {
  const checked = `${fileCount} flow ${fileCount === 1 ? "file" : "files"}`;
  if (fileCount === 0) return `No flow files found (files that import "tributaryjs").`;
  if (findings.length === 0) return `No problems found in ${checked}.`;
  const count = (severity: Finding["severity"], word: string) => {
    const n = findings.filter((f) => f.severity === severity).length;
    return n === 0 ? [] : [`${n} ${word}${n === 1 ? "" : "s"}`];
  };
  const parts = [...count("error", "error"), ...count("warning", "warning"), ...count("information", "note"), ...count("hint", "hint")];
  const files = new Set(findings.map((f) => f.file)).size;
  return `Found ${parts.join(", ")} in ${files} of ${checked}.`;
}
