import type { CodeLens, Command } from "vscode-languageserver";
import { requiredWithoutDefault, type JsonSchema } from "./analysis/json-schema.js";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import type { AnalysisSnapshot } from "./analysis/index.js";
import { Commands, type RunDeploymentArguments, type RunFlowArguments, type ShowDependencyGraphArguments, type ShowDeploymentArguments } from "./protocol.js";
import { scheduleInWords } from "./schedule-in-words.js";

type LensKind = "run-flow" | "run-flow-with-parameters" | "neighbours" | "run-deployment" | "schedule" | "automation";

/** What an unresolved lens carries until codeLens/resolve fills in its command. */
export interface LensData {
  file: string;
  kind: LensKind;
  nodeId: string;
}

/** The lenses of a file, without commands: resolving them (only those on screen) is lazy. */
export function codeLensesOf(api: AnalysisApi, snapshot: AnalysisSnapshot, file: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  const add = (kind: LensKind, nodeId: string, range: CodeLens["range"]) => lenses.push({ range, data: { file, kind, nodeId } satisfies LensData });
  const declarations = api.declarationsIn(snapshot, file);
  for (const flow of declarations.flows) {
    if (flow.nodeId === undefined) continue;
    for (const kind of ["run-flow", "run-flow-with-parameters", "neighbours"] as const) add(kind, flow.nodeId, flow.at.loc.range);
  }
  for (const d of declarations.deployments) for (const kind of ["run-deployment", "schedule"] as const) add(kind, d.nodeId, d.at.loc.range);
  for (const a of declarations.automations) add("automation", a.nodeId, a.at.loc.range);
  return lenses;
}

/**
 * ▶ Run flow's command: a flow with a required parameter that has no default cannot run without a
 * value for it, so its lens prompts for parameters (as *Run with parameters…* does) and says so.
 */
export function runFlowCommand(args: RunFlowArguments, parameterSchema: JsonSchema | undefined): Command {
  if (requiredWithoutDefault(parameterSchema).length > 0) return { title: "▶ Run flow…", command: Commands.runFlowWithParameters, arguments: [{ ...args, parameterSchema }] };
  return { title: "▶ Run flow", command: Commands.runFlow, arguments: [args] };
}

/** Fills in a lens's title and command from the latest analysis; undefined when its declaration is gone. */
export function resolveCodeLens(api: AnalysisApi, snapshot: AnalysisSnapshot, lens: CodeLens, now = new Date()): CodeLens | undefined {
  const data = lens.data as LensData;
  const declarations = api.declarationsIn(snapshot, data.file);
  switch (data.kind) {
    case "run-flow":
    case "run-flow-with-parameters":
    case "neighbours": {
      const flow = declarations.flows.find((f) => f.nodeId === data.nodeId);
      if (!flow?.name) return undefined;
      if (data.kind === "neighbours") {
        const args: ShowDependencyGraphArguments = { focus: data.nodeId };
        return { ...lens, command: { title: `↑${flow.upstream} upstream · ↓${flow.downstream} downstream`, command: Commands.showDependencyGraph, arguments: [args] } };
      }
      const args: RunFlowArguments = { file: data.file, exportName: flow.exportName, flowName: flow.name };
      if (data.kind === "run-flow") return { ...lens, command: runFlowCommand(args, flow.parameters) };
      return { ...lens, command: { title: "Run with parameters…", command: Commands.runFlowWithParameters, arguments: [{ ...args, parameterSchema: flow.parameters }] } };
    }
    case "run-deployment":
    case "schedule": {
      const d = declarations.deployments.find((x) => x.nodeId === data.nodeId);
      if (!d) return undefined;
      if (data.kind === "schedule") {
        const args: ShowDeploymentArguments = { deploymentName: d.name };
        return { ...lens, command: { title: `⏱ ${scheduleInWords(d.schedules, now)}`, command: Commands.showDeployment, arguments: [args] } };
      }
      const args: RunDeploymentArguments = { deploymentName: d.name, parameterSchema: snapshot.model.nodes.get(`flow:${d.flowName}`)?.parameters };
      return { ...lens, command: { title: "▶ Run deployment", command: Commands.runDeployment, arguments: [args] } };
    }
    case "automation": {
      const a = declarations.automations.find((x) => x.nodeId === data.nodeId);
      if (!a) return undefined;
      const watches = a.watches.length > 0 ? a.watches.join(", ") : "matching runs";
      const runs = a.runs.length > 0 ? `runs ${a.runs.join(", ")}` : "no deployment run";
      const title = `${a.enabled ? "" : "(disabled) "}when ${watches} → ${runs}`;
      const args: ShowDependencyGraphArguments = { focus: data.nodeId };
      return { ...lens, command: { title, command: Commands.showDependencyGraph, arguments: [args] } };
    }
  }
}
