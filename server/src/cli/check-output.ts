/**
 * What `tributary check` prints once it has a result, whoever computed it (the CLI in its process,
 * or the check service): the notes on stderr, the findings in the chosen format on stdout, and the
 * exit code. One function, so both print the same bytes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { toCheckJson, type CheckResult } from "../analysis/index.js";
import { formatCheckText } from "./format-check-text.js";
import { toSarif } from "./format-sarif.js";

export const CHECK_FORMATS = ["text", "json", "sarif"] as const;

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Where a check writes, and from which folder its paths are shown. */
export interface CheckOutput {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The message for a format `check` does not print, or undefined for a good one. */
export function badCheckFormat(format: string): string | undefined {
  return (CHECK_FORMATS as readonly string[]).includes(format) ? undefined : `Unknown format "${format}" for check; use text, json or sarif.`;
}

/** Prints `result`; exit 1 when an error is found, 0 otherwise (warnings and hints allowed). */
export function printCheckResult(result: CheckResult, format: string, output: CheckOutput): number {
  const { findings, fileCount, notes } = result;
  for (const note of notes) output.stderr.write(describeNote(note, output.cwd));
  if (format === "json") output.stdout.write(`${JSON.stringify(toCheckJson(findings, output.cwd), null, 2)}\n`);
  else if (format === "sarif") output.stdout.write(`${JSON.stringify(toSarif(findings, output.cwd, toolVersion()), null, 2)}\n`);
  else output.stdout.write(formatCheckText(findings, fileCount, output.cwd));
  return findings.some((f) => f.severity === "error") ? EXIT.findings : EXIT.ok;
}

export function describeNote(note: CheckResult["notes"][number], cwd: string): string {
  const shown = path.relative(cwd, note.file) || note.file;
  // A file the analyser failed on still lets the rest be checked; a broken package.json of the workspace costs what it declares, never the check.
  return note.kind === "failure" ? `tributary: could not analyse ${shown} (${note.message}); please report it.\n` : `tributary: ${shown}: ${note.message}\n`;
}

export function usage(output: Pick<CheckOutput, "stderr">, message: string): number {
  output.stderr.write(`tributary: ${message}\n`);
  return EXIT.usage;
}

function toolVersion(): string {
  try {
    // Built into runtime/dist/analysis, two folders below the package.json of tributaryjs.
    return (JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
