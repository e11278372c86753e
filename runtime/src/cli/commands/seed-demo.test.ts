// The seed's demo end to end through the real CLI on the embedded default: one command runs the
// four kinds of dependency (subflow, deployment, state-based wait, automation) and waits for every
// run they cause.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliWorkspace, repoRoot } from "../test-support/cli-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";

interface ChainLink {
  kind: string;
  name: string;
}

describe("the seed demo (npm run demo)", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("runs subflow, deployment, state and event dependencies with one command", { timeout: 120_000 }, async () => {
    const demoFile = path.join(repoRoot, "examples/demo-flow-dependencies.ts");
    const result = await workspace.run(["run", demoFile, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as {
      state: { name: string };
      result: { deployment: string; upstream: string; waitingDownstream: { state: string; result: { batchId: string } } };
      subflowRuns: { flowName: string }[];
    };
    assert.equal(run.state.name, "Completed");
    assert.ok(run.subflowRuns.some((r) => r.flowName === "data-processing-flow"), "the subflow is nested in the demo run");
    assert.equal(run.result.deployment, "Completed");
    assert.equal(run.result.upstream, "Completed");

    const db = openSqliteConnection(workspace.dbPath, { readonly: true });
    try {
      const upstream = db.prepare("SELECT result FROM flow_runs WHERE flow_name = 'upstream-flow'").all() as { result: string }[];
      assert.equal(upstream.length, 1);
      const batchId = (JSON.parse(upstream[0]!.result) as { batchId: string }).batchId;
      assert.equal(run.result.waitingDownstream.state, "Completed");
      assert.equal(run.result.waitingDownstream.result.batchId, batchId, "the waiting run took the batch of the upstream run that woke it");

      const downstream = db
        .prepare("SELECT state_name, parameters, chain FROM flow_runs WHERE flow_name = 'downstream-flow'")
        .all() as { state_name: string; parameters: string; chain: string }[];
      assert.ok(downstream.every((r) => r.state_name === "Completed"), "every run the demo caused finished before the command ended");
      const chains = downstream.map((r) => (JSON.parse(r.chain) as ChainLink[]).map((l) => `${l.kind}:${l.name}`));
      assert.ok(downstream.some((r) => JSON.parse(r.parameters).upstreamBatchId === "demo-batch"), "the deployment run got its parameters");
      const byAutomation = downstream.filter((_, i) => chains[i]!.includes("automation:downstream-after-upstream"));
      assert.equal(byAutomation.length, 1, "the automation ran downstream once, when upstream completed");
      assert.deepEqual(JSON.parse(byAutomation[0]!.parameters), { upstreamBatchId: batchId }, "the templated batch id kept its value");
      const byUpstream = chains.filter((c) => c.at(-2) === "deployment:downstream-flow/downstream-processing" && c.includes("flow-run:upstream-flow") && !c.includes("automation:downstream-after-upstream"));
      assert.equal(byUpstream.length, 1, "upstream started downstream itself, fire and forget");
    } finally {
      db.close();
    }
  });
});
