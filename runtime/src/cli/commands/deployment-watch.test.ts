import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { clientOfRecordedServer } from "../../orchestrator/test-support/authorized-client.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/** `HH:MM:SS.mmm | <who> | <what> | <state or log line>`: a progress line as `tributary run` prints it to a pipe. */
const progressLine = (who: string, what: string, state: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\| ${who} \\| ${what} \\| ${state}$`);

describe("tributary deployment run --watch against a running server", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  after(() => workspace.dispose());

  it("shows the run as `tributary run` does, and follows the run an automation starts after it has finished", async () => {
    const server = workspace.start(["server", "start", "--port", "0"]);
    const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
    try {
      const env = { TRIBUTARY_API_URL: url! };
      // downstream/process and the automation "after-upstream" (upstream Completed → downstream/process).
      const deployed = await workspace.run(["deploy", "orchestrated.ts"], env);
      assert.equal(deployed.code, 0, deployed.stderr);
      const registered = await clientOfRecordedServer(workspace.dbPath).fetch(`${url}/api/deployments`, {
        method: "POST",
        body: JSON.stringify({
          deployments: [
            { name: "upstream/default", flowName: "upstream", entrypoint: "orchestrated.ts:upstream", workDir: workspace.dir },
            { name: "with-tasks/default", flowName: "with-tasks", entrypoint: "deployed-flows.ts:withTasks", workDir: workspace.dir },
          ],
        }),
      });
      assert.equal(registered.status, 200);

      const watched = await workspace.run(["deployment", "run", "upstream/default", "--watch", "--flow-run-name", "up-1"], env);
      assert.equal(watched.code, 0, watched.stderr);
      const lines = watched.stdout.split("\n");
      const upstreamDone = lines.findIndex((line) => progressLine("flow-run up-1", "upstream", "Completed").test(line));
      assert.ok(upstreamDone >= 0, watched.stdout);
      // The automation's downstream run starts only after upstream completed; --watch still follows it to the end.
      const triggered = lines.slice(upstreamDone + 1).filter((line) => progressLine("flow-run \\S+", "downstream", "(Scheduled|Pending|Running|Completed)").test(line));
      assert.deepEqual(triggered.map((line) => line.split(" | ").at(-1)), ["Scheduled", "Pending", "Running", "Completed"], watched.stdout);
      // The summary `tributary run` prints: the run's tree (its linked downstream run inside), its id, then the run it caused.
      assert.match(watched.stdout, /\nFlow run up-1 \(upstream\) Completed in \S+\n✓ upstream · up-1 {2}Completed .*\n└─ ✓ downstream · \S+ {2}Completed .*\nRun id: [0-9a-f-]{36}\n/);
      assert.match(watched.stdout, /\nRuns it caused \(1\):\n↳ upstream → automation after-upstream → deployment downstream\/process\n✓ downstream · \S+ {2}Completed/);

      // Task runs and log lines come over the stream too, in the same format.
      const tasks = await workspace.run(["deployment", "run", "with-tasks/default", "--watch", "--flow-run-name", "tasks-1"], env);
      assert.equal(tasks.code, 0, tasks.stderr);
      const taskLines = tasks.stdout.split("\n");
      assert.ok(taskLines.some((line) => progressLine("flow-run tasks-1", "INFO", "doubling 2 twice").test(line)), tasks.stdout);
      assert.ok(taskLines.some((line) => progressLine("task-run double-0", "double", "Completed").test(line)), tasks.stdout);
      assert.match(tasks.stdout, /\n✓ with-tasks · tasks-1 {2}Completed .*\n├─ ✓ double-0 {2}Completed .*\n└─ ✓ double-1 {2}Completed/);

      const help = await workspace.run(["deployment", "run", "--help"]);
      assert.match(help.stdout, /--grace <seconds>/);
      assert.match(help.stdout, /waits --grace seconds more \(default 2\)/);
    } finally {
      server.kill("SIGTERM");
      await server.result;
    }
  });
});
