// The seed's demo end to end through the real CLI on the embedded default: one command runs the
// four kinds of dependency (subflow, deployment, state-based wait, automation), shows live progress
// of every run they cause, and waits for all of them.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliWorkspace, repoRoot } from "../test-support/cli-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";

interface ChainLink {
  kind: string;
  name: string;
}

interface Row {
  name: string;
  flow_name: string;
  state_name: string;
  parameters: string;
  chain: string;
  result: string | null;
}

describe("the seed demo (npm run demo)", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("runs subflow, deployment, state and event dependencies with one command, each downstream once", { timeout: 120_000 }, async () => {
    const demoFile = path.join(repoRoot, "examples/demo-flow-dependencies.ts");
    const result = await workspace.run(["run", demoFile]);
    assert.equal(result.code, 0, result.stderr);

    const db = openSqliteConnection(workspace.dbPath, { readonly: true });
    let rows: Row[];
    try {
      rows = db.prepare("SELECT name, flow_name, state_name, parameters, chain, result FROM flow_runs ORDER BY id").all() as Row[];
    } finally {
      db.close();
    }
    const of = (flowName: string) => rows.filter((r) => r.flow_name === flowName);
    const demo = of("demo-flow-dependencies")[0]!;
    assert.equal(demo.state_name, "Completed");
    const demoResult = JSON.parse(demo.result!) as { deployment: string; upstream: string; waitingDownstream: { state: string; result: { batchId: string } } };
    assert.equal(demoResult.deployment, "Completed");
    assert.equal(demoResult.upstream, "Completed");

    const upstream = of("upstream-flow");
    assert.equal(upstream.length, 1);
    const batchId = (JSON.parse(upstream[0]!.result!) as { batchId: string }).batchId;
    assert.equal(demoResult.waitingDownstream.state, "Completed");
    assert.equal(demoResult.waitingDownstream.result.batchId, batchId, "the waiting run took the batch of the upstream run that woke it");

    const downstream = of("downstream-flow");
    assert.ok(downstream.every((r) => r.state_name === "Completed"), "every run the demo caused finished before the command ended");
    const chains = downstream.map((r) => (JSON.parse(r.chain) as ChainLink[]).map((l) => `${l.kind}:${l.name}`));
    assert.ok(downstream.some((r) => JSON.parse(r.parameters).upstreamBatchId === "demo-batch"), "the deployment run got its parameters");
    const afterUpstream = downstream.filter((_, i) => chains[i]!.includes("flow-run:upstream-flow"));
    assert.equal(afterUpstream.length, 1, "the upstream run started downstream once");
    assert.ok(chains[downstream.indexOf(afterUpstream[0]!)]!.includes("automation:downstream-after-upstream"), "through the automation (the pattern the demo shows)");
    assert.deepEqual(JSON.parse(afterUpstream[0]!.parameters), { upstreamBatchId: batchId }, "the templated batch id kept its value");
    assert.equal(downstream.length, 3, "step 2's run, step 3's waiting run, the automation's run");

    const listed = await workspace.run(["deployment", "ls", "--json"]);
    const entrypoints = Object.fromEntries((JSON.parse(listed.stdout) as { name: string; entrypoint: string }[]).map((d) => [d.name, d.entrypoint]));
    assert.equal(
      entrypoints["data-processing-flow/data-processing-demo"],
      "examples/data-processing-flow.ts:dataProcessing",
      "the hourly deployment still runs the file that declares it",
    );

    // Live progress: a line for every run of every step as it ran, the worker's runs included.
    for (const run of rows) {
      assert.match(result.stdout, new RegExp(`\\| flow-run ${run.name} \\| ${run.flow_name} \\| Completed\\n`), `live progress of ${run.flow_name} ${run.name}`);
    }
    // The final tree: each step's runs under the step.
    const tree = result.stdout.slice(result.stdout.indexOf("\nFlow run "));
    const named = (flowName: string) => of(flowName).map((r) => r.name);
    const [step2Run, step3Run] = downstream.filter((r) => r !== afterUpstream[0]).map((r) => r.name);
    assert.match(tree, new RegExp(`├─ ✓ demo-1-subflow · .*\\n│  └─ ✓ data-processing-flow · ${named("data-processing-flow")[0]} `));
    assert.match(tree, new RegExp(`├─ ✓ demo-2-deployment · .*\\n│  └─ ✓ downstream-flow · ${step2Run} `));
    assert.match(tree, new RegExp(`├─ ✓ demo-3-state · .*\\n│  └─ ✓ downstream-flow · ${step3Run} `));
    assert.match(tree, new RegExp(`└─ ✓ demo-4-events · .*\\n   └─ ✓ upstream-flow · ${upstream[0]!.name} `));
    assert.match(
      tree,
      new RegExp(`Runs it caused \\(1\\):\\n↳ demo-flow-dependencies → demo-4-events → deployment upstream-flow/upstream-data-preparation → upstream-flow → automation downstream-after-upstream → deployment downstream-flow/downstream-processing\\n✓ downstream-flow · ${afterUpstream[0]!.name} `),
    );
  });
});
