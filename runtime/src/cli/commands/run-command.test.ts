import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("tributary run", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("runs a flow with task runs and a subflow to Completed, and prints the run JSON", async () => {
    const result = await workspace.run(["run", "completing-flow.ts", "--param", "n=3", "--param", "label=hello", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.deepEqual(Object.keys(run), [
      "id", "name", "flowName", "state", "parameters", "result", "tags", "deploymentId", "deploymentName", "workerName", "parentFlowRunId", "chain",
      "startTime", "endTime", "stateHistory", "taskRuns", "subflowRuns", "causedRuns",
    ]);
    assert.match(run.id, UUID);
    assert.match(run.name, /^[a-z]+-[a-z]+$/);
    assert.equal(run.flowName, "parent-flow");
    assert.deepEqual(run.state, { type: "COMPLETED", name: "Completed" });
    assert.deepEqual(run.parameters, { n: 3, label: "hello" });
    assert.deepEqual(run.result, { sum: 18, label: "hello" });
    assert.match(run.startTime!, ISO);
    assert.match(run.endTime!, ISO);
    assert.ok(run.startTime! <= run.endTime!);
    assert.equal(run.stateHistory.at(-1)!.name, "Completed");
    assert.ok(run.stateHistory.some((entry) => entry.name === "Running"));
    for (const entry of run.stateHistory) assert.deepEqual(Object.keys(entry), ["type", "name", "timestamp"]);

    assert.deepEqual(
      run.taskRuns.map((task) => [task.name, task.taskName, task.state, task.attempts]),
      [
        ["double-0", "double", { type: "COMPLETED", name: "Completed" }, 1],
        ["add-0", "add", { type: "COMPLETED", name: "Completed" }, 1],
      ],
    );
    for (const task of run.taskRuns) {
      assert.deepEqual(Object.keys(task), ["id", "name", "taskName", "state", "attempts", "startTime", "endTime"]);
      assert.match(task.id, UUID);
      assert.match(task.startTime!, ISO);
      assert.match(task.endTime!, ISO);
    }

    assert.equal(run.subflowRuns.length, 1);
    const child = run.subflowRuns[0]!;
    assert.equal(child.flowName, "child-flow");
    assert.deepEqual(child.state, { type: "COMPLETED", name: "Completed" });
    assert.deepEqual(child.parameters, { n: 6 });
    assert.equal(child.result, 12);
    assert.deepEqual(child.taskRuns.map((task) => task.name), ["double-0"]);
    assert.deepEqual(child.subflowRuns, []);

    // The SQLite file holds the run and its subflow run.
    assert.equal(workspace.countFlowRuns(), 2);
    const inspected = await workspace.run(["flow-run", "inspect", run.id, "--json"]);
    assert.deepEqual(JSON.parse(inspected.stdout), run);
  });

  it("prints a line per state change and log line, then the final state and the run tree", async () => {
    const result = await workspace.run(["run", "completing-flow.ts:parentFlow"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\d\d:\d\d:\d\d\.\d{3} \| flow-run [a-z]+-[a-z]+ \| parent-flow \| Running$/m);
    assert.match(result.stdout, /^\d\d:\d\d:\d\d\.\d{3} \| task-run double-0 \| double \| Completed$/m);
    assert.match(result.stdout, /^\d\d:\d\d:\d\d\.\d{3} \| flow-run [a-z]+-[a-z]+ \| child-flow \| Completed$/m);
    assert.match(result.stdout, /^\d\d:\d\d:\d\d\.\d{3} \| flow-run [a-z]+-[a-z]+ \| INFO \| Starting with n=1$/m);
    assert.match(result.stdout, /^Flow run [a-z]+-[a-z]+ \(parent-flow\) Completed in \S+$/m);
    assert.match(result.stdout, /^✓ parent-flow · [a-z]+-[a-z]+ {2}Completed {2}\S+$/m);
    assert.match(result.stdout, /^├─ ✓ double-0 {2}Completed {2}\S+$/m);
    assert.match(result.stdout, /^│ {2}└─ ✓ double-0 {2}Completed {2}\S+$/m);
    assert.match(result.stdout, /^└─ ✓ add-0 {2}Completed {2}\S+$/m);
  });

  it("picks a flow by export name or by flow name", async () => {
    const byExport = await workspace.run(["run", "two-flows.ts:loadFlow", "--json"]);
    assert.equal(byExport.code, 0, byExport.stderr);
    assert.equal((JSON.parse(byExport.stdout) as FlowRunJson).result, "loaded");
    const byFlowName = await workspace.run(["run", "two-flows.ts:extract-flow", "--json"]);
    assert.equal(byFlowName.code, 0, byFlowName.stderr);
    assert.equal((JSON.parse(byFlowName.stdout) as FlowRunJson).flowName, "extract-flow");
  });

  it("ends a flow whose task throws as Failed, with exit code 1", async () => {
    const result = await workspace.run(["run", "failing-flow.ts", "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.equal(run.state.type, "FAILED");
    assert.equal(run.taskRuns[0]!.state.type, "FAILED");
    assert.match(run.taskRuns[0]!.state.message!, /disk full while writing report\.csv/);
    assert.equal(run.result, undefined);

    const plain = await workspace.run(["run", "failing-flow.ts"]);
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /^Flow run \S+ \(failing-flow\) Failed after \S+: .*$/m);
    assert.match(plain.stdout, /^└─ ✗ write-report-0 {2}Failed {2}\S+ {2}.*disk full/m);
  });
});
