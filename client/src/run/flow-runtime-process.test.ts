/**
 * The runtime choice with real processes: real Node binaries probed as if each were VS Code's
 * `process.execPath` (spawned with ELECTRON_RUN_AS_NODE=1, which plain Node ignores: what is tested
 * is the spawn path), and a real flow run through the built CLI on the runtime chosen.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CliProcess, CliWorkspace, repoRoot } from "../../../runtime/src/cli/test-support/cli-workspace.js";
import { removeWorkspace } from "../../../runtime/src/test-support/remove-workspace.js";
import { findOnPath, isExecutableFile } from "./find-on-path.js";
import { betterSqlite3Built, chooseFlowRuntime, type CopyFacts, type FlowRuntime } from "./flow-runtime-choice.js";
import { probeNode } from "./node-probe.js";
import { spawnOnRuntime } from "./spawn-on-runtime.js";

const CLI = path.join(repoRoot, "runtime", "dist", "cli", "main.js");
const RUNTIME_ROOT = path.join(repoRoot, "runtime");

/** Every Node binary at hand with its version: this one, those scripts/install-node.mjs installed, and `node` on the PATH. */
function nodesAtHand(): { file: string; version: string }[] {
  const cache = path.join(repoRoot, ".cache");
  const cached = existsSync(cache) ? readdirSync(cache).filter((name) => /^node-\d+$/.test(name)).map((name) => path.join(cache, name, "bin", "node")) : [];
  const onPath = findOnPath("node", { env: process.env, platform: process.platform, isExecutable: isExecutableFile });
  const files = [...new Set([process.execPath, ...cached, ...(onPath ? [onPath] : [])])].filter((file) => existsSync(file));
  return files.map((file) => ({ file, version: spawnSync(file, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim() }));
}

const nodes = nodesAtHand();
const major = (version: string) => Number(version.split(".")[0]);
/** A Node without node:sqlite (the system's Node 20 here). */
const oldNode = nodes.find((n) => major(n.version) === 20);
/** A Node with node:sqlite without a flag. */
const currentNode = nodes.find((n) => major(n.version) >= 24) ?? nodes.find((n) => n.version.startsWith("22.") && Number(n.version.split(".")[1]) >= 13);
const NO_OLD = "no Node 20 at hand (this Node, .cache/node-*, PATH)";
const NO_CURRENT = "no Node 22.13+ at hand: run node scripts/install-node.mjs 24";
const BUNDLED: CopyFacts = { source: "bundled", betterSqlite3: false };

describe("probeNode with real executables", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-probe-"));
  after(() => removeWorkspace(dir));

  it("finds no node:sqlite in Node 20, run as VS Code's runtime would be", { skip: oldNode ? false : NO_OLD }, async () => {
    const probe = await probeNode(oldNode!.file, { ...process.env, ELECTRON_RUN_AS_NODE: "1" });
    assert.deepEqual(probe, { ok: true, node: oldNode!.version, nodeSqlite: false });
  });

  it("finds node:sqlite in Node 22.13+/24, run as VS Code's runtime would be", { skip: currentNode ? false : NO_CURRENT }, async () => {
    const probe = await probeNode(currentNode!.file, { ...process.env, ELECTRON_RUN_AS_NODE: "1" });
    assert.deepEqual(probe, { ok: true, node: currentNode!.version, nodeSqlite: true });
  });

  it("says why an executable that is not Node did not answer, or did not start", { skip: process.platform === "win32" ? "POSIX shell scripts" : false }, async () => {
    const notNode = path.join(dir, "not-node");
    writeFileSync(notNode, "#!/bin/sh\necho 'this is not node' >&2\nexit 3\n");
    chmodSync(notNode, 0o755);
    assert.deepEqual(await probeNode(notNode, process.env), { ok: false, problem: "it exited with code 3: this is not node" });
    const notExecutable = path.join(dir, "plain");
    writeFileSync(notExecutable, "");
    const refused = await probeNode(notExecutable, process.env);
    assert.ok(!refused.ok);
    assert.match(refused.problem, /EACCES/);
  });
});

describe("flows on the runtime chosen, through the built CLI", () => {
  let workspace: CliWorkspace;
  /** A PATH with no node in it. */
  let emptyBin: string;
  before(() => {
    workspace = new CliWorkspace();
    emptyBin = path.join(workspace.dir, ".empty-bin");
    mkdirSync(emptyBin);
  });
  after(() => workspace.dispose());

  /** The choice on a machine whose PATH holds no node and whose VS Code runtime is `execPath`. */
  const choose = (execPath: string, copy: CopyFacts, pathDirs: string[] = [emptyBin]) =>
    chooseFlowRuntime({
      nodePath: undefined,
      lookup: { env: { ...process.env, PATH: pathDirs.join(path.delimiter) }, platform: process.platform, isExecutable: isExecutableFile },
      exists: existsSync,
      execPath,
      copy,
      probe: probeNode,
    });

  const env = (): NodeJS.ProcessEnv => {
    const result: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_HOME: workspace.home, NO_COLOR: "1", PATH: emptyBin };
    delete result.TRIBUTARY_API_URL;
    delete result.TRIBUTARY_API_TOKEN;
    return result;
  };

  const runFlow = async (runtime: FlowRuntime) => {
    const result = await new CliProcess(spawnOnRuntime(runtime, CLI, ["run", "completing-flow.ts", "--json"], { cwd: workspace.dir, env: env(), stdio: ["ignore", "pipe", "pipe"] })).result;
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as { state: { type: string }; taskRuns: unknown[]; subflowRuns: unknown[] };
  };

  it("runs a flow with the bundled copy on VS Code's runtime when it is Node 24 and no node is on the PATH", { skip: currentNode ? false : NO_CURRENT }, async () => {
    const choice = await choose(currentNode!.file, BUNDLED);
    assert.ok(choice.ok, choice.ok ? "" : choice.message);
    assert.deepEqual([choice.runtime.source, choice.runtime.command, choice.runtime.env, choice.runtime.driver], ["vscode", currentNode!.file, { ELECTRON_RUN_AS_NODE: "1" }, "node:sqlite"]);
    assert.equal(choice.runtime.label, `VS Code's runtime (Node ${currentNode!.version})`);
    const run = await runFlow(choice.runtime);
    assert.equal(run.state.type, "COMPLETED");
    assert.deepEqual([run.taskRuns.length, run.subflowRuns.length], [2, 1]);
  });

  it("starts the local server on that runtime, which stops when its stdin closes", { skip: currentNode ? false : NO_CURRENT }, async () => {
    const choice = await choose(currentNode!.file, BUNDLED);
    assert.ok(choice.ok);
    const server = new CliProcess(spawnOnRuntime(choice.runtime, CLI, ["server", "start", "--port", "0", "--exit-with-parent"], { cwd: workspace.dir, env: env(), stdio: ["pipe", "pipe", "pipe"] }));
    await server.waitForLine(/listening on http:\/\/127\.0\.0\.1:\d+/);
    server.child.stdin!.end();
    assert.equal((await server.result).code, 0);
  });

  it("says which Node to install when VS Code's runtime is Node 20, no node is on the PATH and the copy is the bundled one", { skip: oldNode ? false : NO_OLD }, async () => {
    const choice = await choose(oldNode!.file, BUNDLED);
    assert.ok(!choice.ok);
    assert.equal(
      choice.message,
      `Tributary found no Node.js to run flows and the local server with: there is no node on the PATH; VS Code's runtime is Node ${oldNode!.version}, which has no node:sqlite. ` +
        "Install Node.js 22.13 or later (24 LTS recommended) or set tributary.nodePath to one.",
    );
  });

  it("prefers node on the PATH to VS Code's runtime", { skip: currentNode && oldNode ? false : `${NO_OLD}, or ${NO_CURRENT}` }, async () => {
    const choice = await choose(oldNode!.file, BUNDLED, [emptyBin, path.dirname(currentNode!.file)]);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.label, `Node ${currentNode!.version} from the PATH (${currentNode!.file})`);
    assert.equal((await runFlow(choice.runtime)).state.type, "COMPLETED");
  });

  const workspaceCopy: CopyFacts = { source: "workspace", betterSqlite3: betterSqlite3Built(RUNTIME_ROOT, existsSync) };
  const builtForOldNode = oldNode !== undefined && workspaceCopy.betterSqlite3 && spawnSync(oldNode.file, ["-e", "new (require('better-sqlite3'))(':memory:').close()"], { cwd: RUNTIME_ROOT }).status === 0;
  it("runs the workspace's copy on Node 20 from the PATH with its better-sqlite3", { skip: builtForOldNode ? false : "better-sqlite3 in node_modules is not built for a Node 20 at hand (npm ci on Node 20 builds it)" }, async () => {
    const choice = await choose(process.execPath, workspaceCopy, [path.dirname(oldNode!.file)]);
    assert.ok(choice.ok, choice.ok ? "" : choice.message);
    assert.deepEqual([choice.runtime.source, choice.runtime.driver], ["path", "better-sqlite3"]);
    assert.equal((await runFlow(choice.runtime)).state.type, "COMPLETED");
  });
});
