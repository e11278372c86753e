import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { removeWorkspace } from "../../../runtime/src/test-support/remove-workspace.js";
import { findOnPath, isExecutableFile, pathEntries } from "./find-on-path.js";

/** Executables by exact path: the lookup's only input from the file system. */
const files = (...paths: string[]) => {
  const set = new Set(paths);
  return (file: string) => set.has(file);
};

describe("findOnPath on POSIX", () => {
  it("answers the first PATH folder that holds the executable", () => {
    const found = findOnPath("node", { env: { PATH: "/opt/a:/usr/local/bin:/usr/bin" }, platform: "linux", isExecutable: files("/usr/bin/node", "/usr/local/bin/node") });
    assert.equal(found, "/usr/local/bin/node");
  });

  it("answers undefined when no folder holds it, or there is no PATH", () => {
    assert.equal(findOnPath("node", { env: { PATH: "/opt/a:/usr/bin" }, platform: "darwin", isExecutable: files("/opt/b/node") }), undefined);
    assert.equal(findOnPath("node", { env: {}, platform: "linux", isExecutable: files("/usr/bin/node") }), undefined);
  });

  it("skips relative and empty PATH entries, which would resolve against the workspace", () => {
    const found = findOnPath("node", { env: { PATH: ".::node_modules/.bin:/usr/bin" }, platform: "linux", isExecutable: (file) => file === "/usr/bin/node" || !file.startsWith("/") });
    assert.equal(found, "/usr/bin/node");
  });

  it("does not read PATHEXT or a differently cased Path", () => {
    assert.equal(findOnPath("node", { env: { Path: "/usr/bin", PATHEXT: ".EXE" }, platform: "linux", isExecutable: files("/usr/bin/node") }), undefined);
  });
});

describe("findOnPath on Windows", () => {
  it("tries each PATHEXT extension in order in each folder, reading Path and PathExt case-insensitively", () => {
    const env = { Path: "C:\\Tools;C:\\Program Files\\nodejs", PathExt: ".COM;.EXE;.BAT;.CMD" };
    assert.equal(findOnPath("node", { env, platform: "win32", isExecutable: files("C:\\Program Files\\nodejs\\node.EXE", "C:\\Program Files\\nodejs\\node.COM") }), "C:\\Program Files\\nodejs\\node.COM");
  });

  it("passes over node.cmd and node.bat shims, which Node cannot spawn without a shell", () => {
    const env = { PATH: "C:\\shims;C:\\nodejs", PATHEXT: ".COM;.EXE;.BAT;.CMD" };
    assert.equal(findOnPath("node", { env, platform: "win32", isExecutable: files("C:\\shims\\node.CMD", "C:\\shims\\node.BAT", "C:\\nodejs\\node.EXE") }), "C:\\nodejs\\node.EXE");
  });

  it("uses Windows' default extensions when PATHEXT is unset, and never the bare name", () => {
    assert.equal(findOnPath("node", { env: { PATH: "C:\\nodejs" }, platform: "win32", isExecutable: files("C:\\nodejs\\node", "C:\\nodejs\\node.EXE") }), "C:\\nodejs\\node.EXE");
    assert.equal(findOnPath("node", { env: { PATH: "C:\\nodejs" }, platform: "win32", isExecutable: files("C:\\nodejs\\node") }), undefined);
  });

  it("takes a name that already has a PATHEXT extension as it is", () => {
    assert.equal(findOnPath("node.exe", { env: { PATH: "C:\\nodejs", PATHEXT: ".EXE" }, platform: "win32", isExecutable: files("C:\\nodejs\\node.exe") }), "C:\\nodejs\\node.exe");
  });

  it("unquotes entries, keeps UNC folders and skips drive-relative ones", () => {
    const env = { PATH: 'C:relative; "D:\\Node 24" ;\\\\server\\share\\node', PATHEXT: ".EXE" };
    assert.deepEqual(pathEntries(env, true), ["C:relative", "D:\\Node 24", "\\\\server\\share\\node"]);
    assert.equal(findOnPath("node", { env, platform: "win32", isExecutable: files("C:relative\\node.EXE", "\\\\server\\share\\node\\node.EXE") }), "\\\\server\\share\\node\\node.EXE");
    assert.equal(findOnPath("node", { env, platform: "win32", isExecutable: files("D:\\Node 24\\node.EXE") }), "D:\\Node 24\\node.EXE");
  });
});

describe("isExecutableFile", { skip: process.platform === "win32" ? "POSIX permissions" : false }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-find-on-path-"));
  after(() => removeWorkspace(dir));

  it("is true for an executable file only: not for one without the permission, a folder or nothing", () => {
    const runnable = path.join(dir, "runnable");
    const plain = path.join(dir, "plain");
    writeFileSync(runnable, "#!/bin/sh\n");
    chmodSync(runnable, 0o755);
    writeFileSync(plain, "");
    chmodSync(plain, 0o644);
    mkdirSync(path.join(dir, "folder"));
    assert.equal(isExecutableFile(runnable), true);
    assert.equal(isExecutableFile(plain), false);
    assert.equal(isExecutableFile(path.join(dir, "folder")), false);
    assert.equal(isExecutableFile(path.join(dir, "missing")), false);
  });

  it("lets findOnPath find a real executable on a real PATH", () => {
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "node"), "#!/bin/sh\n");
    chmodSync(path.join(bin, "node"), 0o755);
    assert.equal(findOnPath("node", { env: { PATH: `${path.join(dir, "folder")}:${bin}` }, platform: process.platform, isExecutable: isExecutableFile }), path.join(bin, "node"));
  });
});
