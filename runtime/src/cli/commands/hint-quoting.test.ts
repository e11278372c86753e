import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliProcess, CliWorkspace, repoRoot, type CliResult } from "../test-support/cli-workspace.js";

/** Runs a command line through /bin/sh, with a `tributary` on PATH that is the built CLI. */
function runInShell(workspace: CliWorkspace, commandLine: string): Promise<CliResult> {
  const bin = path.join(workspace.dir, ".bin");
  mkdirSync(bin, { recursive: true });
  const shim = path.join(bin, "tributary");
  writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${path.join(repoRoot, "runtime/bin/tributary.js")}' "$@"\n`);
  chmodSync(shim, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_HOME: workspace.home, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
  delete env.TRIBUTARY_API_URL;
  delete env.TRIBUTARY_API_TOKEN;
  return new CliProcess(spawn("/bin/sh", ["-c", commandLine], { cwd: workspace.dir, env, stdio: ["ignore", "pipe", "pipe"] })).result;
}

describe("commands printed as hints are quoted for the shell", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("TRB150's `deployment run` hint for a seed-style name with spaces runs that deployment when pasted into a shell", async () => {
    // The seed names its flows like "Upstream Data Preparation".
    writeFileSync(
      path.join(workspace.dir, "upstream prep.ts"),
      [
        'import { deploy, flow } from "tributaryjs";',
        'export const upstream = flow("Upstream Data Preparation", async () => "prepared");',
        'export const upstreamDeployment = deploy(upstream, { name: "upstream-data-preparation" });',
        "",
      ].join("\n"),
    );
    const check = await workspace.run(["check", "upstream prep.ts"]);
    const hint = /run it by hand with `([^`]+)`/.exec(check.stdout)?.[1];
    assert.equal(hint, "tributary deployment run 'Upstream Data Preparation/upstream-data-preparation'", check.stdout + check.stderr);

    const deploy = await workspace.run(["deploy", "upstream prep.ts"]);
    assert.equal(deploy.code, 0, deploy.stderr);
    const run = await runInShell(workspace, hint);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Flow run \S+ \(Upstream Data Preparation\) Completed in /m);
  });

  it("`tributary run`'s hint naming one of a file's flows quotes a file name with spaces", async () => {
    cpSync(path.join(workspace.dir, "two-flows.ts"), path.join(workspace.dir, "two flows.ts"));
    const result = await workspace.run(["run", "two flows.ts"]);
    assert.equal(result.code, 2, result.stdout);
    const hint = /as in (tributary run .+)\.$/m.exec(result.stderr)?.[1];
    assert.equal(hint, "tributary run 'two flows.ts:extractFlow'", result.stderr);
    const run = await runInShell(workspace, hint);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Flow run \S+ \(extract-flow\) Completed/m);
  });
});
