import { helperKey, type CallClassifier, type DeclRef, type PickedValue } from "./classify-calls.js";
import { callContext, type CallContext } from "./call-context.js";
import type { EdgeFact, FileFacts } from "./file-facts.js";
import type { CallSite, FileSummary } from "./file-summary.js";
import { findingAt } from "./finding.js";
import { readAutomation, readDeployment, readFlowDeclaration, readTaskDeclaration, type FactsScope } from "./read-declarations.js";
import { readStaticName } from "./read-name.js";
import type { StaticEvaluator } from "./evaluate-static.js";
import { prop, type Value } from "./static-value.js";
import type { StaticExpr, TypedAs } from "./static-expr.js";
import type { FileLoc } from "./source-location.js";
import { deploymentId, flowId, taskId } from "./workspace-model.js";

/**
 * Resolves one file's summary against the workspace: which calls declare flows, tasks,
 * deployments and automations, which ones are subflows, task runs, deployment runs and waits, and
 * what is wrong with them that this file alone (and what it imports) can tell.
 */
export function resolveFileFacts(summary: FileSummary, evaluator: StaticEvaluator, classifier: CallClassifier, summaryOf: FactsScope["summaryOf"]): FileFacts {
  const facts: FileFacts = { file: summary.file, flows: [], tasks: [], deployments: [], automations: [], edges: [], contextEdges: new Map(), otherEdges: [], nameUses: [], taskCallsInHelpers: [], findings: [] };
  const exportNames = new Map<string, string>();
  for (const [exported, local] of summary.exports) if (!exportNames.has(local)) exportNames.set(local, exported);
  const scope: FactsScope = { summary, evaluator, classifier, summaryOf, facts, localNames: localNamesOf(summary), exportNames };
  const runBindings = new Map<string, EdgeFact>();
  for (const call of summary.calls) {
    const picked = call.target !== undefined ? { file: summary.file, expr: call.target } : classifier.pickedValueOf(summary.file, call);
    if (picked !== undefined) {
      readPickedCall(scope, call, picked, callContext(summary, call.containerId, call.guard, classifier));
      continue;
    }
    const role = classifier.roleOf(summary.file, call);
    if (role.kind === "other") continue;
    const context = callContext(summary, call.containerId, call.guard, classifier);
    if (role.kind === "api") {
      switch (role.api) {
        case "flow":
          readFlowDeclaration(scope, call);
          break;
        case "task":
          readTaskDeclaration(scope, call);
          break;
        case "deploy":
          readDeployment(scope, call);
          break;
        case "automation":
          readAutomation(scope, call);
          break;
        default:
          readRunApi(scope, call, role.api, context, runBindings);
      }
    } else if (role.kind === "helper-call") {
      if (context.key !== undefined) addEdge(scope, call, context, { kind: "helper", key: role.helperKey, file: role.file }, "helper", true);
    } else {
      readDeclarationCall(scope, call, role.kind === "flow-call" ? "flow" : "task", role.target, context, role.kind === "task-call" ? role.method : "call");
    }
  }
  for (const edge of facts.edges) edge.toId = nodeIdOf(edge.to);
  indexEdges(facts);
  return facts;
}

/** Fills `contextEdges` and `otherEdges` from `edges` (also for facts read back from the facts cache, which stores `edges` only). */
export function indexEdges(facts: FileFacts): void {
  facts.contextEdges = new Map();
  facts.otherEdges = [];
  for (const edge of facts.edges) {
    if (edge.from.kind !== "context") {
      facts.otherEdges.push(edge);
      continue;
    }
    const list = facts.contextEdges.get(edge.from.key);
    if (list) list.push(edge);
    else facts.contextEdges.set(edge.from.key, [edge]);
  }
}

function nodeIdOf(to: EdgeFact["to"]): string | undefined {
  if (to.kind === "flow") return flowId(to.name);
  if (to.kind === "task") return taskId(to.name);
  if (to.kind === "deployment") return deploymentId(to.name);
  return undefined;
}

function readDeclarationCall(scope: FactsScope, call: CallSite, kind: "flow" | "task", target: DeclRef, context: CallContext, method: "call" | "submit" | "map", checkAwaited = true): void {
  const name = scope.classifier.declaredName(target);
  const at = { file: scope.summary.file, loc: call.calleeLoc };
  const label = `${kind === "flow" ? "subflow" : "task"} ${name === undefined ? "" : `"${name}" `}`;
  if (context.kind === "top") {
    // Calling a flow at top level runs it (DESIGN §2); only tasks need a flow around them.
    if (kind === "task") {
      scope.facts.findings.push(findingAt(at, "warning", "TRB140", `The task ${name === undefined ? "" : `"${name}" `}is called outside any flow, where it has no flow run to belong to. Call it from a flow, or from a function a flow calls.`));
    }
    return;
  }
  if (checkAwaited && method === "call" && call.discarded && !call.voided) {
    scope.facts.findings.push(findingAt(at, "warning", "TRB141", `The ${label}is called but not awaited, so the flow can finish before it does and its failure is lost. Add \`await\`${kind === "task" ? ", or use `.submit()` for a future" : ""}.`));
  }
  if (checkAwaited && method === "call" && call.neverRead && call.boundTo !== undefined) {
    const bound = call.boundTo;
    scope.facts.findings.push(findingAt(at, "warning", "TRB141", `The ${label}is started as \`${bound}\`, which is never awaited, returned or passed on, so the flow can finish before it does and its failure is lost. Add \`await ${bound}\`, or \`await\` the call.`));
  }
  if (name === undefined) return;
  if (kind === "task" && context.kind === "helper") scope.facts.taskCallsInHelpers.push({ helperKey: context.key!, taskName: name, at });
  addEdge(scope, call, context, { kind, name }, kind === "flow" ? "subflow" : "task", true);
}

/**
 * A call of a value picked at run time (`(fast ? quick : full)()`, `steps[key]()`, each `f` of
 * `[a, b].map((f) => f())`): an edge to every flow or task it can be, conditional where a choice is
 * made. What cannot be followed is TRB130 when the rest, or the value's declared type, says a flow
 * or task may be called here.
 */
function readPickedCall(scope: FactsScope, call: CallSite, target: PickedValue, context: CallContext): void {
  const file = scope.summary.file;
  const unfollowed: string[] = [];
  let followed = 0;
  let typedAsDeclaration = false;
  for (const candidate of candidatesOf(scope, target.file, target.expr, undefined)) {
    const { value } = candidate;
    const guarded: CallContext = candidate.guard === undefined ? context : { ...context, guard: candidate.guard };
    const api = value.t === "call" ? scope.classifier.apiOf(value.file, value.call) : undefined;
    if (value.t === "call" && (api === "flow" || api === "task")) {
      readDeclarationCall(scope, call, api, { file: value.file, call: value.call }, guarded, "call", followed === 0);
      followed++;
    } else if (value.t === "function" && value.containerId !== undefined) {
      const container = scope.summaryOf(value.file)?.containers[value.containerId];
      if (container?.kind === "helper" && container.name !== undefined && context.key !== undefined) {
        addEdge(scope, call, guarded, { kind: "helper", key: helperKey(value.file, container.name), file: value.file }, "helper", true);
        followed++;
      }
    } else if (value.t === "unknown") {
      const shown = `\`${value.text}\`${candidate.note ? ` (${candidate.note})` : ""}`;
      if (!unfollowed.includes(shown)) unfollowed.push(shown);
      if (candidate.typed !== undefined && scope.classifier.typedAsDeclaration(target.file, candidate.typed, call.calleeLoc)) typedAsDeclaration = true;
    }
  }
  if (unfollowed.length === 0 || (followed === 0 && !typedAsDeclaration) || context.kind === "top") return;
  const list = unfollowed.join(", ");
  const message = `The flow or task called here cannot be followed: ${list} ${unfollowed.length === 1 ? "is" : "are"} not static, so this dependency is left out of the graph. Call a flow's const, or pick between consts (\`fast ? quickLoad : fullLoad\`, an array or record of them).`;
  scope.facts.findings.push(findingAt({ file, loc: call.calleeLoc }, "warning", "TRB130", message));
}

interface Candidate {
  value: Value;
  /** Where the choice of this candidate is made, when it is one of several. */
  guard: FileLoc | undefined;
  typed: TypedAs | undefined;
  /** What an unknown candidate is, when its text alone does not say (a spread element). */
  note?: string;
}

/** `expr` is written in `file`: a call's own callee, or a module-level `const` it names. */
function candidatesOf(scope: FactsScope, file: string, expr: StaticExpr, guard: FileLoc | undefined, depth = 0): Candidate[] {
  if (depth > 8) return [];
  if (expr.kind === "choice") return expr.options.flatMap((option) => candidatesOf(scope, file, option, guard ?? { file, loc: expr.guard }, depth + 1));
  if (expr.kind === "element") {
    const of = scope.evaluator.evaluate(file, expr.of);
    const chosen = guard ?? (expr.guard && { file, loc: expr.guard });
    const unknown = (note?: string): Candidate => ({ value: { t: "unknown", text: expr.text, at: { file, loc: expr.loc } }, guard: chosen, typed: undefined, ...(note ? { note } : {}) });
    const spread = of.t === "array" || of.t === "object" ? (of.open ? [unknown(`an element spread into the ${of.t === "array" ? "array" : "record"}`)] : []) : [unknown()];
    if (of.t === "array") return [...of.items.map((value) => ({ value, guard: chosen, typed: undefined })), ...spread];
    if (of.t === "object") return [...[...of.props.values()].map(({ value }) => ({ value, guard: chosen, typed: undefined })), ...spread];
    return spread;
  }
  const value = scope.evaluator.evaluate(file, expr);
  return [{ value, guard, typed: expr.kind === "dynamic" ? expr.typed : undefined }];
}

function readRunApi(scope: FactsScope, call: CallSite, api: string, context: CallContext, runBindings: Map<string, EdgeFact>): void {
  const file = scope.summary.file;
  const argAt = (i: number) => ({ file, loc: call.args[i]?.loc ?? call.loc });
  const value = (i: number) => (call.args[i] ? scope.evaluator.evaluate(file, call.args[i]!) : undefined);
  if (api === "runDeployment") {
    const reading = readStaticName(value(0), "deployment name", argAt(0));
    if (reading.finding) scope.facts.findings.push(reading.finding);
    if (reading.name === undefined) return;
    const options = value(1);
    const parameters = prop(options, "parameters");
    scope.facts.nameUses.push({ kind: "deployment", name: reading.name, at: reading.at, ...(parameters ? { parameters } : {}), checkRequired: true });
    const timeout = prop(options, "timeoutSeconds");
    const waiting = !(timeout?.t === "number" && timeout.v === 0);
    if (context.key !== undefined) {
      const edge = addEdge(scope, call, context, { kind: "deployment", name: reading.name }, "run-deployment", waiting, reading.at);
      if (call.boundTo !== undefined) runBindings.set(`${context.key}\0${call.boundTo}`, edge);
    }
  } else if (api === "waitForFlow") {
    const reading = readStaticName(value(0), "flow name", argAt(0));
    if (reading.finding) scope.facts.findings.push(reading.finding);
    if (reading.name === undefined) return;
    scope.facts.nameUses.push({ kind: "flow", name: reading.name, at: reading.at });
    if (context.key !== undefined) addEdge(scope, call, context, { kind: "flow", name: reading.name }, "waits-for", true, reading.at);
  } else if (api === "waitForFlowRun") {
    const id = value(0);
    const started = id?.t === "unknown" && id.root !== undefined && context.key !== undefined ? runBindings.get(`${context.key}\0${id.root}`) : undefined;
    if (started?.to.kind !== "deployment") return;
    // The flow waits for the run it started: that run-deployment waits after all. The waits-for
    // edge shows it in the graph; cycles count the run-deployment hop only, so a loop is reported once.
    if (!started.waiting) started.waitedWithWaitForFlowRun = true;
    started.waiting = true;
    const edge = addEdge(scope, call, context, { kind: "flow-of-deployment", name: started.to.name }, "waits-for", true);
    edge.redundantForCycles = true;
  } else if (api === "readFlowRuns") {
    const filter = value(0);
    for (const [key, kind] of [["flowName", "flow"], ["deploymentName", "deployment"]] as const) {
      const named = prop(filter, key);
      if (named === undefined) continue;
      const reading = readStaticName(named, `${kind} name`, named.at.file === file ? named.at : argAt(0));
      if (reading.finding) scope.facts.findings.push(reading.finding);
      if (reading.name !== undefined) scope.facts.nameUses.push({ kind, name: reading.name, at: reading.at });
    }
  }
}

function addEdge(scope: FactsScope, call: CallSite, context: CallContext, to: EdgeFact["to"], kind: EdgeFact["kind"], waiting: boolean, at = { file: scope.summary.file, loc: call.calleeLoc }): EdgeFact {
  const edge: EdgeFact = { from: { kind: "context", key: context.key! }, to, toId: undefined, kind, waiting, guard: context.guard, at };
  scope.facts.edges.push(edge);
  return edge;
}

function localNamesOf(summary: FileSummary): Map<number, string> {
  const names = new Map<number, string>();
  for (const declaration of summary.declarations.values()) {
    if (declaration.kind === "const" && declaration.init.kind === "call" && !names.has(declaration.init.callId)) names.set(declaration.init.callId, declaration.name);
  }
  return names;
}
