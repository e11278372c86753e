import { automation } from "tributaryjs";

// When B completes, run A's deployment — and A starts B again: A → B/on-demand → B → A/nightly → A.
export const rerunA = automation("rerun-a-after-b", {
  trigger: { type: "flow-run-state-change", match: { flow: "flow-b" }, expect: ["Completed"] },
  actions: [{ type: "run-deployment", deployment: "flow-a/nightly" }],
});

// Disabled: makes no edge.
export const disabled = automation("disabled-rerun", {
  enabled: false,
  trigger: { type: "flow-run-state-change", match: { flow: "flow-b" }, expect: ["Failed"] },
  actions: [{ type: "run-deployment", deployment: "flow-a/nightly" }],
});
