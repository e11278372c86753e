/**
 * Picks the flow to run among a loaded module's exports: by export name, else by flow name;
 * without a name, the only flow, or the one the module's default export is.
 */
import { shellCommand } from "../../shell-quote.js";
import { UsageError } from "../../errors.js";
import { didYouMeanSuffix } from "../did-you-mean.js";

export interface FlowCandidate<F> {
  flow: F;
  /** Every export name the flow is exported under (`default` included). */
  exportNames: string[];
  flowName: string;
}

export interface SelectedFlow<F> {
  flow: F;
  exportName: string;
  flowName: string;
}

export function listFlowCandidates<F>(
  moduleExports: Record<string, unknown>,
  isFlow: (value: unknown) => value is F,
  flowNameOf: (flow: F) => string,
): FlowCandidate<F>[] {
  const candidates: FlowCandidate<F>[] = [];
  for (const [exportName, value] of Object.entries(moduleExports)) {
    if (!isFlow(value)) continue;
    const known = candidates.find((candidate) => candidate.flow === value);
    if (known) known.exportNames.push(exportName);
    else candidates.push({ flow: value, exportNames: [exportName], flowName: flowNameOf(value) });
  }
  return candidates;
}

export function selectFlow<F>(candidates: readonly FlowCandidate<F>[], name: string | undefined, displayFile: string): SelectedFlow<F> {
  if (name !== undefined) return selectByName(candidates, name, displayFile);
  if (candidates.length === 0) {
    throw new UsageError(`${displayFile} exports no flow; export one made with flow(...) from "tributaryjs".`);
  }
  const byDefault = candidates.find((candidate) => candidate.exportNames.includes("default"));
  const chosen = candidates.length === 1 ? candidates[0]! : byDefault;
  if (chosen === undefined) {
    const example = shellCommand(["tributary", "run", `${displayFile}:${preferredExport(candidates[0]!)}`]);
    throw new UsageError(`${displayFile} has ${candidates.length} flows (${describeCandidates(candidates)}); name one, as in ${example}.`);
  }
  return { flow: chosen.flow, exportName: preferredExport(chosen), flowName: chosen.flowName };
}

function selectByName<F>(candidates: readonly FlowCandidate<F>[], name: string, displayFile: string): SelectedFlow<F> {
  const byExport = candidates.find((candidate) => candidate.exportNames.includes(name));
  if (byExport) return { flow: byExport.flow, exportName: name, flowName: byExport.flowName };
  const byFlowName = candidates.filter((candidate) => candidate.flowName === name);
  if (byFlowName.length === 1) return { flow: byFlowName[0]!.flow, exportName: preferredExport(byFlowName[0]!), flowName: name };
  if (byFlowName.length > 1) {
    throw new UsageError(`${displayFile} has ${byFlowName.length} flows named "${name}" (${describeCandidates(byFlowName)}); name one by its export.`);
  }
  if (candidates.length === 0) {
    throw new UsageError(`${displayFile} exports no flow, so there is no flow "${name}"; export one made with flow(...) from "tributaryjs".`);
  }
  const names = candidates.flatMap((candidate) => [...candidate.exportNames.filter((e) => e !== "default"), candidate.flowName]);
  throw new UsageError(
    `${displayFile} has no flow or export named "${name}".${didYouMeanSuffix(name, names)} Its flows: ${describeCandidates(candidates)}.`,
  );
}

/** `upstream (upstream-flow), downstream (downstream-flow)`. */
function describeCandidates<F>(candidates: readonly FlowCandidate<F>[]): string {
  return candidates.map((candidate) => `${preferredExport(candidate)} (${candidate.flowName})`).join(", ");
}

function preferredExport<F>(candidate: FlowCandidate<F>): string {
  return candidate.exportNames.find((name) => name !== "default") ?? "default";
}
