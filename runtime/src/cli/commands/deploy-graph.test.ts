// `tributary deploy` sends the static graph of the deployed files' project to the server (PUT
// /api/graph), which GET /api/graph answers for the dashboard: the real CLI against the real
// `tributary server start`, on a fixture whose cycle crosses into a file the deploy did not name.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { RegisteredGraph } from "../../orchestrator/contract.js";
import { readServerFile, serverFilePath } from "../../orchestrator/server-file.js";
import { CliWorkspace, type CliProcess } from "../test-support/cli-workspace.js";

describe("tributary deploy sends the project's dependency graph", { timeout: 300_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("analysis/run-deployment-cycle");
  let server: CliProcess;
  let url: string;
  let token: string;
  const env = () => ({ TRIBUTARY_API_URL: url });
  const graphs = async () => {
    const response = await fetch(`${url}/api/graph`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    return (await response.json()) as RegisteredGraph[];
  };

  before(async () => {
    server = workspace.start(["server", "start", "--port", "0"]);
    [, url = ""] = await server.waitForLine(/^Tributary server listening on (\S+)/);
    token = readServerFile(serverFilePath(workspace.dbPath))!.token;
  });
  after(async () => {
    server.kill("SIGTERM");
    await server.result;
    await workspace.dispose();
  });

  it("stores the graph of the whole project, with the cycle's TRB100 message, after registering", async () => {
    const deployed = await workspace.run(["deploy", "upstream.ts"], env());
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /^created +deployment upstream-flow\/nightly$/m);
    assert.match(deployed.stdout, /^Sent the dependency graph of \. \(\d+ nodes, \d+ edges, 1 cycle: `tributary check` shows it\)\.$/m);

    const [graph, ...others] = await graphs();
    assert.equal(others.length, 0);
    assert.equal(graph!.root, workspace.dir);
    assert.deepEqual(graph!.source.files, ["upstream.ts"]);
    const ids = graph!.nodes.map((n) => n.id);
    for (const id of ["flow:upstream-flow", "flow:downstream-flow", "deployment:upstream-flow/nightly", "deployment:downstream-flow/downstream-processing"]) assert.ok(ids.includes(id), `${id} in ${ids.join(", ")}`);
    assert.ok(graph!.edges.some((e) => e.from === "flow:upstream-flow" && e.kind === "run-deployment" && e.waiting));
    assert.equal(graph!.cycles.length, 1);
    const [cycle] = graph!.cycles;
    assert.equal(cycle!.code, "TRB100");
    assert.match(cycle!.message, /^Dependency cycle: downstream-flow → upstream-flow → downstream-flow\/downstream-processing → downstream-flow\./);
    assert.deepEqual(cycle!.hops.map((h) => h.file).sort(), ["downstream.ts", "downstream.ts", "upstream.ts"], "the hops name the file the deploy did not");

    // The analysis went through the project's caches, as a check does: the next check parses nothing.
    const check = await workspace.run(["check", "--verbose"], env());
    assert.match(check.stderr, /^tributary: facts: [1-9]\d* from cache, 0 resolved$/m, check.stderr);
  });

  it("--no-graph registers without sending it; --json says what was sent", async () => {
    const skipped = await workspace.run(["deploy", "downstream.ts", "--no-graph"], env());
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.doesNotMatch(skipped.stdout, /dependency graph/);
    assert.deepEqual((await graphs())[0]!.source.files, ["upstream.ts"], "the stored graph is the last one sent");

    const json = await workspace.run(["deploy", "downstream.ts", "upstream.ts", "--json"], env());
    assert.equal(json.code, 0, json.stderr);
    const printed = JSON.parse(json.stdout) as { graph: { root: string; cycles: number } };
    assert.deepEqual({ root: printed.graph.root, cycles: printed.graph.cycles }, { root: workspace.dir, cycles: 1 });
    assert.deepEqual((await graphs())[0]!.source.files, ["downstream.ts", "upstream.ts"]);

    const registered = await workspace.run(["graph", "--registered"], env());
    assert.equal(registered.code, 0, registered.stderr);
    assert.deepEqual(JSON.parse(registered.stdout), await graphs(), "graph --registered prints what GET /api/graph answers");
    const refused = await workspace.run(["graph", "--registered", "--format", "dot"], env());
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--registered prints JSON only, got --format dot/);
  });

  it("still registers when the graph cannot be made, with a warning that says why", async () => {
    const config = path.join(workspace.dir, "tributary.config.json");
    writeFileSync(config, JSON.stringify({ exclude: 5 }));
    try {
      const deployed = await workspace.run(["deploy", "upstream.ts"], env());
      assert.equal(deployed.code, 0, deployed.stderr);
      assert.match(deployed.stdout, /^unchanged +deployment upstream-flow\/nightly$/m);
      assert.match(deployed.stderr, /warning: the dependency graph was not sent to the server \(Bad configuration in .*tributary\.config\.json: .*exclude.*\); the deployments and automations are registered\. Pass --no-graph to skip it\./);
    } finally {
      rmSync(config);
    }
  });
});
