import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { clientOfRecordedServer } from "../../orchestrator/test-support/authorized-client.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

describe("tributary deployment run --watch against a running server", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  after(() => workspace.dispose());

  it("follows the run an automation starts after the watched run has finished", async () => {
    const server = workspace.start(["server", "start", "--port", "0"]);
    const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
    try {
      const env = { TRIBUTARY_API_URL: url! };
      // downstream/process and the automation "after-upstream" (upstream Completed → downstream/process).
      const deployed = await workspace.run(["deploy", "orchestrated.ts"], env);
      assert.equal(deployed.code, 0, deployed.stderr);
      const registered = await clientOfRecordedServer(workspace.dbPath).fetch(`${url}/api/deployments`, {
        method: "POST",
        body: JSON.stringify({ deployments: [{ name: "upstream/default", flowName: "upstream", entrypoint: "orchestrated.ts:upstream", workDir: workspace.dir }] }),
      });
      assert.equal(registered.status, 200);

      const watched = await workspace.run(["deployment", "run", "upstream/default", "--watch"], env);
      assert.equal(watched.code, 0, watched.stderr);
      const lines = watched.stdout.trim().split("\n");
      const upstreamDone = lines.findIndex((line) => /upstream \(upstream\/default\) \S+ Completed/.test(line));
      assert.ok(upstreamDone >= 0, watched.stdout);
      // The automation's downstream run starts only after upstream completed; --watch still follows it to the end.
      const triggered = lines.slice(upstreamDone + 1).filter((line) => /downstream \(downstream\/process\) \S+ (Scheduled|Running|Completed)/.test(line));
      assert.deepEqual(triggered.map((line) => line.split(" ").at(-1)), ["Scheduled", "Running", "Completed"], watched.stdout);
      assert.match(lines.at(-1)!, /^Flow run \S+ of upstream\/default Completed; 2 more run\(s\) followed\.$/);

      const help = await workspace.run(["deployment", "run", "--help"]);
      assert.match(help.stdout, /--grace <seconds>/);
      assert.match(help.stdout, /waits --grace seconds more \(default 2\)/);
    } finally {
      server.kill("SIGTERM");
      await server.result;
    }
  });
});
