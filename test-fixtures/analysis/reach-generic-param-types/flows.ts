import { flow, deploy, runDeployment } from "tributaryjs";
import type { Row } from "./rows";
import type { Keyed, Loose, Page, RowPage, Tree, Window, WithMode } from "./types";

interface Audit extends Keyed<number> {
  auditor: string;
}

type Envelope<T, Source = "api"> = { payload: T; source: Source };

export const names = flow("names", async (p: Page<string>) => p.items);
export const daily = flow("daily", async (p: WithMode<{ day: string }>) => p.day);
export const audit = flow("audit", async (p: Audit) => p.id);
export const window = flow("window", async (p: Window) => p.unit);
export const rows = flow("rows", async (p: RowPage) => p.size);
export const wrapped = flow("wrapped", async (p: Envelope<Row>) => p.payload);
export const tree = flow("tree", async (p: Tree<number>) => p.value);
export const loose = flow("loose", async (p: Loose<Row>) => p);
export const slim = flow("slim", async (p: Omit<WithMode<{ day: string; hour: number }>, "hour">) => p.day);

export const namesDeployment = deploy(names, { name: "manual" });
export const dailyDeployment = deploy(daily, { name: "manual" });
export const auditDeployment = deploy(audit, { name: "manual" });
export const windowDeployment = deploy(window, { name: "manual" });
export const rowsDeployment = deploy(rows, { name: "manual" });
export const wrappedDeployment = deploy(wrapped, { name: "manual" });
export const treeDeployment = deploy(tree, { name: "manual" });
export const looseDeployment = deploy(loose, { name: "manual" });
export const slimDeployment = deploy(slim, { name: "manual" });

export const caller = flow("caller", async () => {
  // Fine.
  await runDeployment("names/manual", { parameters: { items: ["a"], size: 1 } });
  await runDeployment("daily/manual", { parameters: { day: "2024-01-01", mode: "delta" } });
  await runDeployment("audit/manual", { parameters: { id: 7, auditor: "ann" } });
  await runDeployment("window/manual", { parameters: { unit: "hour", skip: { every: "day" } } });
  await runDeployment("rows/manual", { parameters: { items: [{ name: "a" }], size: 1 } });
  await runDeployment("wrapped/manual", { parameters: { payload: { name: "a" }, source: "api" } });
  await runDeployment("tree/manual", { parameters: { value: 1, children: [{ value: 2, children: [] }] } });
  await runDeployment("loose/manual", { parameters: { anything: 1 } });
  await runDeployment("slim/manual", { parameters: { day: "2024-01-01", mode: "full" } });
  // Wrong: the generic types, with their arguments, say so.
  await runDeployment("names/manual", { parameters: { items: [1], size: 1 } });
  await runDeployment("names/manual", { parameters: { items: [] } });
  await runDeployment("daily/manual", { parameters: { day: "2024-01-01", mode: "partial" } });
  await runDeployment("daily/manual", { parameters: { mode: "full", days: 2 } });
  await runDeployment("audit/manual", { parameters: { id: "7", auditor: "ann" } });
  await runDeployment("window/manual", { parameters: { unit: "week", skip: { every: "month" } } });
  await runDeployment("rows/manual", { parameters: { items: [{ name: 1 }], size: 1 } });
  await runDeployment("wrapped/manual", { parameters: { payload: { name: "a" }, source: "file" } });
  await runDeployment("tree/manual", { parameters: { value: "one" } });
  await runDeployment("slim/manual", { parameters: { day: "2024-01-01", mode: "full", hour: 1 } });
});
