import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { removeWorkspace } from "../../../runtime/src/test-support/remove-workspace.js";
import { betterSqlite3Built, chooseFlowRuntime, sqliteBehindFlag, type ChoiceInput, type CopyFacts } from "./flow-runtime-choice.js";
import type { NodeProbe } from "./node-probe.js";

const CODE = "/usr/share/code/code";
const BUNDLED: CopyFacts = { source: "bundled", betterSqlite3: false };

/**
 * A machine described as data: the executables on it and what each answers to the probe (keyed by
 * path, and by path + " as node" for ELECTRON_RUN_AS_NODE=1). Records every probe made, in order.
 */
function machine(options: { path?: string; executables?: Record<string, NodeProbe>; nodePath?: string; copy?: CopyFacts; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv }) {
  const executables = options.executables ?? {};
  const probed: string[] = [];
  const input: ChoiceInput = {
    nodePath: options.nodePath,
    lookup: { env: options.env ?? { PATH: options.path ?? "/usr/local/bin:/usr/bin" }, platform: options.platform ?? "linux", isExecutable: (file) => file in executables || `${file} as node` in executables },
    exists: (file) => file in executables || `${file} as node` in executables,
    execPath: CODE,
    copy: options.copy ?? BUNDLED,
    probe: (command, env) => {
      const key = env.ELECTRON_RUN_AS_NODE === "1" ? `${command} as node` : command;
      probed.push(key);
      return Promise.resolve(executables[key] ?? { ok: false, problem: `spawn ${command} ENOENT` });
    },
  };
  return { input, probed };
}

const node = (version: string, nodeSqlite: boolean): NodeProbe => ({ ok: true, node: version, nodeSqlite });
const electron = (version: string, nodeSqlite: boolean): NodeProbe => ({ ok: true, node: version, nodeSqlite, electron: "34.2.0" });

describe("chooseFlowRuntime: the order", () => {
  it("takes node from the PATH when its Node has node:sqlite, probing nothing else", async () => {
    const { input, probed } = machine({ executables: { "/usr/bin/node": node("24.1.0", true), [`${CODE} as node`]: electron("22.15.1", true) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.deepEqual(choice.runtime, { source: "path", command: "/usr/bin/node", env: {}, node: "24.1.0", driver: "node:sqlite", label: "Node 24.1.0 from the PATH (/usr/bin/node)" });
    assert.deepEqual(probed, ["/usr/bin/node"]);
  });

  it("runs on VS Code's runtime with ELECTRON_RUN_AS_NODE=1 when there is no node on the PATH", async () => {
    const { input, probed } = machine({ executables: { [`${CODE} as node`]: electron("22.15.1", true) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.deepEqual(choice.runtime, { source: "vscode", command: CODE, env: { ELECTRON_RUN_AS_NODE: "1" }, node: "22.15.1", driver: "node:sqlite", label: "VS Code's runtime (Node 22.15.1)" });
    assert.deepEqual(choice.passedOver, ["there is no node on the PATH"]);
    assert.deepEqual(probed, [`${CODE} as node`]);
  });

  it("passes over a node on the PATH without node:sqlite for VS Code's runtime, and says why", async () => {
    const { input } = machine({ executables: { "/usr/bin/node": node("20.19.0", false), [`${CODE} as node`]: electron("22.15.1", true) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.source, "vscode");
    assert.deepEqual(choice.passedOver, ["node on the PATH (/usr/bin/node) is Node 20.19.0, which has no node:sqlite"]);
  });

  it("takes tributary.nodePath when set, without looking at the PATH", async () => {
    const { input, probed } = machine({ nodePath: "/opt/node-24/bin/node", executables: { "/opt/node-24/bin/node": node("24.1.0", true), "/usr/bin/node": node("24.2.0", true) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.label, "Node 24.1.0 from tributary.nodePath (/opt/node-24/bin/node)");
    assert.deepEqual(probed, ["/opt/node-24/bin/node"]);
  });

  it("finds a tributary.nodePath that is a bare command on the PATH", async () => {
    const { input } = machine({ nodePath: "node24", executables: { "/usr/local/bin/node24": node("24.1.0", true) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.command, "/usr/local/bin/node24");
  });

  it("takes node.exe from a Windows Path with PATHEXT", async () => {
    const { input } = machine({ platform: "win32", env: { Path: "C:\\Windows\\system32;C:\\Program Files\\nodejs\\", PATHEXT: ".COM;.EXE;.BAT;.CMD" }, executables: { "C:\\Program Files\\nodejs\\node.EXE": node("22.13.0", true) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.command, "C:\\Program Files\\nodejs\\node.EXE");
  });
});

describe("chooseFlowRuntime: better-sqlite3 as the fallback", () => {
  const workspaceWithIt: CopyFacts = { source: "workspace", betterSqlite3: true };

  it("runs the workspace's copy on a Node 20 from the PATH when the workspace has better-sqlite3 built", async () => {
    const { input } = machine({ copy: workspaceWithIt, executables: { "/usr/bin/node": node("20.19.0", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.driver, "better-sqlite3");
    assert.equal(choice.runtime.label, "Node 20.19.0 from the PATH (/usr/bin/node), with the workspace's better-sqlite3");
  });

  it("counts better-sqlite3 for a bundled copy only when it ships one built", async () => {
    const executables = { "/usr/bin/node": node("20.19.0", false), [`${CODE} as node`]: electron("20.18.1", false) };
    assert.equal((await chooseFlowRuntime(machine({ copy: BUNDLED, executables }).input)).ok, false);
    const choice = await chooseFlowRuntime(machine({ copy: { source: "bundled", betterSqlite3: true }, executables }).input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.label, "Node 20.19.0 from the PATH (/usr/bin/node), with the bundled better-sqlite3");
  });

  it("does not count better-sqlite3 for VS Code's runtime when it is Electron, and says so", async () => {
    const { input } = machine({ copy: workspaceWithIt, executables: { [`${CODE} as node`]: electron("20.18.1", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(!choice.ok);
    assert.match(choice.message, /VS Code's runtime is Node 20\.18\.1 \(Electron 34\.2\.0\), which has no node:sqlite, and the workspace's better-sqlite3 is built for Node\.js, not Electron/);
  });

  it("counts better-sqlite3 for VS Code's runtime when that is plain Node (code-server)", async () => {
    const { input } = machine({ copy: workspaceWithIt, executables: { [`${CODE} as node`]: node("20.18.1", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(choice.ok);
    assert.equal(choice.runtime.label, "VS Code's runtime (Node 20.18.1), with the workspace's better-sqlite3");
  });
});

describe("chooseFlowRuntime: the messages", () => {
  it("says what it found and which Node to install when nothing is usable", async () => {
    const { input } = machine({ executables: { "/usr/bin/node": node("20.19.0", false), [`${CODE} as node`]: node("20.18.1", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(!choice.ok);
    assert.equal(
      choice.message,
      "Tributary found no Node.js to run flows and the local server with: node on the PATH (/usr/bin/node) is Node 20.19.0, which has no node:sqlite; " +
        "VS Code's runtime is Node 20.18.1, which has no node:sqlite. Install Node.js 22.13 or later (24 LTS recommended) or set tributary.nodePath to one.",
    );
  });

  it("says there is no node on the PATH, and that Node 20 would do for a workspace copy with better-sqlite3", async () => {
    const { input } = machine({ copy: { source: "workspace", betterSqlite3: false }, executables: { [`${CODE} as node`]: node("20.18.1", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(!choice.ok);
    assert.match(choice.message, /with: there is no node on the PATH; VS Code's runtime is Node 20\.18\.1, which has no node:sqlite\. Install Node\.js 22\.13 or later .* \(Node 20 also runs this workspace's tributaryjs once better-sqlite3 is installed beside it\)\.$/);
  });

  it("says when node:sqlite needs a flag in that Node", async () => {
    const { input } = machine({ executables: { "/usr/bin/node": node("22.12.0", false), [`${CODE} as node`]: node("20.18.1", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(!choice.ok);
    assert.match(choice.message, /node on the PATH \(\/usr\/bin\/node\) is Node 22\.12\.0, whose node:sqlite needs a flag \(22\.13 and later have it without one\)/);
  });

  it("names a node on the PATH that did not run", async () => {
    const { input } = machine({ executables: { "/usr/bin/node": { ok: false, problem: "it exited with code 1: Segmentation fault" }, [`${CODE} as node`]: node("20.18.1", false) } });
    const choice = await chooseFlowRuntime(input);
    assert.ok(!choice.ok);
    assert.match(choice.message, /node on the PATH \(\/usr\/bin\/node\) did not run as Node\.js \(it exited with code 1: Segmentation fault\)/);
  });

  const settingCases: [string, string, Record<string, NodeProbe>, string][] = [
    ["one that does not exist", "/opt/nope/node", {}, 'tributary.nodePath ("/opt/nope/node") does not exist.'],
    ["a relative path", "bin/node", {}, 'tributary.nodePath ("bin/node") is neither an absolute path nor a command on the PATH.'],
    ["a command not on the PATH", "node99", {}, 'tributary.nodePath ("node99") is not a command on the PATH.'],
    ["one that does not run", "/opt/node", { "/opt/node": { ok: false, problem: "spawn /opt/node EACCES" } }, 'tributary.nodePath ("/opt/node") did not run as Node.js (spawn /opt/node EACCES).'],
    ["a Node without node:sqlite", "/opt/node-20/bin/node", { "/opt/node-20/bin/node": node("20.19.0", false) }, 'tributary.nodePath ("/opt/node-20/bin/node") is Node 20.19.0, which has no node:sqlite.'],
  ];
  for (const [what, nodePath, executables, start] of settingCases) {
    it(`refuses a tributary.nodePath that is ${what}, naming it, and falls back to nothing`, async () => {
      const { input, probed } = machine({ nodePath, executables: { ...executables, "/usr/bin/node": node("24.1.0", true) } });
      const choice = await chooseFlowRuntime(input);
      assert.ok(!choice.ok);
      assert.equal(choice.message, `${start} Set it to the executable of Node.js 22.13 or later (24 LTS recommended), or clear it to run flows with node from the PATH.`);
      assert.ok(!probed.includes("/usr/bin/node"));
    });
  }

  it("refuses a tributary.nodePath that is a folder or not executable", async () => {
    const { input } = machine({ nodePath: "/opt/node" });
    const choice = await chooseFlowRuntime({ ...input, exists: () => true, lookup: { ...input.lookup, isExecutable: () => false } });
    assert.ok(!choice.ok);
    assert.match(choice.message, /^tributary\.nodePath \("\/opt\/node"\) is not an executable file\./);
  });
});

describe("sqliteBehindFlag", () => {
  it("is true for the releases whose node:sqlite needs --experimental-sqlite", () => {
    assert.deepEqual(
      ["20.19.0", "22.4.0", "22.5.0", "22.12.0", "22.13.0", "23.3.0", "23.4.0", "24.1.0"].map(sqliteBehindFlag),
      [false, false, true, true, false, true, false, false],
    );
  });
});

describe("betterSqlite3Built", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-better-sqlite3-"));
  after(() => removeWorkspace(dir));
  const packageRoot = path.join(dir, "project", "node_modules", "tributaryjs");
  mkdirSync(packageRoot, { recursive: true });

  it("is false when better-sqlite3 is not installed where the package resolves it", () => {
    assert.equal(betterSqlite3Built(packageRoot, existsSync), false);
  });

  it("is false when it is installed without its native module (its build was skipped)", () => {
    const module = path.join(dir, "project", "node_modules", "better-sqlite3");
    mkdirSync(module, { recursive: true });
    writeFileSync(path.join(module, "package.json"), "{}");
    assert.equal(betterSqlite3Built(packageRoot, existsSync), false);
  });

  it("is true once the native module is there, found from the package's folder as Node would", () => {
    const release = path.join(dir, "project", "node_modules", "better-sqlite3", "build", "Release");
    mkdirSync(release, { recursive: true });
    writeFileSync(path.join(release, "better_sqlite3.node"), "");
    assert.equal(betterSqlite3Built(packageRoot, existsSync), true);
  });
});
