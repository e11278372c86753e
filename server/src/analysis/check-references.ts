import { shellCommand } from "../../../runtime/src/shell-quote.js";
import { checkParameters } from "./check-parameters.js";
import { closestNames, didYouMean } from "./did-you-mean.js";
import type { NameUse } from "./file-facts.js";
import { findingAt, relatedAt, type DraftFinding } from "./finding.js";
import type { DescribePlace } from "./check-cycles.js";
import { wildcard, type WorkspaceModel } from "./workspace-model.js";

/**
 * The checks that need the whole workspace's names: TRB110/TRB111 unknown names, TRB112
 * parameters, TRB113/TRB114 duplicates, TRB140 tasks in helpers no flow calls, TRB150 deployments
 * nothing runs.
 */
export function checkReferences(model: WorkspaceModel, describePlace: DescribePlace): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const runReferences = new Set<string>();
  for (const facts of model.facts) {
    for (const use of facts.nameUses) {
      if (use.kind === "deployment" && use.checkRequired) runReferences.add(use.name);
      findings.push(...checkNameUse(model, use));
    }
    for (const call of facts.taskCallsInHelpers) {
      if (model.reachedHelpers.has(call.helperKey)) continue;
      const helper = call.helperKey.slice(call.helperKey.lastIndexOf("#") + 1);
      findings.push(findingAt(call.at, "warning", "TRB140", `The task "${call.taskName}" is called in the function "${helper}", which no flow calls, so it runs outside any flow. Call "${helper}" from a flow, or make it a flow.`));
    }
  }
  for (const [name, decls] of model.flows) {
    if (decls.length < 2) continue;
    for (const decl of decls) {
      const others = decls.filter((d) => d !== decl);
      const where = others.map((d) => describePlace(d.nameAt)).join(", ");
      findings.push(findingAt(decl.nameAt, "error", "TRB113", `Another flow is also named "${name}" (${where}). Flow names must be unique: deployments, automations and runs find flows by name.`, others.map((d) => relatedAt(d.nameAt, `flow "${name}" is also declared here`))));
    }
  }
  for (const [name, decls] of model.deployments) {
    if (decls.length >= 2) {
      for (const decl of decls) {
        const others = decls.filter((d) => d !== decl);
        const where = others.map((d) => describePlace(d.nameAt)).join(", ");
        findings.push(findingAt(decl.nameAt, "error", "TRB114", `Another deployment is also named "${name}" (${where}). Give each deployment of a flow its own name.`, others.map((d) => relatedAt(d.nameAt, `deployment "${name}" is also declared here`))));
      }
    }
    for (const decl of decls) {
      const flow = model.flows.get(decl.flowName)?.[0];
      if (flow && decl.parameters !== undefined) {
        findings.push(...checkParameters({ flowName: decl.flowName, schema: flow.parameters, given: decl.parameters, defaults: new Set(), checkRequired: decl.runsOnItsOwn, at: decl.nameAt }));
      }
      if (!decl.runsOnItsOwn && !runReferences.has(name)) {
        findings.push(findingAt(decl.nameAt, "hint", "TRB150", `Nothing runs the deployment "${name}": it has no schedule and no trigger, and no runDeployment or automation names it. Add a schedule, or run it by hand with \`${shellCommand(["tributary", "deployment", "run", name])}\`.`));
      }
    }
  }
  return findings;
}

function checkNameUse(model: WorkspaceModel, use: NameUse): DraftFinding[] {
  if (use.pattern) {
    const fits = wildcard(use.name);
    const names = use.kind === "flow" ? model.flows.keys() : model.deployments.keys();
    for (const name of names) if (fits.test(name)) return [];
    const code = use.kind === "flow" ? "TRB111" : "TRB110";
    return [findingAt(use.at, "error", code, `No ${use.kind} name fits the pattern "${use.name}", so this trigger never fires.`)];
  }
  if (use.kind === "flow") {
    if (model.flows.has(use.name)) return [];
    const suggestions = closestNames(use.name, model.flows.keys());
    const finding = findingAt(use.at, "error", "TRB111", `No flow is named "${use.name}".${didYouMean(suggestions)}`);
    if (suggestions.length > 0) finding.suggestions = suggestions;
    return [finding];
  }
  const deployment = model.deployments.get(use.name)?.[0];
  if (!deployment) {
    const suggestions = closestNames(use.name, model.deployments.keys());
    const slash = use.name.indexOf("/");
    const flowName = slash < 0 ? use.name : use.name.slice(0, slash);
    const siblings = [...model.deployments.values()].filter(([d]) => d!.flowName === flowName).map(([d]) => `"${d!.fullName}"`);
    let hint = "";
    if (slash < 0) hint = ` Deployments are named "<flow name>/<deployment name>".`;
    else if (suggestions.length === 0 && siblings.length > 0) hint = ` Flow "${flowName}" has ${siblings.join(", ")}.`;
    else if (suggestions.length === 0 && model.flows.has(flowName)) hint = ` Flow "${flowName}" has no deployment yet; declare one with deploy().`;
    const finding = findingAt(use.at, "error", "TRB110", `No deployment is named "${use.name}".${didYouMean(suggestions)}${hint}`);
    if (suggestions.length > 0) finding.suggestions = suggestions;
    return [finding];
  }
  const flow = model.flows.get(deployment.flowName)?.[0];
  if (!flow || (use.parameters === undefined && !use.checkRequired)) return [];
  const defaults = new Set(deployment.parameters?.t === "object" ? deployment.parameters.props.keys() : []);
  const deploymentSetsAll = deployment.parameters?.t === "unknown" || (deployment.parameters?.t === "object" && deployment.parameters.open);
  return checkParameters({ flowName: flow.name!, schema: flow.parameters, given: use.parameters, defaults, checkRequired: use.checkRequired === true && !deploymentSetsAll, at: use.at });
}
