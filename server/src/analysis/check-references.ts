import { shellCommand } from "../../../runtime/src/shell-quote.js";
import { checkParameters } from "./check-parameters.js";
import { closestNames, didYouMean } from "./did-you-mean.js";
import type { FileFacts, NameUse } from "./file-facts.js";
import { findingAt, relatedAt, type DraftFinding } from "./finding.js";
import type { DescribePlace } from "./check-cycles.js";
import { DEPLOYMENT_NAMES, FLOW_NAMES, helperKey, runReferenceKey, type ReadKeys } from "./read-keys.js";
import { deploymentId, flowId, wildcard, type WorkspaceModel } from "./workspace-model.js";

/**
 * The checks that need the whole workspace's names: TRB110/TRB111 unknown names, TRB112
 * parameters, TRB113/TRB114 duplicates, TRB140 tasks in helpers no flow calls, TRB150 deployments
 * nothing runs. The incremental join calls the parts per file and per name instead.
 */
export function checkReferences(model: WorkspaceModel, describePlace: DescribePlace): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const runReferences = new Set<string>();
  for (const facts of model.facts) {
    for (const name of runReferencesOf(facts)) runReferences.add(name);
    findings.push(...checkFileReferences(model, facts, new Set()));
  }
  for (const name of model.flows.keys()) findings.push(...checkFlowDeclarations(model, name, describePlace));
  for (const name of model.deployments.keys()) findings.push(...checkDeploymentDeclarations(model, name, runReferences.has(name), describePlace, new Set()));
  return findings;
}

/** Deployment names the file runs in a way that counts as running them (TRB150). */
export function runReferencesOf(facts: FileFacts): string[] {
  return facts.nameUses.flatMap((use) => (use.kind === "deployment" && use.checkRequired ? [use.name] : []));
}

/** TRB110/TRB111/TRB112 for the names one file uses, TRB140 for its tasks in helpers; `reads` gets what they looked at. */
export function checkFileReferences(model: WorkspaceModel, facts: FileFacts, reads: ReadKeys): DraftFinding[] {
  const findings: DraftFinding[] = [];
  for (const use of facts.nameUses) findings.push(...checkNameUse(model, use, reads));
  for (const call of facts.taskCallsInHelpers) {
    reads.add(helperKey(call.helperKey));
    if (model.reachedHelpers.has(call.helperKey)) continue;
    const helper = call.helperKey.slice(call.helperKey.lastIndexOf("#") + 1);
    findings.push(findingAt(call.at, "warning", "TRB140", `The task "${call.taskName}" is called in the function "${helper}", which no flow calls, so it runs outside any flow. Call "${helper}" from a flow, or make it a flow.`));
  }
  return findings;
}

/** TRB113 for a flow name declared more than once. */
export function checkFlowDeclarations(model: WorkspaceModel, name: string, describePlace: DescribePlace): DraftFinding[] {
  const decls = model.flows.get(name) ?? [];
  if (decls.length < 2) return [];
  return decls.map((decl) => {
    const others = decls.filter((d) => d !== decl);
    const where = others.map((d) => describePlace(d.nameAt)).join(", ");
    return findingAt(decl.nameAt, "error", "TRB113", `Another flow is also named "${name}" (${where}). Flow names must be unique: deployments, automations and runs find flows by name.`, others.map((d) => relatedAt(d.nameAt, `flow "${name}" is also declared here`)));
  });
}

/** TRB114 for a deployment name declared more than once, TRB112 for its parameters, TRB150 when nothing runs it. */
export function checkDeploymentDeclarations(model: WorkspaceModel, name: string, isRun: boolean, describePlace: DescribePlace, reads: ReadKeys): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const decls = model.deployments.get(name) ?? [];
  reads.add(deploymentId(name)).add(runReferenceKey(name));
  if (decls.length >= 2) {
    for (const decl of decls) {
      const others = decls.filter((d) => d !== decl);
      const where = others.map((d) => describePlace(d.nameAt)).join(", ");
      findings.push(findingAt(decl.nameAt, "error", "TRB114", `Another deployment is also named "${name}" (${where}). Give each deployment of a flow its own name.`, others.map((d) => relatedAt(d.nameAt, `deployment "${name}" is also declared here`))));
    }
  }
  for (const decl of decls) {
    reads.add(flowId(decl.flowName));
    const flow = model.flows.get(decl.flowName)?.[0];
    if (flow && decl.parameters !== undefined) {
      findings.push(...checkParameters({ flowName: decl.flowName, schema: flow.parameters, given: decl.parameters, defaults: new Set(), checkRequired: decl.runsOnItsOwn, at: decl.nameAt }));
    }
    if (!decl.runsOnItsOwn && !isRun) {
      findings.push(findingAt(decl.nameAt, "hint", "TRB150", `Nothing runs the deployment "${name}": it has no schedule and no trigger, and no runDeployment or automation names it. Add a schedule, or run it by hand with \`${shellCommand(["tributary", "deployment", "run", name])}\`.`));
    }
  }
  return findings;
}

function checkNameUse(model: WorkspaceModel, use: NameUse, reads: ReadKeys): DraftFinding[] {
  if (use.pattern) {
    reads.add(use.kind === "flow" ? FLOW_NAMES : DEPLOYMENT_NAMES);
    const fits = wildcard(use.name);
    const names = use.kind === "flow" ? model.flows.keys() : model.deployments.keys();
    for (const name of names) if (fits.test(name)) return [];
    const code = use.kind === "flow" ? "TRB111" : "TRB110";
    return [findingAt(use.at, "error", code, `No ${use.kind} name fits the pattern "${use.name}", so this trigger never fires.`)];
  }
  if (use.kind === "flow") {
    reads.add(flowId(use.name));
    if (model.flows.has(use.name)) return [];
    reads.add(FLOW_NAMES);
    const suggestions = closestNames(use.name, model.flows.keys());
    const finding = findingAt(use.at, "error", "TRB111", `No flow is named "${use.name}".${didYouMean(suggestions)}`);
    if (suggestions.length > 0) finding.suggestions = suggestions;
    return [finding];
  }
  reads.add(deploymentId(use.name));
  const deployment = model.deployments.get(use.name)?.[0];
  if (!deployment) {
    const suggestions = closestNames(use.name, model.deployments.keys());
    const slash = use.name.indexOf("/");
    const flowName = slash < 0 ? use.name : use.name.slice(0, slash);
    reads.add(DEPLOYMENT_NAMES).add(flowId(flowName));
    const siblings = [...model.deployments.values()].filter(([d]) => d!.flowName === flowName).map(([d]) => `"${d!.fullName}"`);
    let hint = "";
    if (slash < 0) hint = ` Deployments are named "<flow name>/<deployment name>".`;
    else if (suggestions.length === 0 && siblings.length > 0) hint = ` Flow "${flowName}" has ${siblings.join(", ")}.`;
    else if (suggestions.length === 0 && model.flows.has(flowName)) hint = ` Flow "${flowName}" has no deployment yet; declare one with deploy().`;
    const finding = findingAt(use.at, "error", "TRB110", `No deployment is named "${use.name}".${didYouMean(suggestions)}${hint}`);
    if (suggestions.length > 0) finding.suggestions = suggestions;
    return [finding];
  }
  reads.add(flowId(deployment.flowName));
  const flow = model.flows.get(deployment.flowName)?.[0];
  if (!flow || (use.parameters === undefined && !use.checkRequired)) return [];
  const defaults = new Set(deployment.parameters?.t === "object" ? deployment.parameters.props.keys() : []);
  const deploymentSetsAll = deployment.parameters?.t === "unknown" || (deployment.parameters?.t === "object" && deployment.parameters.open);
  return checkParameters({ flowName: flow.name!, schema: flow.parameters, given: use.parameters, defaults, checkRequired: use.checkRequired === true && !deploymentSetsAll, at: use.at });
}
