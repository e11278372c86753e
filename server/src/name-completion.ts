import { CompletionItemKind, type CompletionItem, type Position } from "vscode-languageserver";
import { displayPath } from "../../runtime/src/file-paths.js";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import type { AnalysisSnapshot } from "./analysis/index.js";

const DEPLOYMENT_BEFORE = /(?:runDeployment\s*\(|\b(?:deployment|deploymentName)\s*:\s*\[?(?:\s*["'][^"']*["']\s*,)*)\s*$/;
const FLOW_BEFORE = /(?:waitForFlow\s*\(|\b(?:flow|flowName)\s*:\s*\[?(?:\s*["'][^"']*["']\s*,)*)\s*$/;

/**
 * Flow or deployment names for the string the cursor is in, when that string names one:
 * `runDeployment("…")`, `waitForFlow("…")`, `flowName: "…"`, `deployment: "…"` and the like.
 * The edit replaces the whole string's content, so `flow-na/` still finds `flow-name/daily`.
 */
export function completeNameAt(api: AnalysisApi, snapshot: AnalysisSnapshot, file: string, text: string, position: Position, offset: number): CompletionItem[] {
  const lineStart = offset - position.character;
  const lineEnd = text.indexOf("\n", offset) === -1 ? text.length : text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd);
  const string = stringAround(line, position.character);
  if (!string) return [];
  const hit = api.nodeAt(snapshot, file, offset);
  const kind = hit?.role === "name" && (hit.kind === "flow" || hit.kind === "deployment") ? hit.kind : DEPLOYMENT_BEFORE.test(line.slice(0, string.open)) ? "deployment" : FLOW_BEFORE.test(line.slice(0, string.open)) ? "flow" : undefined;
  if (!kind) return [];
  const range = { start: { line: position.line, character: string.open + 1 }, end: { line: position.line, character: string.close } };
  return api.completeNames(snapshot, kind).map((n, i) => ({
    label: n.name,
    kind: kind === "flow" ? CompletionItemKind.Function : CompletionItemKind.Event,
    detail: `${kind} · ${displayPath(snapshot.rootDir, n.at.file)}:${n.at.loc.range.start.line + 1}`,
    sortText: String(i).padStart(5, "0"),
    textEdit: { range, newText: n.name },
  }));
}

/** The quote that opens the string around `character` on a line, and where it closes (or the cursor). */
function stringAround(line: string, character: number): { open: number; close: number } | undefined {
  let open = -1;
  let quote = "";
  for (let i = 0; i < character; i++) {
    const c = line[i]!;
    if (open === -1 && (c === '"' || c === "'" || c === "`")) {
      open = i;
      quote = c;
    } else if (open !== -1 && c === "\\") i++;
    else if (open !== -1 && c === quote) open = -1;
  }
  if (open === -1 || quote === "`") return undefined;
  const closeAt = line.indexOf(quote, character);
  return { open, close: closeAt === -1 ? character : closeAt };
}
