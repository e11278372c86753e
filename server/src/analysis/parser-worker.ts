/**
 * The parser's worker thread (`parse-in-worker.ts` starts it), built as a small bundle of its own
 * (runtime/dist/analysis/analysis-parser-worker.js) so that it can load the parser bundle beside it
 * with the code cache (`code-cache.ts`) as the main thread does. It says how that load went, then
 * answers each request with the summaries of the texts it was sent.
 */
import path from "node:path";
import { parentPort } from "node:worker_threads";
import { loadWithCodeCache, type CodeCacheUse } from "./code-cache.js";
import type { FileSummary } from "./file-summary.js";
import { PARSER_BUNDLE, type Parser } from "./load-parser.js";

/** What the worker is sent: texts to parse. */
export interface ParseRequest {
  texts: { file: string; text: string }[];
}

/** A text's summary, or why the analyser failed on it. */
export type ParseAnswer = { file: string; summary: FileSummary } | { file: string; error: string };

/** What the worker sends: first how it loaded the parser, then one list of answers per request. */
export type ParserWorkerMessage = { kind: "loaded"; codeCache: CodeCacheUse } | { kind: "parsed"; answers: ParseAnswer[] };

const port = parentPort;
if (port) {
  const module = loadWithCodeCache<Parser>(path.join(__dirname, PARSER_BUNDLE));
  port.postMessage({ kind: "loaded", codeCache: module.codeCache } satisfies ParserWorkerMessage);
  port.on("message", (request: ParseRequest) => {
    const answers = request.texts.map(({ file, text }): ParseAnswer => {
      try {
        return { file, summary: module.exports.summarizeFile(file, text) };
      } catch (error) {
        return { file, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    });
    // Before answering (the check ends the worker then), and once it has parsed: a cache made now
    // holds the parsing functions too. Once per bundle and Node version; a no-op after a read.
    module.save();
    port.postMessage({ kind: "parsed", answers } satisfies ParserWorkerMessage);
  });
}
