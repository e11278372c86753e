// Advanced dependency patterns, as the seed has them:
// - a conditional dependency: read the latest finished run of each upstream flow (`readFlowRuns`)
//   and process fully only when at least 80 % of them completed, else fall back;
// - fan-out/fan-in over partitions;
// - a circuit breaker: read the recent runs of the flow it protects and, above a 50 % failure
//   rate, open (skip the call) instead of adding to the failures.
import { flow, getRunLogger, readFlowRuns, task, type FlowRun } from "tributaryjs";
import { upstream } from "./upstream-flow";

/** The state types of a run that has finished, for reading the latest finished run of a flow. */
const FINISHED: ("COMPLETED" | "FAILED" | "CRASHED" | "CANCELLED")[] = ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"];

export const fullProcessing = task("full-processing", async (successRate: number) => ({ mode: "full", successRate }));
export const fallbackProcessing = task("fallback-processing", async (successRate: number) => ({ mode: "fallback", successRate }));

export const processPartition = task("process-partition", { retries: 1 }, async (partition: number) => {
  getRunLogger().info(`Processing partition ${partition}`);
  return { partition, rows: 1000 + partition * 10 };
});

export const aggregate = task("aggregate-partitions", async (parts: { partition: number; rows: number }[]) => ({
  partitions: parts.length,
  rows: parts.reduce((sum, p) => sum + p.rows, 0),
}));

function latestState(flowName: string, runs: FlowRun[]): { flow: string; run: string | null; state: string } {
  const [run] = runs;
  return { flow: flowName, run: run?.name ?? null, state: run?.state.name ?? "no run yet" };
}

export const conditionalDependency = flow(
  "conditional-dependency-flow",
  { description: "Processes fully when at least 80 % of its upstream flows' latest runs completed, else falls back." },
  async ({ threshold = 0.8 }: { threshold?: number }) => {
    const upstreams = [
      latestState("upstream-flow", await readFlowRuns({ flowName: "upstream-flow", state: FINISHED, limit: 1 })),
      latestState("data-processing-flow", await readFlowRuns({ flowName: "data-processing-flow", state: FINISHED, limit: 1 })),
      latestState("downstream-flow", await readFlowRuns({ flowName: "downstream-flow", state: FINISHED, limit: 1 })),
    ];
    const completed = upstreams.filter((u) => u.state === "Completed").length;
    const successRate = completed / upstreams.length;
    getRunLogger().info(
      `Upstream flows: ${upstreams.map((u) => `${u.flow} ${u.state}`).join(", ")} — ${completed}/${upstreams.length} completed (${Math.round(successRate * 100)} %)`,
    );
    const processing = successRate >= threshold ? await fullProcessing(successRate) : await fallbackProcessing(successRate);
    return { ...processing, upstreams };
  },
);

export const fanOutFanIn = flow("fan-out-fan-in-flow", async ({ partitions = 8 }: { partitions?: number }) => {
  const results = await processPartition.map(Array.from({ length: partitions }, (_, i) => i)).result();
  return aggregate(results);
});

export const circuitBreaker = flow(
  "circuit-breaker-flow",
  { description: "Runs upstream-flow unless more than 50 % of its recent runs failed." },
  async ({ lookback = 10, failureRateLimit = 0.5, batchSize = 5 }: { lookback?: number; failureRateLimit?: number; batchSize?: number }) => {
    const log = getRunLogger();
    const recent = await readFlowRuns({ flowName: "upstream-flow", state: FINISHED, limit: lookback });
    const failures = recent.filter((run) => run.state.type !== "COMPLETED").length;
    const failureRate = recent.length === 0 ? 0 : failures / recent.length;
    const rate = `${failures} of the last ${recent.length} upstream-flow runs failed (${Math.round(failureRate * 100)} %)`;
    if (failureRate > failureRateLimit) {
      log.warning(`Circuit open: ${rate}, above ${Math.round(failureRateLimit * 100)} %; not running upstream-flow`);
      return { circuit: "open", failureRate, recentRuns: recent.length, batchId: null };
    }
    log.info(`Circuit closed: ${rate}; running upstream-flow`);
    const prepared = await upstream({ batchSize });
    return { circuit: "closed", failureRate, recentRuns: recent.length, batchId: prepared.batchId };
  },
);

export const advancedDependencies = flow(
  "advanced-dependencies-flow",
  { description: "Conditional dependency, fan-out/fan-in and a circuit breaker, as subflows." },
  async () => {
    const conditional = await conditionalDependency({});
    const fanOut = await fanOutFanIn({});
    const breaker = await circuitBreaker({});
    return { conditional, fanOut, breaker };
  },
);

export default advancedDependencies;
