// Advanced dependency patterns: a conditional dependency gated on an 80 % success threshold,
// fan-out/fan-in over partitions, and a circuit breaker that opens above a 50 % failure rate.
// Outcomes are deterministic (by index) so the demo tells the same story every time.
import { flow, getRunLogger, task } from "tributaryjs";

export const qualityCheck = task("quality-check", async (sample: number) => {
  if (sample % 7 === 3) throw new Error(`Sample ${sample} failed the quality check`);
  return { sample, ok: true };
});

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

export const callService = task("call-unreliable-service", async (item: number) => {
  if (item >= 4) throw new Error(`Service unavailable for item ${item}`);
  return { item, ok: true };
});

export const conditionalDependency = flow(
  "conditional-dependency-flow",
  async ({ samples = 10, threshold = 0.8 }: { samples?: number; threshold?: number }) => {
    const checks = qualityCheck.map(Array.from({ length: samples }, (_, i) => i));
    const states = await checks.wait();
    const passed = states.filter((s) => s.type === "COMPLETED").length;
    const successRate = passed / samples;
    getRunLogger().info(`Quality checks: ${passed}/${samples} passed (${Math.round(successRate * 100)} %)`);
    return successRate >= threshold ? fullProcessing(successRate) : fallbackProcessing(successRate);
  },
);

export const fanOutFanIn = flow("fan-out-fan-in-flow", async ({ partitions = 8 }: { partitions?: number }) => {
  const results = await processPartition.map(Array.from({ length: partitions }, (_, i) => i)).result();
  return aggregate(results);
});

export const circuitBreaker = flow(
  "circuit-breaker-flow",
  async ({ items = 12, failureRateLimit = 0.5, minimumCalls = 4 }: { items?: number; failureRateLimit?: number; minimumCalls?: number }) => {
    const log = getRunLogger();
    let calls = 0;
    let failures = 0;
    const succeeded: number[] = [];
    const skipped: number[] = [];
    for (let item = 0; item < items; item++) {
      if (calls >= minimumCalls && failures / calls > failureRateLimit) {
        skipped.push(item);
        continue;
      }
      const state = await callService.submit(item).wait();
      calls++;
      if (state.type === "COMPLETED") succeeded.push(item);
      else failures++;
      if (calls >= minimumCalls && failures / calls > failureRateLimit && skipped.length === 0) {
        log.warning(`Circuit opened after ${calls} calls: failure rate ${Math.round((failures / calls) * 100)} %`);
      }
    }
    return { circuit: skipped.length > 0 ? "open" : "closed", calls, failures, succeeded, skipped };
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
