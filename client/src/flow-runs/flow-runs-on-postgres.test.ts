// The Flow Runs view's own parts — the extension's API client, its model and its items' fields —
// against a `tributary server start` on PostgreSQL whose deployment's runs a `tributary worker start`
// in another directory (another machine's checkout) executes: the view works unchanged there. The
// live events come over the server's stream, as the extension's Orchestration receives them.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { CliWorkspace, type CliProcess } from "../../../runtime/src/cli/test-support/cli-workspace.js";
import { EventStreamClient, isRunEnd } from "../../../runtime/src/orchestrator/test-support/event-stream-client.js";
import { fixtureDeployment } from "../../../runtime/src/orchestrator/test-support/server-harness.js";
import { ownTestDatabase, postgresBackend } from "../../../runtime/src/test-support/store-backends.js";
import { TributaryApi, type TributaryEvent } from "../server/tributary-api.js";
import { FlowRunsModel, type FlowRunElement } from "./flow-runs-model.js";
import { flowRunFields, taskRunFields } from "./run-item-fields.js";

describe("Flow Runs against a server on PostgreSQL with a remote worker", { skip: postgresBackend().skip, timeout: 180_000 }, () => {
  const database = ownTestDatabase("flow_runs_view");
  const token = randomBytes(24).toString("base64url");
  const env = { TRIBUTARY_API_TOKEN: token, TRIBUTARY_DATABASE_URL: database.url };
  const serverSide = new CliWorkspace();
  const workerSide = new CliWorkspace();
  for (const side of [serverSide, workerSide]) side.addFixtures("server");
  const processes: CliProcess[] = [];
  const stream = new EventStreamClient();
  let api: TributaryApi;

  before(async () => {
    await database.create();
    const server = serverSide.start(["server", "start", "--port", "0"], env);
    processes.push(server);
    const [, url] = (await server.waitForLine(/^Tributary server listening on (\S+)/)) as [string, string];
    api = new TributaryApi(url, token);
    const worker = workerSide.start(["worker", "start", "--server", url, "--pool", "remote"], env);
    processes.push(worker);
    await worker.waitForLine(/^Tributary worker started: /);
    const registered = await fetch(`${url}/api/deployments`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ deployments: [fixtureDeployment(serverSide.dir, "with-tasks/remote", "withTasks", { pool: "remote" })] }),
    });
    assert.equal(registered.status, 200, await registered.text());
    await stream.open(url, token);
  });

  after(async () => {
    stream.close();
    for (const process of processes) process.kill("SIGTERM");
    await Promise.all(processes.map((process) => process.result));
    await database.drop();
    await Promise.all([serverSide.dispose(), workerSide.dispose()]);
  });

  it("follows a remote worker's run live, then lists it, its task runs and its log as the view reloads them", async () => {
    const model = new FlowRunsModel(() => 50);
    assert.deepEqual(await model.roots(api), [], "an empty database lists nothing");

    const run = await api.runDeployment("with-tasks/remote", { parameters: { n: 3 } });
    assert.equal(run.state.name, "Scheduled");
    const end = await stream.waitFor(isRunEnd(run.id));
    assert.equal(end.event, "tributary.flow-run.Completed");
    // The worker's task-run changes and log line reach this server's stream through the database's
    // live channel: not stored, and not ordered with the stored events (they may come after the end).
    const ofRun = (e: TributaryEvent) => e.related?.some((r) => r.id === `tributary.flow-run.${run.id}`) === true;
    await stream.waitFor((e) => ofRun(e) && e.event === "tributary.log");
    const taskEnds = new Set<string>();
    await stream.waitFor((e) => ofRun(e) && e.event === "tributary.task-run.Completed" && taskEnds.add(e.resource.id).size === 2);
    // Live: the stream's events alone put the run, with its task runs, in the list.
    const change = model.apply(stream.events);
    assert.ok(change.root, "the new run changes the list");
    const live = model.find(run.id);
    assert.ok(live !== undefined, "the run is in the list from its events");
    assert.deepEqual([live.run.state.name, live.run.result, live.hasChildren], ["Completed", 12, true]);
    assert.match(flowRunFields(live.run, new Date()).description, /^Completed · \d+(\.\d+)? ?m?s · /);

    // Reloaded from the server (a refresh, or VS Code reopened): the same, from PostgreSQL.
    model.reset();
    const [listed, ...others] = (await model.roots(api)) as FlowRunElement[];
    assert.equal(others.length, 0);
    assert.deepEqual([listed!.run.id, listed!.run.state.name, listed!.run.result, listed!.hasChildren], [run.id, "Completed", 12, true]);
    assert.equal(flowRunFields(listed!.run, new Date()).label, `with-tasks · ${run.name}`);
    const children = await model.children(api, listed!);
    assert.deepEqual(
      children.map((child) => (child.kind === "taskRun" ? [child.task.name, child.task.state.name, child.task.result] : ["flow run", child.run.name])),
      [
        ["double-0", "Completed", 6],
        ["double-1", "Completed", 12],
      ],
    );
    assert.match(taskRunFields(children[0]!.kind === "taskRun" ? children[0].task : (undefined as never), new Date()).description, /^Completed/);
    const logs = await api.logs(run.id);
    assert.ok(logs.some((line) => line.message === "doubling 3 twice"), `the flow's log line, written by the remote worker's runner: ${JSON.stringify(logs.map((l) => l.message))}`);
  });
});
