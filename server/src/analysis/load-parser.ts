/**
 * The TypeScript side of the analysis, loaded only when a file must be parsed, an import resolved
 * or a tsconfig read: a warm `tributary check` (every summary and resolution from the cache) never
 * loads the compiler, which costs more than the rest of such a check.
 *
 * In the build, `parser.ts` is a bundle of its own (runtime/dist/analysis/analysis-parser.js, next
 * to analysis-cli.js) holding the compiler; scripts/build.mjs points this `require` at it and
 * refuses to build analysis-cli.js when anything else imports the compiler. There it is loaded
 * with V8's code cache (`code-cache.ts`), which takes about 40% of its load time away.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { loadWithCodeCache, type CodeCacheUse } from "./code-cache.js";

export type Parser = typeof import("./parser.js");

/** The name of the parser's bundle beside the analysis bundle. */
export const PARSER_BUNDLE = "analysis-parser.js";

/** The bundle of the parser's worker thread (`parser-worker.ts`) beside the analysis bundle. */
export const PARSER_WORKER_BUNDLE = "analysis-parser-worker.js";

let loaded: Parser | undefined;
let loadedCodeCache: CodeCacheUse | undefined;

/** The parser, loaded on first use. */
export function parser(): Parser {
  return (loaded ??= loadParser());
}

function loadParser(): Parser {
  const bundle = path.join(__dirname, PARSER_BUNDLE);
  if (!existsSync(bundle)) {
    // Run from source: the compiler comes from node_modules, without a code cache.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    return require("./parser.js") as Parser;
  }
  const module = loadWithCodeCache<Parser>(bundle);
  loadedCodeCache = module.codeCache;
  // The cache is made once the parser has done its first piece of work (the rest of this turn of
  // the event loop), so that it holds the functions parsing compiled, not only the top level.
  if (module.codeCache === "missing" || module.codeCache === "rejected") setImmediate(() => module.save()).unref();
  return module.exports;
}

/** Whether anything loaded the parser yet (tests of the warm path). */
export function parserLoaded(): boolean {
  return loaded !== undefined;
}

/** How the parser's load in this thread used its code cache; undefined when it was not loaded, or run from source. */
export function parserCodeCache(): CodeCacheUse | undefined {
  return loadedCodeCache;
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
