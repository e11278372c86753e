// Basic ETL: extract → transform → load, each a task with retries, and a run log.
import { deploy, flow, getRunLogger, task } from "tributaryjs";

export interface Record {
  id: number;
  value: number;
}

export const extractData = task("extract-data", { retries: 2, retryDelaySeconds: 1 }, async (source: string): Promise<Record[]> => {
  getRunLogger().info(`Extracting records from ${source}`);
  return Array.from({ length: 5 }, (_, i) => ({ id: i + 1, value: (i + 1) * 10 }));
});

export const transformData = task("transform-data", async (records: Record[]): Promise<Record[]> => {
  getRunLogger().info(`Transforming ${records.length} records`);
  return records.map((r) => ({ ...r, value: r.value * 2 }));
});

export const loadData = task("load-data", async (records: Record[], target: string): Promise<{ loaded: number; target: string }> => {
  getRunLogger().info(`Loading ${records.length} records into ${target}`);
  return { loaded: records.length, target };
});

export const dataProcessing = flow(
  "data-processing-flow",
  { description: "Extracts, transforms and loads a batch of records.", tags: ["etl"] },
  async ({ source = "orders.csv", target = "warehouse" }: { source?: string; target?: string }) => {
    const raw = await extractData(source);
    const transformed = await transformData(raw);
    const loaded = await loadData(transformed, target);
    return { source, ...loaded, total: transformed.reduce((sum, r) => sum + r.value, 0) };
  },
);

export const dataProcessingDeployment = deploy(dataProcessing, {
  name: "data-processing-demo",
  description: "The ETL example, every hour.",
  schedule: { cron: "0 * * * *" },
});
