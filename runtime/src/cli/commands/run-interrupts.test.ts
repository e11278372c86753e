import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

// The timeout is a guard against a hang (a line that never comes), not a wait.
describe("tributary run when the run is interrupted", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  async function inspectNewest(): Promise<FlowRunJson> {
    const [newest] = JSON.parse((await workspace.run(["flow-run", "ls", "--limit", "1", "--json"])).stdout) as { id: string }[];
    return JSON.parse((await workspace.run(["flow-run", "inspect", newest!.id, "--json"])).stdout) as FlowRunJson;
  }

  it("ends the run Crashed when its process is killed, and leaves a sound database", async () => {
    const cli = workspace.start(["run", "long-flow.ts"]);
    const [, pid] = await cli.waitForLine(/\| INFO \| waiting in pid=(\d+)$/);
    process.kill(Number(pid), "SIGKILL");
    const result = await cli.result;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^Flow run \S+ \(long-flow\) Crashed after \S+: The flow run's process was killed by SIGKILL before the run finished\.$/m);

    assert.equal(workspace.integrityCheck(), "ok");
    const run = await inspectNewest();
    assert.equal(run.state.name, "Crashed");
    assert.equal(run.taskRuns[0]!.state.name, "Crashed");
    assert.equal(run.stateHistory.at(-1)!.name, "Crashed");
  });

  it("cancels the run on Ctrl-C and exits with 130", async () => {
    const cli = workspace.start(["run", "long-flow.ts"]);
    await cli.waitForLine(/\| INFO \| waiting in pid=\d+$/);
    cli.kill("SIGINT");
    const result = await cli.result;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /Cancelling the run/);
    assert.match(result.stdout, /^Flow run \S+ \(long-flow\) Cancelled after /m);
    const run = await inspectNewest();
    assert.equal(run.state.name, "Cancelled");
    assert.equal(run.taskRuns[0]!.state.type, "CANCELLED");
  });

  it("stops a run that does not end on Ctrl-C after the grace, and ends it Cancelled", async () => {
    const cli = workspace.start(["run", "busy-flow.ts"]);
    await cli.waitForLine(/\| INFO \| spinning in pid=\d+$/);
    cli.kill("SIGINT");
    const result = await cli.result;
    assert.equal(result.code, 130, result.stderr);
    assert.match(
      result.stdout,
      /^Flow run \S+ \(busy-flow\) Cancelled after \S+: Cancelled with Ctrl-C\. The flow run's process did not respond within 2 s and was stopped\.$/m,
    );
    const run = await inspectNewest();
    assert.equal(run.state.name, "Cancelled");
    assert.equal(run.taskRuns[0]!.state.name, "Cancelled");
  });

  it("kills the run on a second Ctrl-C when it does not end on the first, and ends it Crashed", async () => {
    // A long grace, so that the second Ctrl-C comes first however loaded the machine is.
    const cli = workspace.start(["run", "busy-flow.ts", "--kill-after", "600"]);
    await cli.waitForLine(/\| INFO \| spinning in pid=\d+$/);
    cli.kill("SIGINT");
    await cli.waitForLine(/^Cancelling the run \(press Ctrl-C again to kill it\)\.\.\.$/, "stderr");
    cli.kill("SIGINT");
    const result = await cli.result;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stdout, /^Flow run \S+ \(busy-flow\) Crashed after \S+: Killed with a second Ctrl-C\.$/m);
    assert.equal(workspace.integrityCheck(), "ok");
    const run = await inspectNewest();
    assert.equal(run.state.name, "Crashed");
    assert.equal(run.taskRuns[0]!.state.name, "Crashed");
  });
});
