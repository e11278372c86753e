/**
 * The last result of `tributary check` on a workspace: `.tributary/cache/results/<key>.json` holds
 * the findings (after the config's rules) with what they were computed from — a digest of every
 * file the discovery read (`InputDigest`: paths and texts) and every question the analysis asked of
 * the file system beyond them, with its answer (`RecordingFileHost`: files an import reached,
 * package.json and tsconfig texts, where each import resolved). A check whose discovery reads the
 * same digest, and whose file system answers every question the same, has the same findings: it
 * prints them without parsing or analysing anything. Anything else is a miss, and the analysis
 * runs (from the summary and resolution caches) and stores its result for the next check.
 *
 * The key names the workspace root, the paths checked, the tsconfig option, the project config and
 * this analyser; the entry is signed (`signed-entry.ts`) like the other caches.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { analyserIdentity } from "./analyser-identity.js";
import type { FileHost } from "./file-host.js";
import type { Finding } from "./finding.js";
import { answersHold, type HostAnswer } from "./recording-file-host.js";
import { readSignedValue, writeSignedValue } from "./signed-entry.js";

const ENTRY_KIND = { format: "tributary-check-result", version: 1 };

/** What a check found and said. */
export interface CheckResult {
  findings: Finding[];
  /** How many flow files were checked. */
  fileCount: number;
  /** What the check said on stderr besides its findings: files it could not analyse, workspace files it could not read. */
  notes: { file: string; message: string; kind: "failure" | "workspace" }[];
}

interface Stored {
  inputs: string;
  answers: HostAnswer[];
  result: CheckResult;
}

/** Where a workspace's check results are kept, beside its summaries. */
export function checkResultCacheDir(workspaceRoot: string): string {
  return path.join(workspaceRoot, ".tributary", "cache", "results");
}

export class CheckResultCache {
  private readonly key: string;

  /** @param scope what else the result depends on: the root, the paths checked, the tsconfig option, the project config */
  constructor(
    readonly dir: string,
    scope: readonly string[],
  ) {
    const hash = createHash("sha256").update(analyserIdentity());
    for (const part of scope) hash.update(`\n${part.length}:${part}`);
    this.key = hash.digest("hex");
  }

  /** The stored result, when it was computed from these inputs and every answer it rests on still holds. */
  lookup(inputs: string, host: FileHost): CheckResult | undefined {
    const accept = (stored: Stored) => stored.inputs === inputs && Array.isArray(stored.answers) && Array.isArray(stored.result?.findings) && answersHold(stored.answers, host);
    return readSignedValue<Stored>(this.file(), ENTRY_KIND, this.key, accept)?.result;
  }

  /** Stores a result with its inputs and answers; true when written. Never throws. */
  async save(inputs: string, answers: HostAnswer[], result: CheckResult): Promise<boolean> {
    return writeSignedValue(this.file(), ENTRY_KIND, this.key, { inputs, answers, result } satisfies Stored);
  }

  private file(): string {
    return path.join(this.dir, `${this.key}.json`);
  }
}
