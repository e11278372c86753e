/** How a file's extension says to parse it: the script kind `summarize-file.ts` gives the parser. */
export type SourceKind = "ts" | "tsx" | "js" | "jsx";

const KINDS: Record<string, SourceKind> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" };

/** The kind of `file` by its extension; TypeScript for any other. */
export function sourceKindOf(file: string): SourceKind {
  return KINDS[file.slice(file.lastIndexOf("."))] ?? "ts";
}
