import { STATE_NAMES } from "../../../runtime/src/states.js";
import { closestNames, didYouMean } from "./did-you-mean.js";
import { findingAt, type DraftFinding } from "./finding.js";
import type { FileLoc } from "./source-location.js";
import type { Value } from "./static-value.js";

const KNOWN = Object.keys(STATE_NAMES);

/** TRB121 for each name in a trigger's `expect` that is not a state name. */
export function checkExpectedStates(expect: Value | undefined, fallback: FileLoc): DraftFinding[] {
  if (expect === undefined) return [];
  const names = expect.t === "array" ? expect.items : [expect];
  const findings: DraftFinding[] = [];
  for (const name of names) {
    if (name.t !== "string" || Object.prototype.hasOwnProperty.call(STATE_NAMES, name.v)) continue;
    const suggestions = closestNames(name.v, KNOWN);
    const at = name.at.file === fallback.file ? name.at : fallback;
    const finding = findingAt(at, "error", "TRB121", `"${name.v}" is not a state name.${didYouMean(suggestions)} Known states: ${KNOWN.join(", ")}.`);
    if (suggestions.length > 0) finding.suggestions = suggestions;
    findings.push(finding);
  }
  return findings;
}

/** The state names of a trigger's `expect`, for messages. */
export function expectedStates(expect: Value | undefined): string[] {
  if (expect?.t === "array") return expect.items.flatMap((i) => (i.t === "string" ? [i.v] : []));
  return expect?.t === "string" ? [expect.v] : [];
}
