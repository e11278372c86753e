import { flow, deploy, runDeployment } from "tributaryjs";
import type { BaseParams } from "./base";
import type { LoadParams } from "./types";
import type * as types from "./types";
import type { Settings } from "./missing";

interface AuditParams extends BaseParams {
  auditor: string;
}

export const load = flow("load", async ({ table, mode = "append" }: LoadParams) => ({ table, mode }));
export const audit = flow("audit", async (params: AuditParams) => params);
export const tag = flow("tag", async (params: types.Tags & { dryRun?: boolean }) => params);
export const patch = flow("patch", async (params: Partial<LoadParams>) => params);
export const configured = flow("configured", async (settings: Settings) => settings);

export const loadDeployment = deploy(load, { name: "manual" });
export const auditDeployment = deploy(audit, { name: "manual" });
export const tagDeployment = deploy(tag, { name: "manual" });
export const patchDeployment = deploy(patch, { name: "manual" });
export const configuredDeployment = deploy(configured, { name: "manual" });

export const caller = flow("caller", async () => {
  // Fine.
  await runDeployment("load/manual", { parameters: { table: "users", limit: 10 } });
  await runDeployment("audit/manual", { parameters: { table: "users", auditor: "ann" } });
  await runDeployment("tag/manual", { parameters: { tags: ["a"], dryRun: true } });
  await runDeployment("patch/manual", { parameters: { mode: "replace" } });
  await runDeployment("configured/manual", { parameters: { anything: 1 } });
  // Wrong: the imported types say so.
  await runDeployment("load/manual", { parameters: { table: "users", mode: "merge" } });
  await runDeployment("load/manual", { parameters: { limit: 10 } });
  await runDeployment("audit/manual", { parameters: { table: "users", auditer: "ann" } });
  await runDeployment("tag/manual", { parameters: { tags: "a" } });
  await runDeployment("patch/manual", { parameters: { table: 1 } });
});
