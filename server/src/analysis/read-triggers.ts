import { checkExpectedStates, expectedStates } from "./check-states.js";
import type { NameUse, SourceRef } from "./file-facts.js";
import type { DraftFinding } from "./finding.js";
import { placeIn, readStaticNames } from "./read-name.js";
import type { FileLoc } from "./source-location.js";
import { prop, type Value } from "./static-value.js";

export interface TriggerReading {
  /** Runs whose state changes fire the trigger. */
  sources: { ref: SourceRef; at: FileLoc }[];
  states: string[];
  nameUses: NameUse[];
  findings: DraftFinding[];
}

const MAX_NESTING = 8;

/**
 * Reads a trigger (of an automation or of `deploy(…, { triggers })`): which flows' runs fire it
 * (`flow-run-state-change` by flow, deployment or tags; `compound` and `sequence` by their parts).
 * `event` triggers name events, not flows: they start no edge.
 */
export function readTrigger(trigger: Value | undefined, fallback: FileLoc, depth = 0): TriggerReading {
  const reading: TriggerReading = { sources: [], states: [], nameUses: [], findings: [] };
  if (trigger?.t !== "object" || depth > MAX_NESTING) return reading;
  const type = prop(trigger, "type");
  const here = placeIn(trigger, fallback);
  if (type?.t === "string" && (type.v === "compound" || type.v === "sequence")) {
    const parts = prop(trigger, "triggers");
    for (const part of parts?.t === "array" ? parts.items : []) {
      const inner = readTrigger(part, here, depth + 1);
      reading.sources.push(...inner.sources);
      reading.states.push(...inner.states);
      reading.nameUses.push(...inner.nameUses);
      reading.findings.push(...inner.findings);
    }
    return reading;
  }
  if (type?.t !== "string" || type.v !== "flow-run-state-change") return reading;
  const expect = prop(trigger, "expect");
  reading.findings.push(...checkExpectedStates(expect, placeIn(expect, here)));
  reading.states.push(...expectedStates(expect));
  const match = prop(trigger, "match");
  const matchAt = placeIn(match, here);
  for (const r of readStaticNames(prop(match, "flow"), "flow name in this trigger", matchAt)) {
    if (r.finding) reading.findings.push(r.finding);
    if (r.name === undefined) continue;
    const pattern = r.name.includes("*");
    reading.sources.push({ ref: pattern ? { kind: "flows-matching", pattern: r.name } : { kind: "flow", name: r.name }, at: r.at });
    reading.nameUses.push({ kind: "flow", name: r.name, at: r.at, ...(pattern ? { pattern } : {}) });
  }
  for (const r of readStaticNames(prop(match, "deployment"), "deployment name in this trigger", matchAt)) {
    if (r.finding) reading.findings.push(r.finding);
    if (r.name === undefined) continue;
    const pattern = r.name.includes("*");
    reading.sources.push({ ref: pattern ? { kind: "deployments-matching", pattern: r.name } : { kind: "flow-of-deployment", name: r.name }, at: r.at });
    reading.nameUses.push({ kind: "deployment", name: r.name, at: r.at, ...(pattern ? { pattern } : {}) });
  }
  const tags = prop(match, "tags");
  if (tags?.t === "array" && reading.sources.length === 0) {
    const names = tags.items.flatMap((t) => (t.t === "string" ? [t.v] : []));
    if (names.length === tags.items.length && !tags.open) reading.sources.push({ ref: { kind: "flows-tagged", tags: names }, at: placeIn(tags, here) });
  } else if (reading.sources.length === 0 && !hasAny(match, ["flow", "deployment", "tags"])) {
    reading.sources.push({ ref: { kind: "any-flow" }, at: here });
  }
  return reading;
}

function hasAny(value: Value | undefined, keys: string[]): boolean {
  return keys.some((k) => prop(value, k) !== undefined) || (value !== undefined && value.t !== "object" && value.t !== "undefined");
}
