import { displayPath } from "../../../runtime/src/file-paths.js";
import type { Finding } from "./finding.js";

/** One finding as `tributary check --format json` prints it (DESIGN.md §3): 1-based, `file` relative. */
export interface CheckJsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding["severity"];
  code: string;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
}

/** Findings in the CLI's JSON shape, `file` relative to `cwd` with forward slashes. */
export function toCheckJson(findings: Iterable<Finding>, cwd: string): CheckJsonFinding[] {
  const rel = (file: string) => displayPath(cwd, file);
  return [...findings].map((f) => ({
    file: rel(f.file),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    related: f.related.map((r) => ({ file: rel(r.file), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
  }));
}
