import { declKey, helperKey, type CallClassifier } from "./classify-calls.js";
import { checkSchedules } from "./check-schedules.js";
import type { StaticEvaluator } from "./evaluate-static.js";
import type { EdgeFact, FileFacts } from "./file-facts.js";
import type { CallSite, FileSummary } from "./file-summary.js";
import { findingAt } from "./finding.js";
import { OPEN_OBJECT_SCHEMA, type JsonSchema } from "./json-schema.js";
import { placeIn, readStaticName } from "./read-name.js";
import { readTrigger } from "./read-triggers.js";
import { resolveParameterTypes } from "./resolve-parameter-types.js";
import type { FileLoc } from "./source-location.js";
import { prop, toJson, type Value } from "./static-value.js";
import { deploymentId } from "./workspace-model.js";

/** What reading one file's declarations needs. */
export interface FactsScope {
  summary: FileSummary;
  evaluator: StaticEvaluator;
  classifier: CallClassifier;
  summaryOf(file: string): FileSummary | undefined;
  facts: FileFacts;
  /** callId → the top-level const it is bound to. */
  localNames: ReadonlyMap<number, string>;
  /** local name → the name it is exported under. */
  exportNames: ReadonlyMap<string, string>;
}

function namesOf(scope: FactsScope, call: CallSite): { localName: string | undefined; exportName: string | undefined } {
  const localName = scope.localNames.get(call.id);
  return { localName, exportName: localName === undefined ? undefined : scope.exportNames.get(localName) };
}

function valueOf(scope: FactsScope, call: CallSite, index: number): Value | undefined {
  const arg = call.args[index];
  return arg ? scope.evaluator.evaluate(scope.summary.file, arg) : undefined;
}

function argAt(scope: FactsScope, call: CallSite, index: number): FileLoc {
  return { file: scope.summary.file, loc: call.args[index]?.loc ?? call.calleeLoc };
}

/** `flow(name, fn)` / `flow(name, options, fn)`. */
export function readFlowDeclaration(scope: FactsScope, call: CallSite): void {
  const file = scope.summary.file;
  const name = readStaticName(valueOf(scope, call, 0), "flow name", argAt(scope, call, 0));
  if (name.finding) scope.facts.findings.push(name.finding);
  const options = call.args.length >= 3 ? valueOf(scope, call, 1) : undefined;
  const tags = prop(options, "tags");
  const key = declKey("flow", file, call.id);
  scope.facts.flows.push({
    key,
    name: name.name,
    at: { file, loc: call.loc },
    nameAt: name.at,
    ...namesOf(scope, call),
    parameters: bodySchema(scope, call, key),
    tags: tags?.t === "array" ? tags.items.flatMap((t) => (t.t === "string" ? [t.v] : [])) : [],
  });
}

/** `task(name, fn)` / `task(name, options, fn)`. */
export function readTaskDeclaration(scope: FactsScope, call: CallSite): void {
  const file = scope.summary.file;
  const name = readStaticName(valueOf(scope, call, 0), "task name", argAt(scope, call, 0));
  if (name.finding) scope.facts.findings.push(name.finding);
  const key = declKey("task", file, call.id);
  bodySchema(scope, call, key);
  scope.facts.tasks.push({ key, name: name.name, at: { file, loc: call.loc }, nameAt: name.at, localName: scope.localNames.get(call.id) });
}

/**
 * The parameter schema of a flow's function. A body given by reference (`flow("x", runX)`) is a
 * helper: the flow's edges include the helper's calls.
 */
function bodySchema(scope: FactsScope, call: CallSite, key: string): JsonSchema {
  const last = call.args.length >= 2 ? valueOf(scope, call, call.args.length - 1) : undefined;
  if (last?.t !== "function" || last.containerId === undefined) return OPEN_OBJECT_SCHEMA;
  const container = scope.summaryOf(last.file)?.containers[last.containerId];
  if (!container) return OPEN_OBJECT_SCHEMA;
  if (container.kind === "helper" && container.name !== undefined) {
    const at = { file: scope.summary.file, loc: call.args[call.args.length - 1]!.loc };
    const to = { kind: "helper", key: helperKey(last.file, container.name), file: last.file } as const;
    scope.facts.edges.push({ from: { kind: "context", key }, to, toId: undefined, kind: "helper", waiting: true, guard: undefined, at });
  }
  return resolveParameterTypes(container.parameters, last.file, (file, path) => scope.classifier.typeSchemaOf(file, path));
}

/** `deploy(flow, { name, schedule(s), parameters, triggers })`. */
export function readDeployment(scope: FactsScope, call: CallSite): void {
  const file = scope.summary.file;
  const at = { file, loc: call.loc };
  const flowRef = valueOf(scope, call, 0);
  let flowName: string | undefined;
  if (flowRef?.t === "call" && scope.classifier.apiOf(flowRef.file, flowRef.call) === "flow") {
    flowName = scope.classifier.declaredName({ file: flowRef.file, call: flowRef.call });
  } else {
    const where = placeIn(flowRef, argAt(scope, call, 0));
    const shown = flowRef?.t === "unknown" ? ` (\`${flowRef.text}\`)` : "";
    scope.facts.findings.push(findingAt(where, "warning", "TRB130", `The flow given to deploy()${shown} cannot be followed to a \`flow(…)\` declaration, so this deployment is left out of the graph. Pass the flow's const directly.`));
  }
  const options = valueOf(scope, call, 1);
  const optionsAt = placeIn(options, argAt(scope, call, 1));
  const name = readStaticName(prop(options, "name"), "deployment name", placeIn(prop(options, "name"), optionsAt));
  if (name.finding) scope.facts.findings.push(name.finding);
  scope.facts.findings.push(...checkSchedules(options, optionsAt));
  const triggers = prop(options, "triggers");
  const triggerList = triggers?.t === "array" ? triggers.items : [];
  const schedules = prop(options, "schedules");
  const scheduled = prop(options, "schedule") !== undefined || (schedules?.t === "array" && (schedules.items.length > 0 || schedules.open)) || schedules?.t === "unknown";
  const fullName = flowName !== undefined && name.name !== undefined ? `${flowName}/${name.name}` : undefined;
  for (const trigger of triggerList) {
    const reading = readTrigger(trigger, placeIn(trigger, optionsAt));
    scope.facts.findings.push(...reading.findings);
    scope.facts.nameUses.push(...reading.nameUses);
    if (fullName === undefined) continue;
    for (const source of reading.sources) {
      scope.facts.edges.push(triggerEdge(source.ref, fullName, source.at, `deployment "${fullName}"`, reading.states));
    }
  }
  if (flowName === undefined || name.name === undefined || fullName === undefined) return;
  const parameters = prop(options, "parameters");
  scope.facts.deployments.push({
    flowName,
    name: name.name,
    fullName,
    at,
    nameAt: name.at,
    ...namesOf(scope, call),
    parameters,
    schedules: [prop(options, "schedule"), ...(schedules?.t === "array" ? schedules.items : [])].flatMap((v) => {
      const json = v === undefined ? undefined : toJson(v);
      return json === undefined || json === null ? [] : [json];
    }),
    runsOnItsOwn: scheduled || triggerList.length > 0 || triggers?.t === "unknown",
  });
}

/** `automation(name, { trigger, actions, enabled })`. */
export function readAutomation(scope: FactsScope, call: CallSite): void {
  const file = scope.summary.file;
  const name = readStaticName(valueOf(scope, call, 0), "automation name", argAt(scope, call, 0));
  if (name.finding) scope.facts.findings.push(name.finding);
  const options = valueOf(scope, call, 1);
  const optionsAt = placeIn(options, argAt(scope, call, 1));
  const enabledValue = prop(options, "enabled");
  const enabled = !(enabledValue?.t === "boolean" && !enabledValue.v);
  const trigger = readTrigger(prop(options, "trigger"), optionsAt);
  scope.facts.findings.push(...trigger.findings);
  scope.facts.nameUses.push(...trigger.nameUses);
  const actions = prop(options, "actions");
  const label = name.name !== undefined ? `automation "${name.name}"` : "an automation";
  const runs: string[] = [];
  for (const action of actions?.t === "array" ? actions.items : []) {
    const type = prop(action, "type");
    if (type?.t !== "string" || !["run-deployment", "pause-deployment", "resume-deployment"].includes(type.v)) continue;
    const deployment = prop(action, "deployment");
    const reading = readStaticName(deployment, "deployment name in this action", placeIn(deployment, placeIn(action, optionsAt)));
    if (reading.finding) scope.facts.findings.push(reading.finding);
    if (reading.name === undefined) continue;
    if (type.v !== "run-deployment") {
      scope.facts.nameUses.push({ kind: "deployment", name: reading.name, at: reading.at });
      continue;
    }
    const parameters = prop(action, "parameters");
    scope.facts.nameUses.push({ kind: "deployment", name: reading.name, at: reading.at, ...(parameters ? { parameters } : {}), checkRequired: true });
    runs.push(reading.name);
    if (!enabled) continue;
    for (const source of trigger.sources) scope.facts.edges.push(triggerEdge(source.ref, reading.name, reading.at, label, trigger.states, name.name));
  }
  if (name.name === undefined) return;
  const watches = trigger.sources.flatMap((s) => (s.ref.kind === "flow" ? [s.ref.name] : []));
  scope.facts.automations.push({ name: name.name, at: { file, loc: call.loc }, nameAt: name.at, ...namesOf(scope, call), enabled, watches, runs });
}

function triggerEdge(from: EdgeFact["from"], deployment: string, at: FileLoc, via: string, states: string[], automation?: string): EdgeFact {
  const edge: EdgeFact = { from, to: { kind: "deployment", name: deployment }, toId: deploymentId(deployment), kind: "triggers", waiting: false, guard: undefined, at, via, states };
  if (automation !== undefined) edge.automation = automation;
  return edge;
}
