import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failureStack, firstUserFrame, resultText, shortResult, truncate } from "./run-outcome.js";

const fold = { cwd: "/home/me/project", tributaryRoots: [] };

describe("a run's outcome as Flow Runs shows it", () => {
  it("shortens a result to one line, marking where it was cut, and a listed preview as cut", () => {
    assert.equal(shortResult({ result: "b-42:14" }, 40), '"b-42:14"');
    assert.equal(shortResult({ result: { rows: [1, 2, 3], note: "x".repeat(50) } }, 20), '{"rows":[1,2,3],"no…');
    assert.equal(shortResult({ resultPreview: '{"rows":' }, 40), '{"rows":…');
    assert.equal(shortResult({}, 40), undefined);
    assert.equal(shortResult({ result: null }, 40), "null");
    assert.equal(truncate("first\n  second", 40), "first second");
  });

  it("gives the whole result as pretty JSON and a preview as truncated", () => {
    assert.deepEqual(resultText({ result: { a: 1 } }), { json: '{\n  "a": 1\n}', truncated: false });
    assert.deepEqual(resultText({ resultPreview: '{"a":' }), { json: '{"a":', truncated: true });
    assert.equal(resultText({}), undefined);
  });

  it("finds the first frame of the user's code, past the engine's, node_modules' and node's frames", () => {
    const stack = [
      "Error: cannot parse row \"bad\"",
      "    at JSON.parse (<anonymous>)",
      "    at node:internal/process/task_queues:95:5",
      "    at helper (/home/me/project/node_modules/csv/index.js:3:1)",
      "    at runTask (/home/me/project/node_modules/tributaryjs/dist/index.js:10:2)",
      "    at parseRow (/home/me/project/flows/etl.ts:4:28)",
      "    at Object.fn (/home/me/project/flows/etl.ts:8:65)",
    ].join("\n");
    assert.equal(firstUserFrame(stack, fold), "at parseRow (flows/etl.ts:4:28)");
    assert.equal(firstUserFrame("Error: boom\n    at node:fs:1:1", fold), undefined);
  });

  it("takes the stack from the last error log line that has frames", () => {
    const logs = [
      { level: "error" as const, message: "Failed: Error: early\n    at a (/p/a.ts:1:1)" },
      { level: "info" as const, message: "note\n    at b (/p/b.ts:1:1)" },
      { level: "error" as const, message: "Failed: Error: boom\n    at c (/p/c.ts:1:1)" },
      { level: "error" as const, message: "Failed: task extract-0 failed (see the task run's log)" },
    ];
    assert.equal(failureStack(logs), "Failed: Error: boom\n    at c (/p/c.ts:1:1)");
    assert.equal(failureStack([{ level: "info", message: "fine" }]), undefined);
  });
});
