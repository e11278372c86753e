/** For tests of `tributary check` and `tributary graph`: the real built CLI, run as a user runs it. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isInsideDir } from "../../../runtime/src/file-paths.js";
import { CliProcess } from "../../../runtime/src/cli/test-support/cli-workspace.js";

export const repoRoot = path.resolve(__dirname, "../../..");
const bin = path.join(repoRoot, "runtime/bin/tributary.js");

export interface TributaryResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let fixtureCaches: string | undefined;

/**
 * Runs `tributary <args>` in `cwd` (with `env` added to this process's) and resolves once it has
 * exited, with everything it printed. A check run in the repository (its fixtures, examples)
 * keeps its caches in a folder of this test process, not in the repository, so that every test
 * run analyses them afresh and no fixture copy carries a cache along.
 */
export function tributary(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<TributaryResult> {
  assert.ok(existsSync(path.join(repoRoot, "runtime/dist/analysis/analysis-cli.js")), "Build first: npm run build");
  const inRepository = isInsideDir(path.resolve(cwd), repoRoot);
  if (inRepository) fixtureCaches ??= mkdtempSync(path.join(os.tmpdir(), "tributary-test-caches-"));
  const caches = inRepository ? { TRIBUTARY_CACHE_DIR: fixtureCaches } : {};
  return new CliProcess(spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...caches, ...env }, stdio: ["ignore", "pipe", "pipe"] })).result;
}

process.on("exit", () => {
  if (fixtureCaches) rmSync(fixtureCaches, { recursive: true, force: true });
});
