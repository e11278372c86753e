import type { FileSummary } from "./file-summary.js";

/**
 * Where a project finds the summaries of file texts it has summarised before, and keeps the ones it
 * parses (`directory-summary-cache.ts` keeps them on disk, under `.tributary/cache/`). A summary
 * depends on the file's text and its extension only (`summarize-file.ts` reads no other file and
 * no type checker), so a text seen before needs no parse.
 *
 * Analysis stays synchronous: `load` reads the entries of the texts a project is about to get,
 * `flush` writes what was parsed, and `get`/`put` do no I/O — except in a cache made with
 * `readOnDemand` (`tributary check`, whose every text comes from disk), where `get` reads the one
 * entry of a text it was not loaded with. Otherwise only texts given to `load` are ever answered or
 * written: the language server loads the texts it read from disk, never an editor's.
 */
export interface SummaryCache {
  /** Reads the stored summaries of these texts; a text with none is written at the next `flush` once parsed. */
  load(texts: Iterable<{ file: string; text: string }>): Promise<void>;
  /** The stored summary of this text, or undefined. */
  get(file: string, text: string): FileSummary | undefined;
  /** A summary just parsed from this text: kept for `flush` when `load` was asked for the text and found none. */
  put(file: string, text: string, summary: FileSummary): void;
  /** Writes what `put` kept; resolves to how many entries were written (older copies: nothing). Never throws: the cache only ever saves time. */
  flush(): Promise<number | void>;
}
