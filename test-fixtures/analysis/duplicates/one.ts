import { flow, deploy } from "tributaryjs";

export const first = flow("shared-name", async () => 1);
export const firstDeployment = deploy(first, { name: "daily", schedule: { cron: "0 0 * * *" } });
export const unique = flow("unique-name", async () => 2);
export const uniqueDeployment = deploy(unique, { name: "daily", schedule: { cron: "0 0 * * *" } });
