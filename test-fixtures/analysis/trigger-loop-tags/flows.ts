import { flow, deploy, automation, runDeployment } from "tributaryjs";

export const refreshCache = flow("refresh-cache", { tags: ["etl", "cache"] }, async ({ force = false }: { force?: boolean }) => {
  if (force) {
    // Only forced refreshes re-run the nightly ETL: a loop, but a guarded one.
    await runDeployment("nightly-etl/nightly", { timeoutSeconds: 0 });
  }
});
export const refreshCacheDeployment = deploy(refreshCache, { name: "on-etl" });

export const nightlyEtl = flow("nightly-etl", { tags: ["etl"] }, async () => ({ done: true }));
export const nightlyEtlDeployment = deploy(nightlyEtl, { name: "nightly", schedule: { cron: "0 2 * * *" } });

// Every flow tagged "etl" that completes refreshes the cache — refresh-cache is tagged "etl" too.
export const refreshAfterEtl = automation("refresh-after-etl", {
  trigger: { type: "flow-run-state-change", match: { tags: ["etl"] }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "refresh-cache/on-etl", parameters: { force: false } }],
});
