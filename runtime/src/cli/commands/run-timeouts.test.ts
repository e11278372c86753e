import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/**
 * A CPU-bound flow blocks the event loop its engine's timers run on: `tributary run` enforces the
 * flow's timeout itself, stops the process after the grace (2 s) and stores the run TimedOut.
 * The test timeout is a guard against a hang, not a wait.
 */
describe("tributary run of a flow that blocks its event loop past its timeout", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  async function inspect(id: string): Promise<FlowRunJson> {
    return JSON.parse((await workspace.run(["flow-run", "inspect", id, "--json"])).stdout) as FlowRunJson;
  }

  it("ends a run that spins for 8 s with a 2 s timeout TimedOut, well before the 8 s, and exits 1", async () => {
    const result = await workspace.run(["run", "spin-past-timeout.ts", "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.deepEqual(run.state, {
      type: "FAILED",
      name: "TimedOut",
      message: "The flow run exceeded its timeout of 2 s; its process did not respond and was stopped.",
    });
    // Stopped at the timeout plus the grace (4 s), not when the task gave the loop back (8 s).
    const tookMs = Date.parse(run.endTime!) - Date.parse(run.startTime!);
    assert.ok(tookMs >= 2000 && tookMs < 7000, `the run took ${tookMs} ms`);
    assert.deepEqual(
      run.taskRuns.map((task) => [task.taskName, task.state.name]),
      [["spin-8s", "Cancelled"]],
    );
    assert.deepEqual(run.stateHistory.map((entry) => entry.name), ["Pending", "Running", "TimedOut"]);
    assert.deepEqual(await inspect(run.id), run, "what was printed is what is stored");
    assert.equal(workspace.integrityCheck(), "ok");
  });

  it("ends a `while (true) {}` flow TimedOut at its timeout, and prints why", async () => {
    const result = await workspace.run(["run", "spin-forever.ts"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      /^Flow run \S+ \(spin-forever\) TimedOut after \S+: The flow run exceeded its timeout of 1 s; its process did not respond and was stopped\.$/m,
    );
    const [newest] = JSON.parse((await workspace.run(["flow-run", "ls", "--limit", "1", "--json"])).stdout) as { id: string }[];
    assert.equal((await inspect(newest!.id)).state.name, "TimedOut");
  });
});
