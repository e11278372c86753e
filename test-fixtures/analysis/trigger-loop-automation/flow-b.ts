import { flow, deploy } from "tributaryjs";

export const flowB = flow("flow-b", async () => ({ ok: true }));

export const flowBDeployment = deploy(flowB, { name: "on-demand" });
