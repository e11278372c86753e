import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import type { FlowRunRecord } from "../../store/records.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/** `HH:MM:SS.mmm | <who> | <what> | <state>`: a progress line as `tributary run` prints it to a pipe. */
const progressLine = (who: string, what: string, state: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| ${who} \\| ${what} \\| ${state}$`, "m");

// Every case runs without a server: the command starts one in process on the workspace's store.
describe("tributary deployment run options and flow-run cancel|retry, without a server running", { timeout: 600_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  const write = (name: string, text: string) => writeFileSync(path.join(workspace.dir, name), text);
  const inspect = async (id: string) => {
    const result = await workspace.run(["flow-run", "inspect", id, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as FlowRunJson;
  };
  before(async () => {
    // add/default: flow "add" ({ a?: number, b?: number } → a + b), parameters { a: 10 }, tags ["math"].
    const deployed = await workspace.run(["deploy", "deployed-flows.ts"]);
    assert.equal(deployed.code, 0, deployed.stderr);
  });
  after(() => workspace.dispose());

  it("takes --params @file, --param over it, --tag on top of the deployment's and --flow-run-name, and shows the run as `tributary run` does", async () => {
    write("sum-params.json", '\uFEFF{ "a": 1, "b": 5 }\n');
    const result = await workspace.run(
      ["deployment", "run", "add/default", "--params", "@sum-params.json", "--param", "b=7", "--tag", "nightly", "--tag", "adhoc", "--flow-run-name", "sum-1"],
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, progressLine("flow-run sum-1", "add", "Scheduled"));
    assert.match(result.stdout, progressLine("flow-run sum-1", "add", "Completed"));
    assert.match(result.stdout, /\nFlow run sum-1 \(add\) Completed in \S+\n✓ add · sum-1 {2}Completed .*\nRun id: [0-9a-f-]{36}\n$/);
    const run = await inspect("sum-1");
    assert.deepEqual([run.parameters, run.tags, run.result], [{ a: 1, b: 7 }, ["math", "nightly", "adhoc"], 8]);
  });

  it("creates a run for later with --start-in or --start-at, says when it starts, and leaves it Scheduled", async () => {
    const inTen = await workspace.run(["deployment", "run", "add/default", "--start-in", "10 minutes", "--flow-run-name", "later-1"]);
    assert.equal(inTen.code, 0, inTen.stderr);
    assert.match(inTen.stdout, /^Created flow run later-1 \(\S+\) of add\/default: Scheduled, to start at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in 9m 5\ds\)\.\n/);
    assert.match(inTen.stdout, /No server is running to execute it: start one with `tributary server start`/);
    assert.equal((await inspect("later-1")).state.name, "Scheduled");

    const at = await workspace.run(["deployment", "run", "add/default", "--start-at", "2099-01-01T00:00:00Z", "--json"]);
    assert.equal(at.code, 0, at.stderr);
    const record = JSON.parse(at.stdout) as FlowRunRecord;
    assert.deepEqual([record.state.name, record.expectedStartTime], ["Scheduled", "2099-01-01T00:00:00.000Z"]);
  });

  it("--watch with a start to come waits for it, saying so, and the run starts no earlier", async () => {
    const result = await workspace.run(["deployment", "run", "add/default", "--start-in", "4s", "--watch", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Flow run \S+ is scheduled to start at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in \d\.\d\ds\); waiting for it\.$/m);
    const run = JSON.parse(result.stdout) as FlowRunRecord;
    assert.equal(run.state.name, "Completed");
    assert.ok(Date.parse(run.expectedStartTime!) > Date.parse(run.createdAt), `${run.expectedStartTime} is after ${run.createdAt}`);
    assert.ok(Date.parse(run.startTime!) >= Date.parse(run.expectedStartTime!), `started ${run.startTime}, not before ${run.expectedStartTime}`);
  });

  it("flow-run retry by the run's name runs it here and shows it as `tributary run` does", async () => {
    assert.equal((await workspace.run(["deployment", "run", "add/default", "--flow-run-name", "again-1"])).code, 0);
    // A paused deployment's run would wait Scheduled for its resume, and the command with it: refused.
    assert.equal((await workspace.run(["deployment", "pause", "add/default"])).code, 0);
    const paused = await workspace.run(["flow-run", "retry", "again-1"]);
    assert.equal(paused.code, 2);
    assert.match(paused.stderr, /^tributary: Flow run again-1 is a run of deployment "add\/default", which is paused; resume it with `tributary deployment resume add\/default` first\.$/m);
    assert.equal((await inspect("again-1")).state.name, "Completed");
    assert.equal((await workspace.run(["deployment", "resume", "add/default"])).code, 0);
    const retry = await workspace.run(["flow-run", "retry", "again-1"]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, progressLine("flow-run again-1", "add", "Scheduled \\| Retry requested\\."));
    assert.match(retry.stdout, progressLine("flow-run again-1", "add", "Running"));
    assert.match(retry.stdout, /\nFlow run again-1 \(add\) Completed in \S+\n✓ add · again-1 {2}Completed .*\nRun id: [0-9a-f-]{36}\n$/);
    const run = await inspect("again-1");
    assert.deepEqual(run.stateHistory.filter((state) => state.name === "Completed").length, 2);
  });

  it("flow-run cancel takes a run's name; a name several runs have is refused, listing them", async () => {
    const cancelled = await workspace.run(["flow-run", "cancel", "later-1"]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /^Flow run later-1 \(\S+\): Cancelled\.$/m);
    assert.equal((await inspect("later-1")).state.name, "Cancelled");

    for (let i = 0; i < 2; i++) assert.equal((await workspace.run(["deployment", "run", "add/default", "--start-in", "1h", "--flow-run-name", "twin"])).code, 0);
    const ambiguous = await workspace.run(["flow-run", "cancel", "twin"]);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /^tributary: "twin" is the name of 2 flow runs: \S+ \(twin, add\), \S+ \(twin, add\); give one's id/);
    const twins = JSON.parse((await workspace.run(["flow-run", "ls", "--json"])).stdout) as { name: string; state: { name: string } }[];
    assert.deepEqual(twins.filter((run) => run.name === "twin").map((run) => run.state.name), ["Scheduled", "Scheduled"]);
  });

  it("refuses bad input with exit 2 and one line naming the value, creating no run", async () => {
    write("not-json.json", "{ a: 1 }");
    write("a-list.json", "[1, 2]");
    write("wrong-type.json", '{ "a": "ten" }');
    const cases: [string[], RegExp][] = [
      [["--params", "@missing.json"], /--params @missing\.json: cannot read \S*missing\.json: there is no such file\./],
      [["--params", "@not-json.json"], /--params @not-json\.json: the file is not valid JSON/],
      [["--params", "@a-list.json"], /--params @a-list\.json: the file must hold a JSON object .*not an array\./],
      [["--params", "@wrong-type.json"], /Parameter "a" must be number/],
      [["--start-in", "soon"], /--start-in "soon" is not a duration; write it as "90s", "10 minutes", "1h30m" or "2 days"\./],
      [["--start-at", "2020-01-01 10:00"], /--start-at "2020-01-01 10:00" is in the past/],
      [["--start-at", "2026-02-30 10:00"], /--start-at "2026-02-30 10:00" is not a date-time/],
      [["--start-in", "1h", "--start-at", "2099-01-01 10:00"], /Give --start-in or --start-at, not both \(got --start-in "1h" and --start-at "2099-01-01 10:00"\)/],
      [["--tag", " "], /--tag " " is empty/],
      [["--flow-run-name", ""], /--flow-run-name "" is empty/],
    ];
    const runsBefore = workspace.countFlowRuns();
    for (const [args, message] of cases) {
      const result = await workspace.run(["deployment", "run", "add/default", ...args]);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, message);
    }
    assert.equal(workspace.countFlowRuns(), runsBefore, "no run was created");
  });

  it("tributary run takes --params @file too", async () => {
    write("parent-params.json", '{ "n": 3, "label": "from a file" }');
    const result = await workspace.run(["run", "completing-flow.ts", "--params", "@parent-params.json", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as FlowRunJson).result, { sum: 18, label: "from a file" });
    const missing = await workspace.run(["run", "completing-flow.ts", "--params", "@nowhere.json"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--params @nowhere\.json: cannot read/);
  });
});
