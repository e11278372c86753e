import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { serverFilePath } from "../orchestrator/server-file.js";
import { resolveStorePath } from "./store-path.js";

const { posix, win32 } = path;

test("the store is .tributary/tributary.db in the workspace, on POSIX and Windows", () => {
  assert.equal(resolveStorePath({}, "/home/me/proj", posix), "/home/me/proj/.tributary/tributary.db");
  assert.equal(resolveStorePath({}, "C:\\Users\\me\\my proj", win32), "C:\\Users\\me\\my proj\\.tributary\\tributary.db");
  assert.equal(resolveStorePath({}, "\\\\server\\share\\proj", win32), "\\\\server\\share\\proj\\.tributary\\tributary.db");
  assert.equal(resolveStorePath({ TRIBUTARY_HOME: "  " }, "C:\\proj", win32), "C:\\proj\\.tributary\\tributary.db");
});

test("TRIBUTARY_HOME: absolute on any drive or share, or relative to the workspace, either separator on Windows", () => {
  const cases: [string, string][] = [
    ["D:\\tributary", "D:\\tributary\\tributary.db"],
    ["d:/tributary", "d:\\tributary\\tributary.db"],
    ["\\\\server\\share\\tributary", "\\\\server\\share\\tributary\\tributary.db"],
    ["..\\shared", "C:\\shared\\tributary.db"],
    ["../shared", "C:\\shared\\tributary.db"],
    [".home", "C:\\proj\\.home\\tributary.db"],
  ];
  for (const [home, expected] of cases) assert.equal(resolveStorePath({ TRIBUTARY_HOME: home }, "C:\\proj", win32), expected, home);
  assert.equal(resolveStorePath({ TRIBUTARY_HOME: "../shared" }, "/home/me/proj", posix), "/home/me/shared/tributary.db");
});

test("server.json sits beside the store", () => {
  assert.equal(serverFilePath("C:\\proj\\.tributary\\tributary.db", win32), "C:\\proj\\.tributary\\server.json");
  assert.equal(serverFilePath("\\\\server\\share\\t\\tributary.db", win32), "\\\\server\\share\\t\\server.json");
  assert.equal(serverFilePath("/proj/.tributary/tributary.db", posix), "/proj/.tributary/server.json");
});
