import { deploy, flow } from "tributaryjs";
import { compact } from "@refs/jobs";

export const publish = flow("publish", async () => {
  await compact();
});

export const hourly = deploy(publish, { name: "hourly", schedule: { interval: 3600 } });
