import { flow, deploy, automation, runDeployment } from "tributaryjs";

interface LoadParams {
  table: string;
  mode?: "append" | "replace";
  limit?: number;
  tags?: string[];
}

export const load = flow("load", async ({ table, mode = "append", limit }: LoadParams) => ({ table, mode, limit }));
export const loadDeployment = deploy(load, { name: "manual", parameters: { mode: "replace" } });

export const untyped = flow("untyped", async ({ when = "now", verbose }) => ({ when, verbose }));
export const untypedDeployment = deploy(untyped, { name: "manual" });

export const anything = flow("anything", async (params: Record<string, unknown>) => params);
export const anythingDeployment = deploy(anything, { name: "manual" });

export const caller = flow("caller", async () => {
  // Fine.
  await runDeployment("load/manual", { parameters: { table: "users", limit: 10, tags: ["a"] } });
  await runDeployment("anything/manual", { parameters: { whatever: 1 } });
  await runDeployment("untyped/manual", { parameters: { verbose: true } });
  // Wrong.
  await runDeployment("load/manual", { parameters: { table: "users", limt: 10 } });
  await runDeployment("load/manual", { parameters: { table: 42, mode: "merge" } });
  await runDeployment("load/manual", { parameters: { limit: 10 } });
  await runDeployment("load/manual");
  await runDeployment("load/manual", { parameters: { table: "t", tags: [1, 2] } });
  await runDeployment("untyped/manual", { parameters: { when: "later" } });
});

// A scheduled deployment runs with its own parameters only: "table" is missing; "batch" is unknown.
export const nightly = deploy(load, { name: "nightly", schedule: { cron: "0 1 * * *" }, parameters: { batch: 5 } });

export const onCaller = automation("load-after-caller", {
  trigger: { type: "flow-run-state-change", match: { flow: "caller" }, expect: ["Completed"] },
  actions: [
    { type: "run-deployment", deployment: "load/manual", parameters: { table: "{{ flowRun.result.table }}" } },
    { type: "run-deployment", deployment: "load/manual", parameters: { table: "t", limit: "ten" } },
  ],
});
