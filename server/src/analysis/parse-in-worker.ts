/**
 * Parses files on another thread while this one reads the caches: loading the TypeScript compiler
 * costs more than anything else a check does after one file changed, and it need not wait. Only
 * where the parser is a bundle of its own (the build: `analysis-parser.js`, loaded on the worker by
 * `analysis-parser-worker.js` with its code cache); from source, undefined, and files are parsed in
 * process as the analysis reaches them.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { CodeCacheUse } from "./code-cache.js";
import type { FileSummary } from "./file-summary.js";
import { PARSER_BUNDLE, PARSER_WORKER_BUNDLE } from "./load-parser.js";
import type { ParserWorkerMessage, ParseRequest } from "./parser-worker.js";

export interface ParserWorker {
  /** The summaries of these texts (a text the analyser failed on is left out: it is parsed again in process, where the failure is reported). */
  parse(texts: { file: string; text: string }[]): Promise<Map<string, FileSummary>>;
  /** How the worker's load of the parser used the code cache; undefined until it has loaded. */
  codeCache(): CodeCacheUse | undefined;
  /** Stops the worker (when nothing was left to parse, before it finished loading). */
  close(): Promise<void>;
}

/** A worker loading the parser now, or undefined when the parser is not a bundle of its own. */
export function startParserWorker(): ParserWorker | undefined {
  const entry = path.join(__dirname, PARSER_WORKER_BUNDLE);
  if (!existsSync(entry) || !existsSync(path.join(__dirname, PARSER_BUNDLE))) return undefined;
  const worker = new Worker(entry);
  let failed: Error | undefined;
  let codeCache: CodeCacheUse | undefined;
  worker.on("error", (error) => (failed = error));
  worker.on("message", (message: ParserWorkerMessage) => {
    if (message.kind === "loaded") codeCache = message.codeCache;
  });
  return {
    parse(texts) {
      if (texts.length === 0) return Promise.resolve(new Map());
      return new Promise((resolve) => {
        const done = (message: Extract<ParserWorkerMessage, { kind: "parsed" }> | undefined) => {
          worker.off("message", onMessage);
          worker.off("error", onError);
          worker.off("exit", onExit);
          resolve(new Map((message?.answers ?? []).flatMap((a) => ("summary" in a ? [[a.file, a.summary] as const] : []))));
        };
        const onMessage = (message: ParserWorkerMessage) => {
          if (message.kind === "parsed") done(message);
        };
        // A worker that fails parses nothing: the analysis parses those files itself.
        const onError = () => done(undefined);
        const onExit = () => done(undefined);
        if (failed) return done(undefined);
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.on("exit", onExit);
        worker.postMessage({ texts } satisfies ParseRequest);
      });
    },
    codeCache: () => codeCache,
    async close() {
      await worker.terminate();
    },
  };
}
