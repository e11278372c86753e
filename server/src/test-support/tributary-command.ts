/** For tests of `tributary check` and `tributary graph`: the real built CLI, run as a user runs it. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { CliProcess } from "../../../runtime/src/cli/test-support/cli-workspace.js";

export const repoRoot = path.resolve(__dirname, "../../..");
const bin = path.join(repoRoot, "runtime/bin/tributary.js");

export interface TributaryResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `tributary <args>` in `cwd` (with `env` added to this process's) and resolves once it has exited, with everything it printed. */
export function tributary(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<TributaryResult> {
  assert.ok(existsSync(path.join(repoRoot, "runtime/dist/analysis/analysis-cli.js")), "Build first: npm run build");
  return new CliProcess(spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })).result;
}
