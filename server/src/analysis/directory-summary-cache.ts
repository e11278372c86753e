/**
 * The summary cache on disk: `.tributary/cache/summaries/<key>.json` under a workspace root, one
 * entry per file text. The key is a sha256 of what a summary depends on: the text, the script kind
 * its extension gives (`.ts`, `.tsx`, `.js`, …: `summarizeFile` parses with that and
 * `ScriptTarget.Latest`, nothing from a tsconfig), and the analyser that made it (the summary
 * format version, the package version, the TypeScript version, and the size and time of the
 * analysis module's own file, so a rebuilt analyser never reads an older one's entries). The path
 * is not in the key: two files with the same text share an entry, and the summary gets its `file`
 * when read.
 *
 * An entry is a header line (format, version, key, a MAC of key and payload) and the payload,
 * written to a temporary file in the same folder and renamed into place, so a reader sees a whole
 * entry or none, whoever else writes at the time (another `tributary check`, the language server).
 * An entry that is truncated, corrupt, stale or foreign fails the header or the MAC or the
 * decoding, and is a miss, written again. The MAC is an HMAC-SHA256 under a secret of this user
 * on this machine ({@link cacheSecret}), kept outside the workspace: entries committed to a
 * repository or written by another user — which could hide a cycle from CI — are never read. The folder is bounded: once it holds more entries than
 * {@link DirectorySummaryCacheOptions.minEntries} and four times the texts this cache loaded, the
 * entries it did not load are removed (and temporary files a killed writer left, after an hour).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { decodeSummary, encodeSummary, SUMMARY_FORMAT_VERSION, type EncodedSummary } from "./summary-codec.js";
import type { FileSummary } from "./file-summary.js";
import type { SummaryCache } from "./summary-cache.js";
import { analyserIdentity } from "./analyser-identity.js";
import { readSignedEntry, writeSignedEntry } from "./signed-entry.js";
import { sourceKindOf } from "./source-kind.js";

const ENTRY_KIND = { format: "tributary-file-summary", version: SUMMARY_FORMAT_VERSION };
const IO_CONCURRENCY = 32;
const SYNC_BATCH = 100;
const STALE_TEMP_MS = 60 * 60 * 1000;

/** Where a workspace's summaries are kept. */
export function summaryCacheDir(workspaceRoot: string): string {
  return path.join(workspaceRoot, ".tributary", "cache", "summaries");
}

export interface DirectorySummaryCacheOptions {
  /**
   * The folder is pruned only above this many entries (and four times the texts loaded), so that
   * checking one file of a workspace does not empty the cache the whole workspace's check filled.
   * @default 1024
   */
  minEntries?: number;
  /**
   * Answer (and keep) any text asked about, reading its entry when asked, not only those `load` was
   * given: for a caller whose every text is read from disk (`tributary check`, where a file the flow
   * files import is read as the analysis goes). The language server leaves it off: an editor's text
   * is never written.
   * @default false
   */
  readOnDemand?: boolean;
  /**
   * Called once, when `load` first finds a text with no entry (so something will have to parse
   * it): `tributary check` starts its parser worker then, and not at all when every text has one.
   * @default undefined
   * @example
   * new DirectorySummaryCache(dir, { onFirstMiss: () => (worker = startParserWorker()) });
   */
  onFirstMiss?: () => void;
  /**
   * `load` only notes the texts, and each entry is read when its text is first asked for (`get`),
   * also after a `flush`: for a project that may never ask for most of them (one whose facts come
   * from the facts cache, `facts-cache.ts`). Which texts have no entry at all `load` learns from
   * one listing of the folder, so `onFirstMiss` and `missing` still hear of them (an entry that is
   * there but does not verify is a miss only when asked for: that text is parsed in process).
   * @default false
   */
  readWhenAsked?: boolean;
}

export class DirectorySummaryCache implements SummaryCache {
  private readonly minEntries: number;
  private readonly readOnDemand: boolean;
  private onFirstMiss: (() => void) | undefined;
  private readonly readWhenAsked: boolean;
  /** Keys `load` was given and that are read only when asked for ({@link DirectorySummaryCacheOptions.readWhenAsked}). */
  private readonly unread = new Set<string>();
  /** Keys `load` was asked for: the stored JSON, or null when there was none (or a bad one). */
  private readonly wanted = new Map<string, EncodedSummary | null>();
  /** Every key loaded: what pruning keeps. */
  private readonly used = new Set<string>();
  private readonly pending = new Map<string, EncodedSummary>();
  /** Summaries parsed by someone else (`parse-in-worker.ts`) for texts that had no entry: answered as they are, and written. */
  private readonly provided = new Map<string, FileSummary>();
  /** Entries decoded ahead of `get` ({@link decodeLoaded}), without their `file`. */
  private readonly decoded = new Map<string, FileSummary>();
  /** The texts `load` was given that had no entry. */
  private readonly absent = new Map<string, { file: string; text: string }>();

  /**
   * @example
   * const cache = new DirectorySummaryCache(summaryCacheDir("/repo"));
   * const project = createAnalysisProject({ rootDir: "/repo", summaryCache: cache });
   */
  constructor(
    readonly dir: string,
    options: DirectorySummaryCacheOptions = {},
  ) {
    const minEntries = options.minEntries ?? 1024;
    if (!Number.isInteger(minEntries) || minEntries < 0) throw new TypeError(`Expected \`minEntries\` to be a non-negative integer, got \`${String(minEntries)}\` (${typeof minEntries}).`);
    this.minEntries = minEntries;
    this.readOnDemand = options.readOnDemand === true;
    this.onFirstMiss = options.onFirstMiss;
    this.readWhenAsked = options.readWhenAsked === true;
  }

  async load(texts: Iterable<{ file: string; text: string }>): Promise<void> {
    const keys = new Map<string, { file: string; text: string }>();
    for (const { file, text } of texts) keys.set(keyOf(file, text), { file, text });
    const toRead = [...keys.keys()].filter((key) => !this.wanted.has(key));
    for (const key of keys.keys()) this.used.add(key);
    if (this.readWhenAsked) {
      const present = listEntries(this.dir);
      for (const key of toRead) {
        if (present.has(key)) this.unread.add(key);
        else this.noteAbsent(key, keys.get(key)!);
      }
      return;
    }
    // Read synchronously, a batch per turn: 500 small files take a fifth of the time they take
    // through fs/promises (a thread-pool round trip for each open, stat, read and close).
    for (let i = 0; i < toRead.length; i += SYNC_BATCH) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const key of toRead.slice(i, i + SYNC_BATCH)) {
        const entry = this.readEntrySync(key);
        if (entry === null) this.noteAbsent(key, keys.get(key)!);
        else this.wanted.set(key, entry);
      }
    }
  }

  private noteAbsent(key: string, text: { file: string; text: string }): void {
    this.wanted.set(key, null);
    this.absent.set(key, text);
    this.onFirstMiss?.();
    this.onFirstMiss = undefined;
  }

  /** The texts `load` found no entry for (one per text), not provided since. */
  missing(): { file: string; text: string }[] {
    return [...this.absent].flatMap(([key, text]) => (this.wanted.get(key) === null && !this.provided.has(key) ? [text] : []));
  }

  /** The summary of a text `load` found no entry for, parsed elsewhere: `get` answers it, `flush` writes it. */
  provide(file: string, text: string, summary: FileSummary): void {
    const key = keyOf(file, text);
    if (this.wanted.get(key) !== null) return;
    try {
      this.pending.set(key, encodeSummary(summary));
      this.provided.set(key, summary);
    } catch {
      // A summary holding something the format has no word for is parsed again next time.
    }
  }

  /**
   * Decodes every entry `load` read, ahead of the analysis (`tributary check` does it while the
   * compiler loads on a worker thread); an entry that does not decode is a miss, as in `get`.
   */
  decodeLoaded(): void {
    for (const [key, stored] of this.wanted) {
      if (stored === null || this.decoded.has(key)) continue;
      try {
        this.decoded.set(key, decodeSummary(stored, ""));
      } catch {
        this.wanted.set(key, null);
      }
    }
  }

  get(file: string, text: string): FileSummary | undefined {
    if (this.wanted.size === 0 && this.unread.size === 0 && !this.readOnDemand) return undefined;
    const key = keyOf(file, text);
    if (this.unread.delete(key)) this.wanted.set(key, this.readEntrySync(key));
    const ready = this.provided.get(key) ?? this.decoded.get(key);
    if (ready) return { ...ready, file };
    if (this.readOnDemand && !this.wanted.has(key)) {
      this.used.add(key);
      this.wanted.set(key, this.readEntrySync(key));
    }
    const stored = this.wanted.get(key);
    if (stored === undefined || stored === null) return undefined;
    try {
      return decodeSummary(stored, file);
    } catch {
      this.wanted.set(key, null);
      return undefined;
    }
  }

  put(file: string, text: string, summary: FileSummary): void {
    if (this.wanted.size === 0 && this.unread.size === 0) return;
    const key = keyOf(file, text);
    if (this.unread.delete(key)) this.wanted.set(key, this.readEntrySync(key));
    if (this.wanted.get(key) !== null) return;
    try {
      const encoded = encodeSummary(summary);
      this.pending.set(key, encoded);
      this.wanted.set(key, encoded);
    } catch {
      // A summary holding something the format has no word for is parsed again next time.
    }
  }

  async flush(): Promise<number> {
    const loaded = [...this.wanted.keys()];
    const writes = [...this.pending];
    this.pending.clear();
    let written = 0;
    try {
      if (writes.length > 0) {
        await mkdir(this.dir, { recursive: true });
        for (let i = 0; i < writes.length; i += IO_CONCURRENCY) {
          const done = await Promise.all(writes.slice(i, i + IO_CONCURRENCY).map(([key, encoded]) => this.writeEntry(key, encoded)));
          written += done.filter(Boolean).length;
        }
      }
      await this.prune();
    } catch {
      // A cache that cannot be written (a read-only folder, a full disk) costs only time.
    }
    // What was loaded has been used: the memory goes back (a later `load` reads it again). Keys
    // not read yet stay noted: their texts may still be asked for.
    for (const key of loaded) this.wanted.delete(key);
    this.provided.clear();
    this.absent.clear();
    this.decoded.clear();
    return written;
  }

  private readEntrySync(key: string): EncodedSummary | null {
    let text: string | undefined;
    try {
      text = readFileSync(this.entryPath(key), "utf8");
    } catch {
      text = undefined;
    }
    return this.parseEntry(key, text);
  }

  private parseEntry(key: string, text: string | undefined): EncodedSummary | null {
    const payload = text === undefined ? undefined : readSignedEntry(text, ENTRY_KIND, key);
    if (payload === undefined) return null;
    try {
      return JSON.parse(payload) as EncodedSummary;
    } catch {
      return null;
    }
  }

  /** True when the entry is in place. */
  private writeEntry(key: string, encoded: EncodedSummary): Promise<boolean> {
    return writeSignedEntry(this.entryPath(key), ENTRY_KIND, key, JSON.stringify(encoded));
  }

  private async prune(): Promise<void> {
    const names = await readdir(this.dir).catch((): string[] => []);
    const entries = names.filter((n) => n.endsWith(".json"));
    if (entries.length > Math.max(this.minEntries, 4 * this.used.size)) {
      const unused = entries.filter((n) => !this.used.has(n.slice(0, -".json".length)));
      await Promise.all(unused.map((n) => rm(path.join(this.dir, n), { force: true }).catch(() => undefined)));
    }
    const now = Date.now();
    for (const name of names.filter((n) => n.endsWith(".tmp"))) {
      const info = await stat(path.join(this.dir, name)).catch(() => undefined);
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(path.join(this.dir, name), { force: true }).catch(() => undefined);
    }
  }

  private entryPath(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}

/** The keys of the entries in `dir`; none when it cannot be read (no cache yet). */
function listEntries(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir).flatMap((name) => (name.endsWith(".json") ? [name.slice(0, -".json".length)] : [])));
  } catch {
    return new Set();
  }
}

function keyOf(file: string, text: string): string {
  return createHash("sha256").update(analyserIdentity()).update(`\n${sourceKindOf(file)}\n`).update(text).digest("hex");
}
