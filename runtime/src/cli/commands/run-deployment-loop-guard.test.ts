// The runtime loop guard on runDeployment: a deployment whose flow runs its own deployment is
// stopped when the chain would visit it a fourth time — on a real `tributary server start` process
// and on the embedded server of `tributary run` — with an event, a log line and a LoopGuardError.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { TributaryEvent } from "../../orchestrator/contract.js";
import { clientOfRecordedServer } from "../../orchestrator/test-support/authorized-client.js";
import type { FlowRunRecord, StoredLogRecord } from "../../store/records.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

const REFUSAL = /runDeployment\("again\/self"\) was refused: the chain that led here \(.*\) already ran it 3 times, and the limit is 3/;

/** What the test reads back: the deployment's runs in creation order, refusal events, logs of a run. */
interface Observed {
  runs: FlowRunRecord[];
  refusals: TributaryEvent[];
  logs(run: FlowRunRecord): Promise<StoredLogRecord[]>;
}

function assertStoppedAtLimit({ runs, refusals }: Observed): void {
  // Three runs of again/self (depth 1, 2, 3 or 0, 1, 2); the third one's runDeployment was refused.
  assert.equal(runs.length, 3, `runs of again/self: ${runs.map((r) => `${r.name} ${r.state.name}`).join(", ")}`);
  assert.deepEqual(runs.map((r) => r.state.name), ["Completed", "Completed", "Failed"]);
  assert.match(runs[2]!.state.message ?? "", REFUSAL);
  assert.equal(refusals.length, 1, JSON.stringify(refusals));
  const [refusal] = refusals;
  assert.equal(refusal!.payload.deployment, "again/self");
  assert.equal(refusal!.payload.maxChainRepeats, 3);
  assert.match(String(refusal!.payload.reason), REFUSAL);
  assert.equal(refusal!.related?.[0]?.id, `tributary.flow-run.${runs[2]!.id}`, "the refused caller is the related resource");
}

describe("the runtime loop guard stops runDeployment of its own deployment", { timeout: 300_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("loop-guard");
  after(() => workspace.dispose());

  it("on the embedded server of tributary run", async () => {
    const result = await workspace.run(["run", "self-calling.ts:again"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^tributary: warning: ${REFUSAL.source}`, "m"));
    const store = openSqliteStore(workspace.dbPath);
    try {
      const runs = (await store.listFlowRuns({ flowName: "again", sort: "created-asc" })).filter((r) => r.deploymentId !== undefined);
      const refusals = await store.listEvents({ event: "tributary.deployment.run-refused" });
      const observed = { runs, refusals, logs: (run: FlowRunRecord) => store.getLogs(run.id) };
      assertStoppedAtLimit(observed);
      const failedLine = (await observed.logs(runs[2]!)).map((l) => l.message).join("\n");
      assert.match(failedLine, /Failed: LoopGuardError: /);
    } finally {
      await store.close();
    }
  });

  it("on a tributary server start process", async () => {
    const server = workspace.start(["server", "start", "--port", "0"]);
    const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
    try {
      const env = { TRIBUTARY_API_URL: url! };
      const deployed = await workspace.run(["deploy", "self-calling.ts"], env);
      assert.equal(deployed.code, 0, deployed.stderr);
      const since = new Date().toISOString();
      const watched = await workspace.run(["deployment", "run", "again/self", "--watch"], env);
      assert.equal(watched.code, 0, watched.stdout + watched.stderr);
      await server.waitForLine(new RegExp(`^tributary server: warning: ${REFUSAL.source}`), "stderr");

      const client = clientOfRecordedServer(workspace.dbPath);
      const get = async <T>(route: string): Promise<T> => {
        const response = await client.fetch(`${url}${route}`);
        assert.equal(response.status, 200, route);
        return (await response.json()) as T;
      };
      const runs = (await get<FlowRunRecord[]>(`/api/flow-runs?deploymentName=${encodeURIComponent("again/self")}&sort=created-asc`)).filter(
        (r) => r.createdAt >= since,
      );
      // The store is the one the embedded case used: only what happened since counts.
      const refusals = (await get<TributaryEvent[]>("/api/events?event=tributary.deployment.run-refused")).filter((e) => e.occurred >= since);
      const observed = { runs, refusals, logs: (run: FlowRunRecord) => get<StoredLogRecord[]>(`/api/flow-runs/${run.id}/logs`) };
      assertStoppedAtLimit(observed);
      assert.match((await observed.logs(runs[2]!)).map((l) => l.message).join("\n"), /Failed: LoopGuardError: /);
    } finally {
      server.kill("SIGTERM");
      await server.result;
    }
  });
});
