import { checkDeploymentDeclarations, checkFileReferences, checkFlowDeclarations, runReferencesOf } from "./check-references.js";
import type { DescribePlace } from "./check-cycles.js";
import type { FileFacts } from "./file-facts.js";
import type { ForkableMap } from "./forkable-map.js";
import type { DraftFinding } from "./finding.js";
import { DEPLOYMENT_NAMES, FLOW_NAMES, FLOW_TAGS, fileKey, helperKey, runReferenceKey, type ReadKeys } from "./read-keys.js";
import { addDeclarations, emptyModel, fileCallEdges, fileDeploymentOfEdges, fileTriggerEdges, graphPartsOf, type GraphEdge, type GraphNode, type WorkspaceModel } from "./workspace-model.js";

/** What one file contributes to the graph; computed again when its facts or a key it read change. */
interface FileEdges {
  facts: FileFacts;
  calls: GraphEdge[];
  reachedHelpers: readonly string[];
  triggers: GraphEdge[];
  deploymentOf: GraphEdge[];
  runReferences: string[];
}

/** The drafts of one check: a file's name uses, or one flow or deployment name's declarations. */
interface Check {
  drafts: DraftFinding[];
  reads: ReadKeys;
}

export interface JoinResult {
  model: WorkspaceModel;
  /** Files whose drafts may differ from the last join's; `all` after a join that started over. */
  touched: ReadonlySet<string> | "all";
}

/** Above this share of files changed, the join starts over: patching would cost as much. */
const START_OVER_SHARE = 0.25;

/**
 * The workspace model and the reference checks (TRB110–TRB114, TRB140, TRB150), kept between
 * analyses: each file's edges and each check remember the keys they read (`read-keys.ts`), and a
 * join computes again only the files that changed and what read a key they changed. After any
 * sequence of joins the model and the drafts are those a join from scratch gives: the name maps
 * keep their order (a change of which names exist, or of which file declares one first, rebuilds
 * them) and the edges are concatenated in file order, as `buildWorkspaceModel` does.
 */
export class WorkspaceJoin {
  private model: WorkspaceModel | undefined;
  private readonly edgesOf = new Map<string, FileEdges>();
  /** Node id → the files declaring that name. */
  private readonly declarers = new Map<string, Set<string>>();
  private readonly helperCounts = new Map<string, number>();
  private readonly runReferenceCounts = new Map<string, number>();
  /** `f <file>` for a file's name uses, `n <node id>` for a name's declarations. */
  private readonly checks = new Map<string, Check>();
  /** Read key → the edges (`e <file>`) and checks that read it. */
  private readonly readers = new Map<string, Set<string>>();
  /** The other way round: reader → the keys it read. */
  private readonly readsOf = new Map<string, ReadKeys>();
  /** File → the checks with drafts in it. */
  private readonly draftsIn = new Map<string, Set<string>>();

  constructor(private readonly describePlace: DescribePlace) {}

  /** Forgets everything: the next join starts over (after a check failed half way). */
  reset(): void {
    this.model = undefined;
    for (const map of [this.edgesOf, this.declarers, this.helperCounts, this.runReferenceCounts, this.checks, this.readers, this.readsOf, this.draftsIn]) map.clear();
  }

  /** `facts` in file order, as `buildWorkspaceModel` takes them. */
  join(facts: readonly FileFacts[]): JoinResult {
    const byFile = new Map(facts.map((f) => [f.file, f]));
    let changed = this.changedFiles(facts, byFile);
    if (this.model && changed.length === 0) return { model: { ...this.model, facts }, touched: new Set() };
    const startOver = !this.model || changed.length > facts.length * START_OVER_SHARE;
    if (startOver) {
      this.reset();
      changed = facts.map((f) => f.file);
    }
    const previous = this.model ?? emptyModel([]);
    const { model, changedKeys } = this.updateDeclarations(previous, facts, byFile, changed);
    const flips = this.updateEdges(model, byFile, changed, changedKeys);
    for (const key of flips) changedKeys.add(key);
    for (const [helper, count] of this.helperCounts) if (count > 0) model.reachedHelpers.add(helper);
    const touched = this.updateChecks(model, byFile, changed, changedKeys);
    model.edges = this.edgesInOrder(facts);
    this.model = model;
    return { model, touched: startOver ? "all" : touched };
  }

  /** Every file's call edges in file order, then the trigger edges, then the `deployment-of` ones, as `buildWorkspaceModel` orders them. */
  private edgesInOrder(facts: readonly FileFacts[]): GraphEdge[] {
    const parts = facts.map((f) => this.edgesOf.get(f.file)!);
    let total = 0;
    for (const p of parts) total += p.calls.length + p.triggers.length + p.deploymentOf.length;
    const edges = new Array<GraphEdge>(total);
    let i = 0;
    for (const p of parts) for (const e of p.calls) edges[i++] = e;
    for (const p of parts) for (const e of p.triggers) edges[i++] = e;
    for (const p of parts) for (const e of p.deploymentOf) edges[i++] = e;
    return edges;
  }

  /** The drafts in one file, in the order a join from scratch makes them. */
  draftsFor(file: string): DraftFinding[] {
    return [...(this.draftsIn.get(file) ?? [])].sort().flatMap((key) => this.checks.get(key)!.drafts.filter((d) => d.file === file));
  }

  /** Every draft: each file's checks in file order, then each name's. */
  allDrafts(): DraftFinding[] {
    return [...this.checks.keys()].sort().flatMap((key) => this.checks.get(key)!.drafts);
  }

  private changedFiles(facts: readonly FileFacts[], byFile: ReadonlyMap<string, FileFacts>): string[] {
    const changed = facts.flatMap((f) => (this.edgesOf.get(f.file)?.facts === f ? [] : [f.file]));
    for (const file of this.edgesOf.keys()) if (!byFile.has(file)) changed.push(file);
    return changed;
  }

  /**
   * The name maps with the changed files' declarations in place, and the keys that changed: the
   * ids those files declare or declared, the files themselves, and the name sets that moved.
   */
  private updateDeclarations(previous: WorkspaceModel, facts: readonly FileFacts[], byFile: ReadonlyMap<string, FileFacts>, changed: readonly string[]): { model: WorkspaceModel; changedKeys: Set<string> } {
    const touched = new Set<string>();
    for (const file of changed) {
      for (const id of declaredIds(this.edgesOf.get(file)?.facts)) touched.add(id);
      for (const id of declaredIds(byFile.get(file))) touched.add(id);
    }
    const firstBefore = new Map([...touched].map((id) => [id, firstOf(this.declarers.get(id))]));
    for (const file of changed) {
      for (const id of declaredIds(this.edgesOf.get(file)?.facts)) this.declarers.get(id)?.delete(file);
      for (const id of declaredIds(byFile.get(file))) {
        let files = this.declarers.get(id);
        if (!files) this.declarers.set(id, (files = new Set()));
        files.add(file);
      }
    }
    const changedKeys = new Set([...touched, ...changed.map(fileKey)]);
    const model: WorkspaceModel = { ...previous, facts, flows: previous.flows.fork(), tasks: previous.tasks.fork(), deployments: previous.deployments.fork(), automations: previous.automations.fork(), nodes: previous.nodes.fork(), edges: [], reachedHelpers: new Set() };
    let reorder = false;
    for (const id of touched) {
      const files = this.declarers.get(id);
      if (files?.size === 0) this.declarers.delete(id);
      const first = firstOf(files);
      // A name that comes or goes, or whose first declaration moves to another file, moves in the maps' order.
      if (first !== firstBefore.get(id)) reorder = true;
      const { kind, name } = splitId(id);
      const before = declarationsOf(previous, kind, name);
      const after = first === undefined ? [] : sortedFiles(files!).flatMap((file) => declarationsIn(byFile.get(file)!, kind, name));
      if (kind === "flow" && ((before.length === 0) !== (after.length === 0))) changedKeys.add(FLOW_NAMES);
      if (kind === "flow" && JSON.stringify(before.map((d) => d.fact.tags)) !== JSON.stringify(after.map((d) => d.fact.tags))) changedKeys.add(FLOW_TAGS);
      if (kind === "deployment" && before[0]?.fact.flowName !== after[0]?.fact.flowName) changedKeys.add(DEPLOYMENT_NAMES);
      if (after.length === 0) continue;
      mapOf(model, kind).set(name, after.map((d) => d.fact));
      model.nodes.set(id, after[0]!.node);
    }
    if (reorder) {
      const rebuilt = emptyModel(facts);
      for (const f of facts) addDeclarations(rebuilt, f);
      Object.assign(model, { flows: rebuilt.flows, tasks: rebuilt.tasks, deployments: rebuilt.deployments, automations: rebuilt.automations, nodes: rebuilt.nodes });
    }
    return { model, changedKeys };
  }

  /** Computes again the edges of changed files and of files that read a changed key; returns the helper and run-reference keys that flipped. */
  private updateEdges(model: WorkspaceModel, byFile: ReadonlyMap<string, FileFacts>, changed: readonly string[], changedKeys: ReadonlySet<string>): Set<string> {
    const files = new Set(changed);
    for (const key of changedKeys) for (const reader of this.readers.get(key) ?? []) if (reader.startsWith("e ")) files.add(reader.slice(2));
    const flips = new Set<string>();
    for (const file of files) {
      const before = this.edgesOf.get(file);
      const facts = byFile.get(file);
      const reads: ReadKeys = new Set();
      const after = facts && this.fileEdges(model, facts, byFile, reads);
      count(this.helperCounts, before?.reachedHelpers ?? [], after?.reachedHelpers ?? [], (helper) => flips.add(helperKey(helper)));
      count(this.runReferenceCounts, before?.runReferences ?? [], after?.runReferences ?? [], (name) => flips.add(runReferenceKey(name)));
      this.setReads(`e ${file}`, reads);
      if (after) this.edgesOf.set(file, after);
      else this.edgesOf.delete(file);
    }
    return flips;
  }

  private fileEdges(model: WorkspaceModel, facts: FileFacts, byFile: ReadonlyMap<string, FileFacts>, reads: ReadKeys): FileEdges {
    const { edges: calls, reachedHelpers } = fileCallEdges(model, facts, byFile, reads);
    return { facts, calls, reachedHelpers, triggers: fileTriggerEdges(model, facts, reads), deploymentOf: fileDeploymentOfEdges(model, facts, reads), runReferences: runReferencesOf(facts) };
  }

  /** Runs again the checks of changed files and names, and those that read a changed key; returns the files their drafts are or were in. */
  private updateChecks(model: WorkspaceModel, byFile: ReadonlyMap<string, FileFacts>, changed: readonly string[], changedKeys: ReadonlySet<string>): Set<string> {
    const keys = new Set(changed.map((file) => `f ${file}`));
    for (const key of changedKeys) {
      if (key.startsWith("flow:") || key.startsWith("deployment:")) keys.add(`n ${key}`);
      for (const reader of this.readers.get(key) ?? []) if (!reader.startsWith("e ")) keys.add(reader);
    }
    const touched = new Set(changed);
    for (const key of keys) {
      const before = this.checks.get(key);
      const after = this.runCheck(model, byFile, key);
      for (const draft of before?.drafts ?? []) touched.add(draft.file);
      for (const draft of after?.drafts ?? []) touched.add(draft.file);
      this.setDrafts(key, before?.drafts ?? [], after?.drafts ?? []);
      this.setReads(key, after?.reads ?? new Set());
      if (after) this.checks.set(key, after);
      else this.checks.delete(key);
    }
    return touched;
  }

  private runCheck(model: WorkspaceModel, byFile: ReadonlyMap<string, FileFacts>, key: string): Check | undefined {
    const subject = key.slice(2);
    const reads: ReadKeys = new Set();
    if (key.startsWith("f ")) {
      const facts = byFile.get(subject);
      return facts && { drafts: [...facts.findings, ...checkFileReferences(model, facts, reads)], reads };
    }
    const { kind, name } = splitId(subject);
    if (kind === "flow") return model.flows.has(name) ? { drafts: checkFlowDeclarations(model, name, this.describePlace), reads: reads.add(subject) } : undefined;
    if (!model.deployments.has(name)) return undefined;
    return { drafts: checkDeploymentDeclarations(model, name, (this.runReferenceCounts.get(name) ?? 0) > 0, this.describePlace, reads), reads };
  }

  private setReads(reader: string, reads: ReadKeys): void {
    for (const key of this.readsOf.get(reader) ?? []) {
      const set = this.readers.get(key);
      set?.delete(reader);
      if (set?.size === 0) this.readers.delete(key);
    }
    if (reads.size > 0) this.readsOf.set(reader, reads);
    else this.readsOf.delete(reader);
    for (const key of reads) {
      let set = this.readers.get(key);
      if (!set) this.readers.set(key, (set = new Set()));
      set.add(reader);
    }
  }

  private setDrafts(key: string, before: readonly DraftFinding[], after: readonly DraftFinding[]): void {
    for (const draft of before) this.draftsIn.get(draft.file)?.delete(key);
    for (const draft of after) {
      let set = this.draftsIn.get(draft.file);
      if (!set) this.draftsIn.set(draft.file, (set = new Set()));
      set.add(key);
    }
  }
}

type DeclarationKind = "flow" | "task" | "deployment" | "automation";

interface Declaration {
  fact: { tags?: string[]; flowName?: string };
  node: GraphNode;
}

function declaredIds(facts: FileFacts | undefined): string[] {
  if (!facts) return [];
  const parts = (facts.graphParts ??= graphPartsOf(facts));
  return [...parts.flows, ...parts.tasks, ...parts.deployments, ...parts.automations].flatMap((node) => (node ? [node.id] : []));
}

/** One file's declarations of a name, with their nodes, in the file's order. */
function declarationsIn(facts: FileFacts, kind: DeclarationKind, name: string): Declaration[] {
  const parts = (facts.graphParts ??= graphPartsOf(facts));
  const pick = <T>(list: readonly T[], nodes: readonly (GraphNode | undefined)[], nameOf: (item: T) => string | undefined) =>
    list.flatMap((fact, i) => (nameOf(fact) === name ? [{ fact: fact as Declaration["fact"], node: nodes[i]! }] : []));
  switch (kind) {
    case "flow":
      return pick(facts.flows, parts.flows, (f) => f.name);
    case "task":
      return pick(facts.tasks, parts.tasks, (t) => t.name);
    case "deployment":
      return pick(facts.deployments, parts.deployments, (d) => d.fullName);
    case "automation":
      return pick(facts.automations, parts.automations, (a) => a.name);
  }
}

function declarationsOf(model: WorkspaceModel, kind: DeclarationKind, name: string): { fact: Declaration["fact"] }[] {
  const list = (mapOf(model, kind).get(name) ?? []) as readonly Declaration["fact"][];
  return list.map((fact) => ({ fact }));
}

function mapOf(model: WorkspaceModel, kind: DeclarationKind): ForkableMap<string, unknown[]> {
  const maps = { flow: model.flows, task: model.tasks, deployment: model.deployments, automation: model.automations };
  return maps[kind] as ForkableMap<string, unknown[]>;
}

function splitId(id: string): { kind: DeclarationKind; name: string } {
  const colon = id.indexOf(":");
  return { kind: id.slice(0, colon) as DeclarationKind, name: id.slice(colon + 1) };
}

/** Files in the order the facts are joined (sorted as `Array.prototype.sort` sorts strings). */
function sortedFiles(files: ReadonlySet<string>): string[] {
  return [...files].sort();
}

function firstOf(files: ReadonlySet<string> | undefined): string | undefined {
  return files && files.size > 0 ? sortedFiles(files)[0] : undefined;
}

/** Moves counts from `before` to `after`; `flipped` hears of each key whose count went to or from zero. */
function count(counts: Map<string, number>, before: readonly string[], after: readonly string[], flipped: (key: string) => void): void {
  for (const key of before) {
    const n = (counts.get(key) ?? 0) - 1;
    if (n === 0) {
      counts.delete(key);
      flipped(key);
    } else counts.set(key, n);
  }
  for (const key of after) {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n === 1) flipped(key);
  }
}
