// `tributary run` registers the deployments and automations of its file and the files beside it
// with whichever server it uses — here one started separately, as the editor's local server is —
// so the `tributary init` project's upstream run leads to its downstream run through the automation,
// as it does in a terminal with no server running. --no-register skips it.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { TributaryEvent } from "../../orchestrator/contract.js";
import { clientOfRecordedServer } from "../../orchestrator/test-support/authorized-client.js";
import type { FlowRunRecord } from "../../store/records.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/** A downstream file elsewhere that imports the project's downstream flow (whose module declares its deployment) and deploys it under a name of its own. */
const IMPORTER = `import { deploy, flow } from "tributaryjs";
import { downstream } from "../proj/flows/downstream.js";

export { downstream };
export const tiny = flow("tiny", async () => 1);
export const again = deploy(downstream, { name: "from-elsewhere" });
`;

interface Registered {
  name: string;
  entrypoint?: string;
}

describe("tributary run registers its folder's declarations on its own ephemeral server too, saying so once", { timeout: 240_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("with no server running: --no-register runs upstream alone; then the automation runs downstream", async () => {
    const init = await workspace.run(["init", "proj"]);
    assert.equal(init.code, 0, init.stderr);

    const unregistered = await workspace.run(["run", "proj/flows/upstream.ts", "--no-register"]);
    assert.equal(unregistered.code, 0, unregistered.stderr);
    assert.doesNotMatch(unregistered.stdout, /Registered|Runs it caused/);

    const registered = await workspace.run(["run", "proj/flows/upstream.ts"]);
    assert.equal(registered.code, 0, registered.stderr);
    assert.match(registered.stdout, /^Registered with the store at \S+tributary\.db: 2 deployments created, 1 automation created\.$/m);
    assert.match(registered.stdout, /^Runs it caused \(1\):\n↳ upstream-flow → automation downstream-after-upstream → deployment downstream-flow\/downstream-processing$/m);

    const again = await workspace.run(["run", "proj/flows/upstream.ts", "--json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /Registered/, "nothing changed, nothing said");
  });
});

describe("tributary run registers its folder's declarations with a server it did not start", { timeout: 240_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("runs the downstream flow through the automation; with --no-register it registers nothing", async () => {
    const init = await workspace.run(["init", "proj"]);
    assert.equal(init.code, 0, init.stderr);
    mkdirSync(path.join(workspace.dir, "elsewhere"));
    writeFileSync(path.join(workspace.dir, "elsewhere/importer.ts"), IMPORTER);

    const server = workspace.start(["server", "start", "--port", "0"]);
    const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
    const client = clientOfRecordedServer(workspace.dbPath);
    const stream = client.stream(url!, "?storedOnly=true");
    try {
      const runs: FlowRunRecord[] = [];
      const registeredEvents: string[] = [];
      const waiting: { match: (run: FlowRunRecord) => boolean; resolve: (run: FlowRunRecord) => void }[] = [];
      stream.on("message", (data) => {
        const event = JSON.parse(String(data)) as TributaryEvent;
        if (event.event.endsWith(".registered")) registeredEvents.push(`${event.event} ${event.resource.name} ${String(event.payload.status)}`);
        const run = event.payload.flowRun as unknown as FlowRunRecord | undefined;
        if (run === undefined) return;
        runs.push(run);
        for (const waiter of waiting.filter((w) => w.match(run))) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(run);
        }
      });
      await new Promise((resolve, reject) => stream.once("open", resolve).once("error", reject));
      const runOf = (match: (run: FlowRunRecord) => boolean) =>
        runs.find(match) ?? new Promise<FlowRunRecord>((resolve) => waiting.push({ match, resolve }));
      const list = async <T>(route: string) => (await (await client.fetch(`${url}${route}`)).json()) as T[];
      const env = { TRIBUTARY_API_URL: url! };

      const unregistered = await workspace.run(["run", "proj/flows/upstream.ts", "--no-register"], env);
      assert.equal(unregistered.code, 0, unregistered.stderr);
      assert.doesNotMatch(unregistered.stdout, /Registered/);
      assert.deepEqual(await list("/api/deployments"), [], "--no-register registers no deployment");
      assert.deepEqual(await list("/api/automations"), [], "--no-register registers no automation");

      const registered = await workspace.run(["run", "proj/flows/upstream.ts"], env);
      assert.equal(registered.code, 0, registered.stderr);
      assert.match(registered.stdout, new RegExp(`^Registered with the server at ${url}: 2 deployments created, 1 automation created\\.$`, "m"));
      assert.match(registered.stdout, /^Flow run \S+ \(upstream-flow\) Completed/m);
      const [, upstreamId] = /^Run id: (\S+)$/m.exec(registered.stdout) ?? assert.fail(registered.stdout);
      const downstream = await runOf(
        (run) => run.flowName === "downstream-flow" && run.state.type === "COMPLETED" && run.chain?.some((link) => link.id === upstreamId) === true,
      );
      assert.deepEqual(
        downstream.chain!.map((link) => `${link.kind}:${link.name}`),
        ["flow-run:upstream-flow", "automation:downstream-after-upstream", "deployment:downstream-flow/downstream-processing", "flow-run:downstream-flow"],
      );
      // The stream said so before the runs (views listing deployments and automations reload on it).
      assert.deepEqual(registeredEvents.sort(), [
        "tributary.automation.registered downstream-after-upstream created",
        "tributary.deployment.registered downstream-flow/downstream-processing created",
        "tributary.deployment.registered upstream-flow/upstream-data-preparation created",
      ]);

      // Nothing changed: nothing to say.
      const again = await workspace.run(["run", "proj/flows/upstream.ts"], env);
      assert.equal(again.code, 0, again.stderr);
      assert.doesNotMatch(again.stdout, /Registered/);

      // A file that imports the downstream flow registers its own deployment only: the imported
      // module's deployment stays the one its own file declares.
      const importing = await workspace.run(["run", "elsewhere/importer.ts:tiny"], env);
      assert.equal(importing.code, 0, importing.stderr);
      assert.match(importing.stdout, new RegExp(`^Registered with the server at ${url}: 1 deployment created\\.$`, "m"));
      const deployments = (await list<Registered>("/api/deployments")).map((d) => `${d.name} ${d.entrypoint}`).sort();
      assert.deepEqual(deployments, [
        "downstream-flow/downstream-processing proj/flows/downstream.ts:downstream",
        "downstream-flow/from-elsewhere elsewhere/importer.ts:downstream",
        "upstream-flow/upstream-data-preparation proj/flows/upstream.ts:upstream",
      ]);
    } finally {
      stream.terminate();
      server.kill("SIGTERM");
      await server.result;
    }
  });
});
