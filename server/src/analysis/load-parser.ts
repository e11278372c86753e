/**
 * The TypeScript side of the analysis, loaded only when a file must be parsed, an import resolved
 * or a tsconfig read: a warm `tributary check` (every summary and resolution from the cache) never
 * loads the compiler, which costs more than the rest of such a check.
 *
 * In the build, `parser.ts` is a bundle of its own (runtime/dist/analysis/analysis-parser.js, next
 * to analysis-cli.js) holding the compiler; scripts/build.mjs points this `require` at it and
 * refuses to build analysis-cli.js when anything else imports the compiler.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

export type Parser = typeof import("./parser.js");

/** The name of the parser's bundle beside the analysis bundle. */
export const PARSER_BUNDLE = "analysis-parser.js";

let loaded: Parser | undefined;

/** The parser, loaded on first use. */
export function parser(): Parser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (loaded ??= require("./parser.js") as Parser);
}

/** Whether anything loaded the parser yet (tests of the warm path). */
export function parserLoaded(): boolean {
  return loaded !== undefined;
}

let identity: string | undefined;

/**
 * What names this parser without loading it: the size and time of its bundle in the build, or the
 * ts-morph version (and so the TypeScript inside it) when run from source.
 */
export function parserIdentity(): string {
  return (identity ??= readParserIdentity());
}

function readParserIdentity(): string {
  try {
    const info = statSync(path.join(__dirname, PARSER_BUNDLE));
    return `parser bundle ${info.size}:${info.mtimeMs}`;
  } catch {
    // Run from source: no bundle.
  }
  try {
    // Not a literal: the bundler must not follow it (the built analysis has the bundle above).
    const manifestName = ["ts-morph", "package.json"].join("/");
    const manifest = JSON.parse(readFileSync(require.resolve(manifestName), "utf8")) as { version?: unknown };
    return `ts-morph ${String(manifest.version)}`;
  } catch {
    return "parser unknown";
  }
}
