/**
 * Resolved facts kept between starts: `.tributary/cache/facts/<key>.json` holds, for each file of a
 * workspace's last first analysis, its facts (`resolve-file-facts.ts`) with a digest of its text and
 * the digests of every file its resolution read (its `deps`: the files it imports from, re-exports
 * go through, parameter types come from, and those it looked for and did not find). A later
 * analysis uses a file's stored facts only when its text and every one of those files read the same
 * (a missing one still missing) — or, for a project file whose text changed, what other files
 * observe of it (its surface key) did not, the rule an edit in the language server follows — and every import its resolution followed resolves where it did
 * then, as the module resolver already knows it (seeded from `resolution-cache.ts`, whose stored
 * answers are checked against the file system; an import it would have to look up again is a miss).
 * Otherwise the file is resolved, as without the cache. A file whose facts are used is not decoded from the summary
 * cache until something asks for its summary.
 *
 * The key names the workspace root, the tsconfig option and this analyser; the entry is signed
 * (`signed-entry.ts`) like the other caches. One entry per workspace: reading 500 small files costs
 * more than one larger one, and the facts of one start are written once, after its first analysis.
 *
 * Bump {@link FACTS_FORMAT_VERSION} whenever FileFacts' shape or meaning changes.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { analyserIdentity } from "./analyser-identity.js";
import type { FileFacts } from "./file-facts.js";
import type { ModuleTarget } from "./module-resolver.js";
import { readSignedValue, writeSignedValue } from "./signed-entry.js";

export const FACTS_FORMAT_VERSION = 2;

const ENTRY_KIND = { format: "tributary-file-facts", version: FACTS_FORMAT_VERSION };

/** The facts of one file and what they were resolved from. */
export interface StoredFacts {
  /** {@link textDigest} of the file's text. */
  text: string;
  /**
   * Every file the resolution read, with the digest of its text then (null: not found, or not
   * source) and of its surface key (`surface-key.ts`: what other files observe of it; "" when none).
   */
  deps: [file: string, text: string | null, surface: string][];
  /** Every import the resolution followed (specifier, importing file) and where it resolved. */
  resolutions: [specifier: string, fromFile: string, target: ModuleTarget][];
  /** Without the join's memos and the edge indexes (`indexEdges` rebuilds them). */
  facts: FileFacts;
}

interface Stored {
  files: [file: string, facts: StoredFacts][];
}

/** A digest of a file's text, as the facts cache compares them. */
export function textDigest(text: string): string {
  return createHash("sha256").update(text).digest("base64");
}

/** Where a workspace's resolved facts are kept, beside its summaries. */
export function factsCacheDir(workspaceRoot: string): string {
  return path.join(workspaceRoot, ".tributary", "cache", "facts");
}

export class FactsCache {
  private readonly key: string;
  private readonly stored: Map<string, StoredFacts>;
  private readonly kept = new Map<string, StoredFacts>();
  private changed = false;

  /**
   * @example
   * const facts = new FactsCache(factsCacheDir("/repo"), "/repo", undefined);
   * const project = createAnalysisProject({ rootDir: "/repo", factsCache: facts, summaryCache, moduleResolver: resolutions.resolver });
   * project.analyze();
   * await facts.save();
   */
  constructor(
    readonly dir: string,
    rootDir: string,
    tsconfig: string | false | undefined,
  ) {
    this.key = createHash("sha256").update(analyserIdentity()).update(`\nfacts ${FACTS_FORMAT_VERSION}\n${path.resolve(rootDir)}\n${String(tsconfig)}`).digest("hex");
    const accept = (value: Stored) => Array.isArray(value.files) && value.files.every(([, e]) => typeof e?.text === "string" && Array.isArray(e.deps) && Array.isArray(e.resolutions) && Array.isArray(e.facts?.edges));
    this.stored = new Map(readSignedValue<Stored>(this.file(), ENTRY_KIND, this.key, accept)?.files ?? []);
  }

  /** Whether any facts were stored (a project then asks for few summaries). */
  get hasStored(): boolean {
    return this.stored.size > 0;
  }

  /** The facts stored for `file` (the caller checks the digests). */
  lookup(file: string): StoredFacts | undefined {
    return this.stored.get(file);
  }

  /**
   * Keeps a file's facts for {@link save}: `fresh` when just resolved (the entry is then written),
   * otherwise the stored ones, used again.
   */
  keep(file: string, entry: StoredFacts, fresh: boolean): void {
    this.kept.set(file, entry);
    if (fresh) this.changed = true;
  }

  /** Writes what was kept, when any of it is new; true when written. Never throws. */
  async save(): Promise<boolean> {
    if (!this.changed) return false;
    this.changed = false;
    // Encoding every file's facts takes a while: after what the caller does next (publishing the findings).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const files = [...this.kept].map(([file, entry]): [string, StoredFacts] => [file, { ...entry, facts: storable(entry.facts) }]);
    // Kept for one write: later edits (the language server) are not stored, and their facts not held here.
    this.kept.clear();
    // Facts holding a value the format has no word for, or a folder that cannot be written: resolved again next time.
    return writeSignedValue(this.file(), ENTRY_KIND, this.key, { files } satisfies Stored);
  }

  private file(): string {
    return path.join(this.dir, `${this.key}.json`);
  }
}

/**
 * The facts without what the join adds (memos holding other files' facts and graph objects) and
 * without the edge indexes, which hold the same edge objects as `edges` (stored once, indexed again).
 */
function storable(facts: FileFacts): FileFacts {
  const { expanded: _expanded, graphParts: _graphParts, ...rest } = facts;
  return { ...rest, contextEdges: new Map(), otherEdges: [] };
}
