// The dashboard's graphs in Chromium against a real server: the dependency graph a deploy
// registers (PUT /api/graph, computed by the real analysis from a fixture with a TRB100 cycle) is
// drawn with its cycle in red and listed with its message, and drawn again when a deploy sends it
// anew (the stream's tributary.graph.registered); a deployment run of a flow with two tasks,
// run by the server's worker, is drawn as a node per task run with its state in text.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { loadWorkspace, toGraphDetails } from "../../../server/src/analysis/index.js";
import type { PutGraphRequest } from "../orchestrator/contract.js";
import { repoRoot, ServerWorkspace, type TestServer } from "../orchestrator/test-support/server-harness.js";
import type { FlowRunRecord, TaskRunRecord } from "../store/records.js";
import { browserTestsMissing, BUILT_DASHBOARD, launchChromium, screenshot, signedInPage } from "./test-support/dashboard-browser.js";

describe("the dashboard's graphs in Chromium", { skip: browserTestsMissing, timeout: 300_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    server = await workspace.start({ scheduler: false, dashboardDir: BUILT_DASHBOARD });
    browser = await launchChromium();
    context = await browser.newContext({ colorScheme: "light" });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await workspace.dispose();
  });

  it("Graph draws the registered project's nodes, its cycle in red, and lists the cycle's TRB100 message with its hops", async () => {
    const root = path.join(repoRoot, "test-fixtures/analysis/run-deployment-cycle");
    const project = await loadWorkspace([root], { rootDir: root });
    const details = toGraphDetails(project.analyze(), root);
    assert.equal(details.cycles.length, 1, "the fixture has one cycle");
    const body: PutGraphRequest = { ...details, source: { files: ["upstream.ts"], deployedAt: new Date().toISOString() } };
    assert.equal((await server.api("PUT", "/api/graph", body)).status, 200);

    const page = await signedInPage(context, server.url, server.token);
    await page.locator("nav a", { hasText: "Graph" }).click();
    const svg = page.locator("#dependency-graph svg[role=img]");
    await svg.waitFor({ timeout: 60_000 });
    assert.match((await svg.getAttribute("aria-label")) ?? "", /^Dependency graph of .*run-deployment-cycle: .*2 flows.*1 cycle/);
    for (const id of ["flow:upstream-flow", "flow:downstream-flow", "deployment:upstream-flow/nightly", "deployment:downstream-flow/downstream-processing"]) {
      assert.equal(await page.locator(`#dependency-graph .node[data-id="${id}"]`).count(), 1, `${id} is drawn`);
    }
    const cycleEdges = page.locator("#dependency-graph .edge.cycle");
    assert.ok((await cycleEdges.count()) >= 2, "the cycle's edges carry the cycle class");
    assert.ok((await page.locator("#dependency-graph .node.cycle").count()) >= 2, "so do its nodes");
    assert.equal(await cycleEdges.first().evaluate((e) => getComputedStyle(e).stroke), "rgb(207, 34, 46)", "drawn in the dashboard's red");
    assert.notEqual(await page.locator("#dependency-graph .edge:not(.cycle)").first().evaluate((e) => getComputedStyle(e).stroke), "rgb(207, 34, 46)");

    const item = page.locator("#graph-cycles .cycle-item");
    assert.equal(await item.count(), 1);
    assert.equal(await item.locator(".cycle-code").textContent(), "TRB100");
    assert.match((await item.locator(".cycle-message").textContent()) ?? "", /^Dependency cycle: downstream-flow → upstream-flow → downstream-flow\/downstream-processing → downstream-flow\./);
    assert.equal(await item.locator(".cycle-hops > li").count(), details.cycles[0]!.hops.length, "each hop is named");
    await screenshot(page, "dependency-graph");
    // Keyboard: the cycle is reached by Tab and focusing it marks its edges.
    await item.focus();
    assert.ok((await page.locator("#dependency-graph .edge.cycle.highlight").count()) >= 2);

    // A later deploy of the project (its cycle mended) redraws the open page: no reload.
    const mended: PutGraphRequest = { ...body, cycles: [], source: { files: ["upstream.ts"], deployedAt: new Date().toISOString() } };
    assert.equal((await server.api("PUT", "/api/graph", mended)).status, 200);
    await page.locator("#graph-cycles .no-cycles").waitFor({ timeout: 30_000 });
    assert.match((await svg.getAttribute("aria-label")) ?? "", /2 flows.*; no cycles\.$/);
    assert.equal(await page.locator("#dependency-graph .node[data-id=\"flow:upstream-flow\"]").count(), 1, "the project is drawn again");
    await page.close();
  });

  it("a run's Graph draws a node per task run with its state, in text as well as colour", async () => {
    await server.register([{ name: "with-tasks/default", flowName: "with-tasks", export: "withTasks" }]);
    await server.subscribe();
    const created = await server.api<FlowRunRecord>("POST", "/api/deployments/with-tasks%2Fdefault/runs", { parameters: { n: 3 } });
    assert.equal(created.status, 201);
    const runId = created.body.id;
    const page = await signedInPage(context, server.url, server.token);
    // Opened while the run may still be going: the stream brings it to its end.
    await page.evaluate((id) => (location.hash = `#/runs/${id}/graph`), runId);
    await page.locator("#run-graph svg[role=img]").waitFor({ timeout: 60_000 });
    await server.waitForRunState(runId, "Completed");
    const tasks = page.locator("#run-graph .node.run-task");
    await page.locator("#run-graph .node.run-task.state-completed").nth(1).waitFor({ timeout: 60_000 });
    assert.equal(await tasks.count(), 2);
    assert.deepEqual(await tasks.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-state"))), ["Completed", "Completed"]);
    for (const label of await tasks.locator("text.label").allTextContents()) assert.match(label, /^double/);
    for (const detail of await tasks.locator("text.detail").allTextContents()) assert.match(detail, /^Completed · /);
    const taskRuns = (await server.api<TaskRunRecord[]>("GET", `/api/flow-runs/${runId}/task-runs`)).body;
    const upstream = taskRuns.reduce((n, t) => n + new Set(t.upstreamTaskRunIds).size, 0);
    assert.equal(await page.locator("#run-graph .edge").count(), upstream, "an edge per upstream task run the server recorded");
    await page.locator("h1 .state", { hasText: "Completed" }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await page.locator("#run-graph-nodes li").evaluateAll((items) => items.map((i) => i.getAttribute("data-state"))), ["Completed", "Completed"]);
    await page.close();
  });
});
