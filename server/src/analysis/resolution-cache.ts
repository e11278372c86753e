/**
 * Import resolutions kept between checks: `.tributary/cache/resolutions/<key>.json` holds what a
 * workspace's module resolver learned (its layout, and each import's target by folder and
 * specifier) with every question it asked of the file system and the answer it got
 * (`recording-file-host.ts`). A later check asks those questions again — a stat or a small read
 * each — and, when every answer is the same, starts its resolver from the stored state: the same
 * imports resolve to the same files without loading the compiler. One answer that differs (a file
 * created where an import looked, a package.json or tsconfig edited) and nothing stored is used.
 *
 * The key names the workspace root, the tsconfig option and this analyser; the entry is signed
 * (`signed-entry.ts`) like the summaries beside it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { analyserIdentity } from "./analyser-identity.js";
import { nodeFileHost, type FileHost } from "./file-host.js";
import { workspaceModuleResolver, type ModuleResolver, type ResolverState } from "./module-resolver.js";
import { answersHold, RecordingFileHost, type HostAnswer } from "./recording-file-host.js";
import { readSignedValue, writeSignedValue } from "./signed-entry.js";

const ENTRY_KIND = { format: "tributary-resolutions", version: 1 };

interface Stored {
  answers: HostAnswer[];
  state: ResolverState;
}

/** Where a workspace's resolutions are kept, beside its summaries. */
export function resolutionCacheDir(workspaceRoot: string): string {
  return path.join(workspaceRoot, ".tributary", "cache", "resolutions");
}

export class ResolutionCache {
  private readonly key: string;
  private readonly host: RecordingFileHost;
  private seedAnswers: HostAnswer[];
  /** The resolver to analyse with: seeded when the stored answers still hold. */
  readonly resolver: ModuleResolver;
  /** Whether the stored resolutions were used. */
  readonly reused: boolean;

  /**
   * @example
   * const resolutions = new ResolutionCache(resolutionCacheDir("/repo"), "/repo", undefined);
   * const project = await loadWorkspace(["/repo"], { rootDir: "/repo", moduleResolver: resolutions.resolver });
   * project.analyze();
   * await resolutions.save();
   */
  constructor(
    readonly dir: string,
    rootDir: string,
    tsconfig: string | false | undefined,
    inner: FileHost = nodeFileHost,
  ) {
    this.key = createHash("sha256").update(analyserIdentity()).update(`\n${path.resolve(rootDir)}\n${String(tsconfig)}`).digest("hex");
    const stored = this.read(inner);
    this.reused = stored !== undefined;
    this.seedAnswers = stored?.answers ?? [];
    this.host = new RecordingFileHost(inner);
    this.resolver = workspaceModuleResolver(path.resolve(rootDir), tsconfig, this.host, stored?.state);
    // Files came or went (the language server): what it resolves from now on rests only on what it asks from now on.
    this.resolver.onClear = () => {
      this.seedAnswers = [];
      this.host.reset();
    };
  }

  /** Every file-system answer what the resolver knows rests on: the stored ones it started from, and those it got since. */
  answers(): HostAnswer[] {
    const answers = new Map(this.seedAnswers);
    for (const [question, answer] of this.host.recorded()) answers.set(question, answer);
    return [...answers];
  }

  /** Writes what the resolver knows now, when it learned anything; true when written. Never throws. */
  async save(): Promise<boolean> {
    if (this.reused && !this.resolver.hasLearned) return false;
    // One that cannot be stored (a value the format has no word for, a read-only folder) is made again next time.
    return writeSignedValue(path.join(this.dir, `${this.key}.json`), ENTRY_KIND, this.key, { answers: this.answers(), state: this.resolver.state() } satisfies Stored);
  }

  private read(host: FileHost): Stored | undefined {
    const accept = (stored: Stored) => Array.isArray(stored.answers) && Array.isArray(stored.state?.resolutions) && answersHold(stored.answers, host);
    return readSignedValue<Stored>(path.join(this.dir, `${this.key}.json`), ENTRY_KIND, this.key, accept);
  }
}
