// The seed's examples behave as the seed means them, through the real CLI on one store:
// downstream with no batch id takes the latest successful upstream batch; the conditional
// dependency reads several upstream flows' latest runs (80 %); the circuit breaker reads the
// recent failure rate of upstream-flow's runs (50 %).
import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliWorkspace, repoRoot, type CliProcess } from "../test-support/cli-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";

interface RunJson<R> {
  name: string;
  state: { name: string };
  result: R;
}

interface Conditional {
  mode: string;
  successRate: number;
  upstreams: { flow: string; state: string }[];
}

interface Breaker {
  circuit: string;
  failureRate: number;
  recentRuns: number;
  batchId: string | null;
}

describe("the seed's examples, as the seed means them", { timeout: 300_000 }, () => {
  const workspace = new CliWorkspace();
  cpSync(path.join(repoRoot, "examples"), path.join(workspace.dir, "examples"), { recursive: true });
  const started: CliProcess[] = [];
  after(async () => {
    // A run that hangs (a test failing) must not outlive the test.
    for (const command of started) if (command.child.exitCode === null) command.kill("SIGKILL");
    await workspace.dispose();
  });

  const run = async <R>(spec: string, ...params: string[]): Promise<RunJson<R>> => {
    const command = workspace.start(["run", `examples/${spec}`, ...params.flatMap((p) => ["--param", p]), "--json"]);
    started.push(command);
    const result = await command.result;
    assert.equal(result.code, 0, `${spec}: ${result.stderr}`);
    return JSON.parse(result.stdout) as RunJson<R>;
  };
  /** The states of upstream-flow's runs, oldest first (plain strings: node:sqlite's rows have a null prototype). */
  const upstreamRuns = () => {
    const db = openSqliteConnection(workspace.dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT state_name FROM flow_runs WHERE flow_name = 'upstream-flow' ORDER BY id").all() as { state_name: string }[]).map((row) => row.state_name);
    } finally {
      db.close();
    }
  };

  it("conditional dependency: falls back while its upstream flows have no completed runs", async () => {
    const conditional = await run<Conditional>("advanced-dependencies.ts:conditional-dependency-flow");
    assert.equal(conditional.result.mode, "fallback");
    assert.equal(conditional.result.successRate, 0);
    assert.deepEqual(conditional.result.upstreams.map((u) => `${u.flow} ${u.state}`), [
      "upstream-flow no run yet",
      "data-processing-flow no run yet",
      "downstream-flow no run yet",
    ]);
  });

  it("circuit breaker: closed when upstream-flow's recent runs did not fail, and then it runs upstream", async () => {
    const breaker = await run<Breaker>("advanced-dependencies.ts:circuit-breaker-flow");
    assert.equal(breaker.result.circuit, "closed");
    assert.equal(breaker.result.recentRuns, 0);
    assert.match(breaker.result.batchId ?? "", /^batch-5-/);
    assert.deepEqual(upstreamRuns(), ["Completed"]);
  });

  it("downstream with no batch id takes the latest successful upstream run's batch at once", { timeout: 60_000 }, async () => {
    const upstream = await run<{ batchId: string }>("upstream-flow.ts", "batchSize=3");
    const downstream = await run<{ batchId: string; published: boolean }>("downstream-flow.ts");
    assert.equal(downstream.state.name, "Completed");
    assert.equal(downstream.result.batchId, upstream.result.batchId);
  });

  it("conditional dependency: processes fully once at least 80 % of its upstream flows' latest runs completed", async () => {
    const partly = await run<Conditional>("advanced-dependencies.ts:conditional-dependency-flow");
    assert.equal(partly.result.mode, "fallback", "2 of 3 is below 80 %");
    assert.equal(Math.round(partly.result.successRate * 100), 67);
    await run("data-processing-flow.ts");
    const full = await run<Conditional>("advanced-dependencies.ts:conditional-dependency-flow");
    assert.equal(full.result.mode, "full");
    assert.deepEqual(full.result.upstreams.map((u) => u.state), ["Completed", "Completed", "Completed"]);
  });

  it("circuit breaker: opens when more than 50 % of upstream-flow's recent runs failed, and runs nothing", async () => {
    for (let i = 0; i < 3; i++) {
      const failed = await workspace.run(["run", "examples/upstream-flow.ts", "--param", "batchSize=-1"]);
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    }
    const before = upstreamRuns().length;
    const breaker = await run<Breaker>("advanced-dependencies.ts:circuit-breaker-flow");
    assert.equal(breaker.result.circuit, "open");
    assert.equal(breaker.result.recentRuns, 5);
    assert.equal(breaker.result.failureRate, 3 / 5);
    assert.equal(upstreamRuns().length, before, "an open circuit does not call upstream-flow");
  });

  it("each upstream deployment run starts downstream once: through the automation, or from the flow itself", async () => {
    const deployed = await workspace.run(["deploy", "examples"]);
    assert.equal(deployed.code, 0, deployed.stderr);
    const downstreamChains = () => {
      const db = openSqliteConnection(workspace.dbPath, { readonly: true });
      try {
        const rows = db.prepare("SELECT chain FROM flow_runs WHERE flow_name = 'downstream-flow' ORDER BY id").all() as { chain: string }[];
        return rows.map((r) => ((JSON.parse(r.chain) ?? []) as { kind: string; name: string }[]).map((l) => `${l.kind}:${l.name}`));
      } finally {
        db.close();
      }
    };
    for (const [deployment, viaAutomation] of [
      ["upstream-flow/upstream-data-preparation", true],
      ["upstream-flow/upstream-then-downstream", false],
    ] as const) {
      const before = downstreamChains().length;
      const result = await workspace.run(["deployment", "run", deployment, "--watch"]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const caused = downstreamChains().slice(before);
      assert.equal(caused.length, 1, `${deployment}: one downstream run, got ${JSON.stringify(caused)}`);
      assert.ok(caused[0]!.includes(`deployment:${deployment}`), `${deployment} led to it`);
      assert.equal(caused[0]!.includes("automation:downstream-after-upstream"), viaAutomation, deployment);
    }
  });
});
