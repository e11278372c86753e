import { deploy, flow } from "tributaryjs";
import { transform } from "@acme/transform";

export const ingest = flow("ingest", async (params: { day: string }) => {
  await transform({ day: params.day });
});

export const nightly = deploy(ingest, { name: "nightly", schedule: { cron: "0 2 * * *" } });
