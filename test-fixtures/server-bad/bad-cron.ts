// deploy() with a cron expression that has no minute 61: loading this file fails.
import { deploy, flow } from "tributaryjs";

export const tick = flow("tick", async () => "tick");
export const broken = deploy(tick, { name: "broken", schedule: { cron: "61 * * * *" } });
