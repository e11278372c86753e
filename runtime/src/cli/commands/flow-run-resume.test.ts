import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

// The timeout is a guard against a hang (a line that never comes), not a wait.
describe("tributary flow-run resume", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  async function inspect(id: string): Promise<FlowRunJson> {
    return JSON.parse((await workspace.run(["flow-run", "inspect", id, "--json"])).stdout) as FlowRunJson;
  }

  it("resumes a run that `tributary run` paused, from another process, with the command its progress shows; the run completes", async () => {
    const cli = workspace.start(["run", "pausing-flow.ts"]);
    const [, prefix] = await cli.waitForLine(/\| pausing-flow \| Paused \| Paused until \S+; resume it with `tributary flow-run resume (\S+)`\. Not resumed by then, the run fails\.$/);

    const resumed = await workspace.run(["flow-run", "resume", prefix!]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /^Flow run \S+ \(\S+\) resumed: its flow carries on within a second\.$/m);

    const result = await cli.result;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\| INFO \| after the pause$/m);
    assert.match(result.stdout, /^Flow run (\S+) \(pausing-flow\) Completed in /m);
    const [, id] = /^Run id: (\S+)$/m.exec(result.stdout)!;
    const run = await inspect(id!);
    assert.ok(id!.startsWith(prefix!));
    assert.deepEqual(run.stateHistory.map((s) => s.name), ["Pending", "Running", "Paused", "Running", "Completed"]);

    const again = await workspace.run(["flow-run", "resume", run.name]);
    assert.equal(again.code, 2, again.stdout);
    assert.match(again.stderr, new RegExp(`Flow run ${run.name} is Completed, not Paused; only a paused run can be resumed\\.`));
  });

  it("with --json, says on stderr that the run paused and how to resume it; stdout stays the run's JSON", async () => {
    const cli = workspace.start(["run", "pausing-flow.ts", "--json"]);
    const [, prefix] = await cli.waitForLine(/^Flow run \S+ \(pausing-flow\) is Paused: Paused until \S+; resume it with `tributary flow-run resume (\S+)`/, "stderr");
    assert.equal((await workspace.run(["flow-run", "resume", prefix!])).code, 0);
    const result = await cli.result;
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as FlowRunJson).state.name, "Completed");
  });

  it("fails the run when its pause times out, naming the timeout", async () => {
    const result = await workspace.run(["run", "pausing-flow.ts", "--param", "pauseSeconds=1"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^Flow run \S+ \(pausing-flow\) Failed after \S+: Flow run '\S+' was paused for 1 s and nobody resumed it;/m);
  });

  it("refuses an id no run has, with exit code 2", async () => {
    const result = await workspace.run(["flow-run", "resume", "no-such-run"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /No flow run has an id starting with "no-such-run" or the name "no-such-run"/);
  });
});
