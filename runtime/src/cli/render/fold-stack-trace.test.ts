import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { classifyFrame, foldStackTrace } from "./fold-stack-trace.js";

// A task's failure as the engine logs it (source-mapped, from a checkout whose runtime is /repo/runtime).
const LOGGED = [
  'Failed: Error: cannot parse row "bad"',
  "    at parseRow (/proj/flows/etl.ts:4:28)",
  "    at Array.map (<anonymous>)",
  "    at Object.fn (/proj/flows/etl.ts:8:65)",
  "    at <anonymous> (/repo/runtime/src/engine/task-run.ts:224:51)",
  "    at AsyncLocalStorage.run (node:async_hooks:346:14)",
  "    at runInContext (/repo/runtime/src/engine/run-context.ts:103:35)",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  "    at async executeTaskRun (/repo/runtime/dist/index.js:95:21)",
].join("\n");

const posix = { cwd: "/proj", tributaryRoots: ["/repo/runtime"] };

describe("foldStackTrace", () => {
  test("keeps the message and the user's frames, relative to the cwd, and folds the engine's into one line", () => {
    assert.equal(
      foldStackTrace(LOGGED, posix),
      [
        'Failed: Error: cannot parse row "bad"',
        "    at parseRow (flows/etl.ts:4:28)",
        "    at Object.fn (flows/etl.ts:8:65)",
        "    … 6 frames in tributaryjs and node internals (--verbose shows them)",
      ].join("\n"),
    );
  });

  test("names what shows the folded frames when told (the editor names the CLI command)", () => {
    const folded = foldStackTrace(LOGGED, { ...posix, showsAll: "tributary flow-run logs 0193a4f2 --verbose" }).split("\n").at(-1);
    assert.equal(folded, "    … 6 frames in tributaryjs and node internals (tributary flow-run logs 0193a4f2 --verbose shows them)");
  });

  test("shows a file above the cwd with ../, and leaves text without frames alone", () => {
    assert.equal(foldStackTrace("Error: x\n    at f (/proj/lib/a.ts:1:2)", { ...posix, cwd: "/proj/flows" }), "Error: x\n    at f (../lib/a.ts:1:2)");
    assert.equal(foldStackTrace("extracted 100 rows", posix), "extracted 100 rows");
    assert.equal(foldStackTrace("Failed: boom\nsecond line", posix), "Failed: boom\nsecond line");
  });

  test("puts user frames first even when engine frames come between them, and names every origin folded", () => {
    const text = ["Error: e", "    at node:internal/a:1:1", "    at u1 (/proj/a.ts:1:1)", "    at /proj/node_modules/zod/index.js:9:9", "    at /proj/b.ts:2:2", "    at /proj/node_modules/tributaryjs/dist/index.js:5:5"].join("\n");
    assert.equal(foldStackTrace(text, { cwd: "/proj", tributaryRoots: [] }), ["Error: e", "    at u1 (a.ts:1:1)", "    at b.ts:2:2", "    … 3 frames in tributaryjs, node_modules and node internals (--verbose shows them)"].join("\n"));
    assert.equal(foldStackTrace("Error: e\n    at node:internal/a:1:1", posix), "Error: e\n    … 1 frame in node internals (--verbose shows it)");
  });

  test("folds each stack of a text on its own (a cause's stack after the error's)", () => {
    const text = ["Error: outer", "    at f (/proj/a.ts:1:1)", "    at node:internal/a:1:1", "Caused by: Error: inner", "    at g (/proj/b.ts:2:2)", "    at node:internal/b:2:2"].join("\n");
    assert.equal(
      foldStackTrace(text, posix),
      ["Error: outer", "    at f (a.ts:1:1)", "    … 1 frame in node internals (--verbose shows it)", "Caused by: Error: inner", "    at g (b.ts:2:2)", "    … 1 frame in node internals (--verbose shows it)"].join("\n"),
    );
  });

  test("classifies frames by path: user, tributaryjs, node_modules, node internals", () => {
    const origin = (frame: string) => classifyFrame(frame, posix).origin;
    assert.equal(origin("    at f (/proj/flows/etl.ts:4:28)"), "user");
    assert.equal(origin("    at async f (file:///proj/flows/etl.ts:4:28)"), "user");
    assert.equal(origin("    at /repo/runtime/src/engine/flow-run.ts:1:1"), "tributary");
    assert.equal(origin("    at f (/elsewhere/node_modules/tributaryjs/dist/cli/run-child.js:3:3)"), "tributary");
    assert.equal(origin("    at f (/proj/node_modules/lodash/lodash.js:3:3)"), "node_modules");
    assert.equal(origin("    at f (/proj/node_modules/.pnpm/tributaryjs@0.1.0/node_modules/tributaryjs/dist/index.js:3:3)"), "tributary");
    assert.equal(origin("    at new Promise (<anonymous>)"), "node");
    assert.equal(origin("    at async Promise.all (index 0)"), "node");
    assert.equal(origin("    at Module._compile (node:internal/modules/cjs/loader:1554:14)"), "node");
  });

  test("reads Windows paths with path.win32: drive letters in either case, UNC shares, file URLs", () => {
    const win = { cwd: "C:\\proj", tributaryRoots: ["C:\\tools\\tributary\\runtime"], pathApi: path.win32 };
    const text = [
      "Error: boom",
      "    at parseRow (c:\\proj\\flows\\etl.ts:4:28)",
      "    at Object.fn (file:///C:/proj/flows/my%20etl.ts:8:65)",
      "    at run (C:\\tools\\tributary\\runtime\\dist\\index.js:1:1)",
      "    at f (C:\\proj\\node_modules\\tributaryjs\\dist\\index.js:2:2)",
      "    at g (\\\\server\\share\\lib\\h.ts:3:3)",
      "    at node:internal/process/task_queues:95:5",
    ].join("\n");
    assert.equal(
      foldStackTrace(text, win),
      ["Error: boom", "    at parseRow (flows/etl.ts:4:28)", "    at Object.fn (flows/my etl.ts:8:65)", "    at g (//server/share/lib/h.ts:3:3)", "    … 3 frames in tributaryjs and node internals (--verbose shows them)"].join("\n"),
    );
  });
});
