import type { Severity } from "./finding.js";

/** One diagnostic code as SARIF and the editor describe it (DESIGN.md §3). */
export interface TrbRule {
  id: string;
  name: string;
  defaultSeverity: Severity;
  summary: string;
}

/** Every code the analysis reports, in code order. */
export const TRB_RULES: readonly TrbRule[] = [
  { id: "TRB100", name: "dependency-cycle", defaultSeverity: "error", summary: "A cycle of waiting edges (subflow, waiting runDeployment, waitForFlow): the runs wait for each other forever or recurse without end." },
  { id: "TRB101", name: "trigger-loop", defaultSeverity: "error", summary: "A cycle with a non-waiting edge (fire-and-forget runDeployment, automation, deployment trigger): an unbounded chain of runs." },
  { id: "TRB110", name: "unknown-deployment", defaultSeverity: "error", summary: "A deployment name that no deploy(…) in the workspace declares." },
  { id: "TRB111", name: "unknown-flow", defaultSeverity: "error", summary: "A flow name that no flow(…) in the workspace declares." },
  { id: "TRB112", name: "bad-parameters", defaultSeverity: "error", summary: "Parameters the target flow does not take, a missing required parameter, or a literal of the wrong type." },
  { id: "TRB113", name: "duplicate-flow", defaultSeverity: "error", summary: "Two flows share one name." },
  { id: "TRB114", name: "duplicate-deployment", defaultSeverity: "error", summary: "Two deployments share one name." },
  { id: "TRB120", name: "invalid-schedule", defaultSeverity: "error", summary: "A cron, interval, rrule or timezone that cannot produce run times." },
  { id: "TRB121", name: "unknown-state", defaultSeverity: "error", summary: "A state name in `expect` that no run can reach." },
  { id: "TRB122", name: "rrule-without-dtstart", defaultSeverity: "warning", summary: "An rrule schedule without DTSTART: it starts when the deployment is first registered, minutes and seconds included." },
  { id: "TRB130", name: "dynamic-name", defaultSeverity: "warning", summary: "A flow or deployment name, or a flow or task called through a value, that is not static, so the dependency cannot be followed." },
  { id: "TRB140", name: "call-outside-flow", defaultSeverity: "warning", summary: "A task or subflow called outside any flow." },
  { id: "TRB141", name: "call-not-awaited", defaultSeverity: "warning", summary: "A task or subflow call whose result is neither awaited nor used." },
  { id: "TRB150", name: "unused-deployment", defaultSeverity: "hint", summary: "A deployment nothing runs: no schedule, no trigger, no reference." },
];

/** Every code, "TRB100" … "TRB150". */
export const TRB_CODES: readonly string[] = TRB_RULES.map((rule) => rule.id);
