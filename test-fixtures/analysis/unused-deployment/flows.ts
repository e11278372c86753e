import { flow, deploy, automation, runDeployment } from "tributaryjs";

export const job = flow("job", async () => null);
export const trigger = flow("trigger", async () => {
  await runDeployment("job/called", { timeoutSeconds: 0 });
});

export const scheduled = deploy(job, { name: "scheduled", schedule: { cron: "0 * * * *" } });
export const called = deploy(job, { name: "called" });
export const automated = deploy(job, { name: "automated" });
export const triggered = deploy(job, { name: "triggered", triggers: [{ type: "event", match: { "resource.id": "x" }, expect: ["external.ready"] }] });
export const forgotten = deploy(job, { name: "forgotten" });
export const triggerDeployment = deploy(trigger, { name: "manual", paused: true });

export const onTrigger = automation("after-trigger", {
  trigger: { type: "flow-run-state-change", match: { flow: "trigger" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "job/automated" }],
});
