import { flow, deploy, automation } from "tributaryjs";

export const source = flow("source", async () => 1);
export const sink = flow("sink", async () => 2);
export const sinkDeployment = deploy(sink, { name: "on-source" });

export const good = automation("good-states", {
  trigger: { type: "flow-run-state-change", match: { flow: "source" }, expect: ["Completed", "Failed", "TimedOut", "Crashed"] },
  actions: [{ type: "run-deployment", deployment: "sink/on-source" }],
});

export const bad = automation("bad-states", {
  trigger: {
    type: "compound",
    require: "any",
    triggers: [
      { type: "flow-run-state-change", match: { flow: "source" }, expect: ["Complete", "COMPLETED"] },
      { type: "flow-run-state-change", match: { flow: "source" }, expect: ["Exploded"] },
    ],
  },
  actions: [{ type: "call-webhook", url: "https://example.com/hook" }],
});
