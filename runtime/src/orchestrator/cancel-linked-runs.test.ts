import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CliWorkspace } from "../cli/test-support/cli-workspace.js";
import type { FlowRunRecord } from "../store/records.js";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { TributaryEvent } from "./contract.js";
import { startServer, type RunningServer } from "./start-server.js";
import { authorizedClient } from "./test-support/authorized-client.js";
import { builtWorker } from "./test-support/server-harness.js";

/**
 * Cancelling a run that waits in runDeployment: the run it linked as a subflow is cancelled with
 * it; a run it did not link, or started without waiting, is left alone — unless the parent is
 * cancelled through the server, which cancels every unfinished run linked to it.
 */
describe("cancelling a parent run cancels its linked deployment runs", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  const store = openSqliteStore(workspace.dbPath);
  let server: RunningServer;
  const events: TributaryEvent[] = [];
  const waiters: { predicate: (e: TributaryEvent) => boolean; resolve: (e: TributaryEvent) => void }[] = [];
  const waitFor = (predicate: (e: TributaryEvent) => boolean): Promise<TributaryEvent> => {
    const found = events.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ predicate, resolve }));
  };
  const runOf = (e: TributaryEvent) => (e.payload as unknown as { flowRun: FlowRunRecord }).flowRun;
  /** The hang/plain run started by the flow run named `parentFlow` (linked or, by its chain, not). */
  const childRunning = (parentFlow: string) =>
    waitFor((e) => e.event === "tributary.flow-run.Running" && e.resource.flowName === "hang" && (e.chain ?? []).some((l) => l.kind === "flow-run" && runName(l.id) === parentFlow));
  const parentNames = new Map<string, string>();
  const runName = (id: string) => parentNames.get(id);
  const stateOf = (id: string, state: string) => waitFor((e) => e.resource.id === `tributary.flow-run.${id}` && e.event === `tributary.flow-run.${state}`);

  before(async () => {
    server = await startServer({ store, port: 0, scheduler: false, worker: builtWorker, workDirs: [workspace.dir], log: () => undefined });
    server.hub.subscribe((event) => {
      const run = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
      if (run) parentNames.set(run.id, run.flowName);
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!waiter.predicate(event)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
    const deployments = [
      ["hang/plain", "hang"],
      ["waits-on-hang/default", "waitsOnHang"],
      ["fires-and-hangs/default", "firesAndHangs"],
    ].map(([name, exportName]) => ({ name, flowName: name!.split("/")[0], entrypoint: `deployed-flows.ts:${exportName}`, workDir: workspace.dir }));
    const registered = await authorizedClient(server.token).fetch(`${server.url}/api/deployments`, { method: "POST", body: JSON.stringify({ deployments }) });
    assert.equal(registered.status, 200);
  });
  after(async () => {
    await server.close();
    await store.close();
    await workspace.dispose();
  });

  /** Runs `export` with `tributary run`, Ctrl-Cs it once its hang/plain child runs; returns the parent and the child as they end up. */
  async function interruptWhileChildRuns(exportName: string, parentFlow: string): Promise<{ parent: FlowRunRecord; child: FlowRunRecord }> {
    const command = workspace.start(["run", `deployed-flows.ts:${exportName}`], { TRIBUTARY_API_URL: server.url, TRIBUTARY_API_TOKEN: server.token });
    const child = runOf(await childRunning(parentFlow));
    command.kill("SIGINT");
    const result = await command.result;
    assert.equal(result.code, 130, result.stderr); // ended Cancelled
    // The command has exited: whatever it was going to cancel, it has.
    const parentId = child.chain!.find((l) => l.kind === "flow-run" && runName(l.id) === parentFlow)!.id;
    return { parent: (await store.getFlowRun(parentId))!, child: (await store.getFlowRun(child.id))! };
  }

  it("runDeployment waiting for a linked run: Ctrl-C on the parent cancels the child too", async () => {
    const { parent, child } = await interruptWhileChildRuns("waitsOnHang", "waits-on-hang");
    assert.equal(parent.state.name, "Cancelled");
    assert.equal(child.parentFlowRunId, parent.id);
    assert.equal((await stateOf(child.id, "Cancelled")).event, "tributary.flow-run.Cancelled");
  });

  it("a run started with asSubflow: false, or without waiting (timeoutSeconds 0), is left alone", async () => {
    for (const [exportName, flowName] of [["waitsDetached", "waits-detached"], ["firesAndHangs", "fires-and-hangs"]] as const) {
      const { parent, child } = await interruptWhileChildRuns(exportName, flowName);
      assert.equal(parent.state.name, "Cancelled");
      assert.equal(child.state.name, "Running", `${flowName}'s child`);
      await authorizedClient(server.token).fetch(`${server.url}/api/flow-runs/${child.id}/cancel`, { method: "POST" });
      await stateOf(child.id, "Cancelled");
    }
  });

  it("tributary flow-run cancel <parent> through the server cancels the runs linked to it", async () => {
    for (const name of ["waits-on-hang", "fires-and-hangs"]) {
      const created = await authorizedClient(server.token).fetch(`${server.url}/api/deployments/${encodeURIComponent(`${name}/default`)}/runs`, { method: "POST", body: "{}" });
      const parent = (await created.json()) as FlowRunRecord;
      const child = runOf(await waitFor((e) => e.event === "tributary.flow-run.Running" && runOf(e)?.parentFlowRunId === parent.id));
      const cancel = await workspace.run(["flow-run", "cancel", parent.id], { TRIBUTARY_API_URL: server.url, TRIBUTARY_API_TOKEN: server.token });
      assert.equal(cancel.code, 0, cancel.stderr);
      await stateOf(parent.id, "Cancelled");
      await stateOf(child.id, "Cancelled");
    }
  });
});
