import assert from "node:assert/strict";
import { before, after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { makeState } from "../../states.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

interface RunSummary {
  id: string;
  name: string;
  flowName: string;
  parentFlowRunId: string | null;
  workerName: string | null;
  state: { type: string; name: string };
}

describe("tributary flow-run", () => {
  const workspace = new CliWorkspace();
  let completed: FlowRunJson;
  let failed: FlowRunJson;

  before(async () => {
    completed = JSON.parse((await workspace.run(["run", "completing-flow.ts", "--param", "n=2", "--json"])).stdout) as FlowRunJson;
    failed = JSON.parse((await workspace.run(["run", "failing-flow.ts", "--json"])).stdout) as FlowRunJson;
  });
  after(() => workspace.dispose());

  const ls = async (...args: string[]) => {
    const result = await workspace.run(["flow-run", "ls", ...args, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as RunSummary[];
  };

  it("lists runs newest first, filtered by flow, state and limit", async () => {
    const all = await ls();
    assert.deepEqual(all.map((run) => run.flowName), ["failing-flow", "child-flow", "parent-flow"]);
    assert.equal(all[1]!.parentFlowRunId, completed.id);
    assert.deepEqual((await ls("--flow-name", "parent-flow")).map((run) => run.id), [completed.id]);
    assert.deepEqual((await ls("--state", "Failed")).map((run) => run.id), [failed.id]);
    assert.deepEqual((await ls("--state", "COMPLETED")).length, 2);
    assert.deepEqual((await ls("--limit", "1")).map((run) => run.id), [failed.id]);

    const table = await workspace.run(["flow-run", "ls"]);
    assert.match(table.stdout, /^ID\s+NAME\s+FLOW\s+STATE\s+START\s+DURATION$/m);
    assert.match(table.stdout, new RegExp(`^${completed.id}\\s+${completed.name}\\s+parent-flow\\s+Completed\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\S+$`, "m"));
  });

  // Run ids are UUIDv7: ids made in the same millisecond share their first 12 digits, so a usable
  // prefix reaches into the random part.
  it("inspects a run by a prefix of its id", async () => {
    const json = await workspace.run(["flow-run", "inspect", failed.id.slice(0, 28), "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), failed);
    const text = await workspace.run(["flow-run", "inspect", completed.id.slice(0, 28)]);
    assert.match(text.stdout, new RegExp(`^Flow run    ${completed.name} \\(${completed.id}\\)$`, "m"));
    assert.match(text.stdout, /^State {7}Completed$/m);
    assert.match(text.stdout, /^Parameters {2}\{"n":2\}$/m);
    assert.match(text.stdout, /^ {2}├─ ✓ double-0 {2}Completed/m);
  });

  it("prints a run's log lines", async () => {
    const logs = await workspace.run(["flow-run", "logs", completed.id.slice(0, 28)]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| INFO    \\| flow-run ${completed.name} \\| Starting with n=2$`, "m"));
  });

  it("lists the runs a worker claimed with --worker, and inspect names a run's worker", async () => {
    // Runs as workers leave them (a worker claiming one is the store's and the worker's tests): written straight to the store.
    const store = openSqliteStore(workspace.dbPath);
    const claimed = (id: string, workerName: string) =>
      store.createFlowRun({ id, name: `run-${id}`, flowName: "etl", deploymentId: "d-1", workerName, state: makeState("Completed", new Date()), parameters: {}, tags: [], runCount: 1, createdAt: new Date().toISOString() });
    claimed("claimed-box-1", "box 7");
    claimed("claimed-other", "other");
    claimed("claimed-box-2", "box 7");
    await store.close();
    const listed = await ls("--worker", "box 7");
    assert.deepEqual(listed.map((run) => [run.id, run.workerName]), [
      ["claimed-box-2", "box 7"],
      ["claimed-box-1", "box 7"],
    ]);
    assert.equal((await ls("--worker", "box 7", "--flow-name", "parent-flow")).length, 0);
    assert.deepEqual((await ls("--flow-name", "parent-flow")).map((run) => run.workerName), [null], "a run no worker claimed");
    const none = await workspace.run(["flow-run", "ls", "--worker", "nobody"]);
    assert.equal(none.stdout, "No flow runs match.\n");

    const inspect = await workspace.run(["flow-run", "inspect", "run-claimed-other"]);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.match(inspect.stdout, /^Worker {6}other$/m);
    const json = JSON.parse((await workspace.run(["flow-run", "inspect", "run-claimed-other", "--json"])).stdout) as FlowRunJson;
    assert.equal(json.workerName, "other");
    assert.match((await workspace.run(["flow-run", "inspect", completed.id])).stdout, /^Worker {6}-$/m);
    assert.equal(completed.workerName, null);

    const empty = await workspace.run(["flow-run", "ls", "--worker", " "]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^tributary: --worker must be a worker's name, as `tributary worker ls` lists it; got " "\./);
  });

  it("refuses unknown ids and bad filters with exit code 2", async () => {
    const unknown = await workspace.run(["flow-run", "inspect", "zzzz"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^tributary: No flow run has an id starting with "zzzz"/);
    const state = await workspace.run(["flow-run", "ls", "--state", "Faild"]);
    assert.equal(state.code, 2);
    assert.match(state.stderr, /^tributary: --state "Faild" is not a state\. Did you mean "Failed"\?/);
    const limit = await workspace.run(["flow-run", "ls", "--limit", "0"]);
    assert.equal(limit.code, 2);
    assert.match(limit.stderr, /^tributary: --limit must be a whole number of at least 1, got "0"/);
  });
});
