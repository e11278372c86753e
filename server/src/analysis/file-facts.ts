import type { DraftFinding } from "./finding.js";
import type { JsonSchema } from "./json-schema.js";
import type { FileLoc } from "./source-location.js";
import type { Value } from "./static-value.js";
import type { GraphEdge, GraphNode } from "./workspace-model.js";

export type EdgeKind = "subflow" | "task" | "run-deployment" | "deployment-of" | "waits-for" | "triggers";

export interface FlowFact {
  /** `file#callId`: identifies the declaration, also when its name is not static. */
  key: string;
  name: string | undefined;
  at: FileLoc;
  nameAt: FileLoc;
  /** The top-level const it is bound to, when there is one. */
  localName: string | undefined;
  /** The name the file exports it under (what `tributary run file.ts:export` takes), when exported. */
  exportName: string | undefined;
  parameters: JsonSchema;
  tags: string[];
}

export interface TaskFact {
  key: string;
  name: string | undefined;
  at: FileLoc;
  nameAt: FileLoc;
  localName: string | undefined;
}

export interface DeploymentFact {
  flowName: string;
  name: string;
  /** `<flow-name>/<name>`. */
  fullName: string;
  at: FileLoc;
  nameAt: FileLoc;
  localName: string | undefined;
  exportName: string | undefined;
  parameters: Value | undefined;
  /** The static schedules as written (`{ cron, timezone }`, `{ interval }`, `{ rrule }`), for lenses. */
  schedules: unknown[];
  /** Has a schedule or a trigger: it runs without anyone asking. */
  runsOnItsOwn: boolean;
}

export interface AutomationFact {
  name: string;
  at: FileLoc;
  nameAt: FileLoc;
  localName: string | undefined;
  exportName: string | undefined;
  enabled: boolean;
  /** Flow names whose runs fire it (empty when it matches by deployment, tags or everything). */
  watches: string[];
  /** Deployments its actions run. */
  runs: string[];
}

/** Where an edge starts before names are matched across the workspace. */
export type SourceRef =
  | { kind: "context"; key: string }
  | { kind: "flow"; name: string }
  | { kind: "flow-of-deployment"; name: string }
  /** A trigger's `match` with `*` wildcards: every flow (or flow of a deployment) whose name fits. */
  | { kind: "flows-matching"; pattern: string }
  | { kind: "deployments-matching"; pattern: string }
  | { kind: "flows-tagged"; tags: string[] }
  | { kind: "any-flow" };

export type TargetRef =
  | { kind: "flow"; name: string }
  | { kind: "deployment"; name: string }
  | { kind: "task"; name: string }
  | { kind: "flow-of-deployment"; name: string }
  /** A top-level helper function in `file`: its calls count as the caller's. */
  | { kind: "helper"; key: string; file: string };

export interface EdgeFact {
  from: SourceRef;
  to: TargetRef;
  /** The graph node id of `to` for flows, tasks and deployments (whether or not it exists). */
  toId: string | undefined;
  kind: EdgeKind | "helper";
  waiting: boolean;
  /** Set when the call is conditional: where the guard is. */
  guard: FileLoc | undefined;
  at: FileLoc;
  /** Who made a trigger edge: `automation "x"` or `deployment "a/b"`. */
  via?: string;
  /** For a trigger edge an automation made: the automation's name (pictures draw it as a node between the two ends). */
  automation?: string;
  /** For trigger edges: the states that fire it. */
  states?: string[];
  /** A fire-and-forget run-deployment whose run the flow then waits for with `waitForFlowRun`. */
  waitedWithWaitForFlowRun?: boolean;
  /** Already counted by another edge for cycles (the waits-for of a `waitForFlowRun` on a run it started). */
  redundantForCycles?: boolean;
}

/** A flow or deployment name written in a string (or a `const`) somewhere. */
export interface NameUse {
  kind: "flow" | "deployment";
  name: string;
  at: FileLoc;
  /** Parameters passed with it (runDeployment, automation actions). */
  parameters?: Value;
  /** Whether every required parameter must be present here (runDeployment, actions). */
  checkRequired?: boolean;
  /** The name holds `*` wildcards (trigger matches): some declared name must fit it. */
  pattern?: boolean;
}

export interface TaskCallInHelper {
  helperKey: string;
  taskName: string;
  at: FileLoc;
}

export interface FileFacts {
  file: string;
  flows: FlowFact[];
  tasks: TaskFact[];
  deployments: DeploymentFact[];
  automations: AutomationFact[];
  edges: EdgeFact[];
  nameUses: NameUse[];
  taskCallsInHelpers: TaskCallInHelper[];
  /** Edges by the flow, task or helper body they start in. */
  contextEdges: Map<string, EdgeFact[]>;
  /** Edges that start elsewhere (triggers). */
  otherEdges: EdgeFact[];
  /**
   * Memo of the workspace join: this file's flow edges with helpers expanded, valid while the
   * files of the helpers it went through keep the facts it saw.
   */
  expanded?: ExpandedEdges;
  /**
   * Memo of the workspace join: this file's graph nodes (parallel to flows, tasks, deployments,
   * automations; undefined where a name is not static) and its `deployment-of` edges. They depend
   * on this file alone, so every join reuses the same objects while the file is unchanged.
   */
  graphParts?: GraphParts;
  /** Findings that need nothing beyond this file and what it imports. */
  findings: DraftFinding[];
}

export interface GraphParts {
  flows: (GraphNode | undefined)[];
  tasks: (GraphNode | undefined)[];
  deployments: GraphNode[];
  automations: GraphNode[];
  deploymentOf: GraphEdge[];
}

export interface ExpandedEdges {
  /** `to` is a node id that may not exist; flow-of-deployment targets are resolved per join. */
  edges: { from: string; fact: EdgeFact; guard: FileLoc | undefined; edge: GraphEdge | undefined }[];
  reachedHelpers: string[];
  /** Facts of the other files whose helpers were expanded. */
  helperFacts: Map<string, FileFacts | undefined>;
}
