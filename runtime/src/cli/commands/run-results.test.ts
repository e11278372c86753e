import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

describe("tributary run: results JSON cannot hold as they are", () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("results");
  after(() => workspace.dispose());

  it("stores { a: 1, b: undefined } as JSON.stringify does: --json and inspect show {\"a\":1}", async () => {
    const result = await workspace.run(["run", "odd-results.ts:undefinedProperty", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.deepEqual(run.state, { type: "COMPLETED", name: "Completed" });
    assert.deepEqual(run.result, { a: 1 });
    const inspected = await workspace.run(["flow-run", "inspect", run.id, "--json"]);
    assert.deepEqual((JSON.parse(inspected.stdout) as FlowRunJson).result, { a: 1 });
  });

  it("stores a BigInt as its decimal string and says so in the run's log", async () => {
    const result = await workspace.run(["run", "odd-results.ts:bigTotal", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.deepEqual(run.state, { type: "COMPLETED", name: "Completed" });
    assert.deepEqual(run.result, { total: "12345678901234567890" });
    const logs = await workspace.run(["flow-run", "logs", run.id]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.ok(
      logs.stdout.includes(`The result of flow run "${run.name}" holds a BigInt at $.total; it is stored as the string "12345678901234567890".`),
      logs.stdout,
    );
  });
});
