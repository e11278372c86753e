import type { JsonSchema, TypeParameter } from "./json-schema.js";
import type { Loc } from "./source-location.js";
import type { StaticExpr } from "./static-expr.js";

/**
 * What analysis keeps of one file once its syntax tree is dropped. Everything later steps need
 * (resolution across files, the graph, findings, position queries) is read from here.
 */
export interface FileSummary {
  file: string;
  /** True when the file imports or requires "tributaryjs". */
  importsTributary: boolean;
  imports: Map<string, ImportBinding>;
  /** Exported name → local name (a key of `declarations`, or of `imports` when re-exported). */
  exports: Map<string, string>;
  reexports: ReExport[];
  declarations: Map<string, Declaration>;
  calls: CallSite[];
  containers: Container[];
  suppressions: Suppression[];
  /** Changes only when something other files can observe changes (see `surface-key.ts`). */
  surfaceKey: string;
}

export interface ImportBinding {
  specifier: string;
  /** "default", "*" for a namespace import, or the imported name. */
  imported: string;
}

export type ReExport =
  | { kind: "named"; specifier: string; imported: string; exported: string }
  | { kind: "star"; specifier: string }
  | { kind: "namespace"; specifier: string; exported: string };

export type Declaration =
  | { kind: "const"; name: string; init: StaticExpr; loc: Loc }
  /** A top-level function (declaration or `const f = () => …`): its body is a helper container. */
  | { kind: "function"; name: string; containerId: number; loc: Loc }
  /**
   * A top-level interface or type alias: the schema a flow taking it as parameters has. A generic
   * one's schema holds its parameters as `typeParam` parts, filled in where it is used.
   */
  | { kind: "type"; name: string; schema: JsonSchema; typeParameters?: TypeParameter[]; loc: Loc }
  | { kind: "other"; name: string; loc: Loc };

/** A callee path rooted at a module-level binding: `flow`, `tr.flow`, `extract.submit`. */
export interface CalleePath {
  root: string;
  props: string[];
}

export interface CallSite {
  id: number;
  /** Empty (`root: ""`) when the callee is read as `target`. */
  callee: CalleePath;
  /**
   * A callee that is not a path from a module-level binding: one picked by `?:` or from an array or
   * record, or a value typed as a flow that cannot be followed (`step: typeof load`).
   */
  target?: StaticExpr;
  /** True for `x.withOptions(...)(args)`. */
  withOptions: boolean;
  args: StaticExpr[];
  loc: Loc;
  calleeLoc: Loc;
  /** Innermost tracked function around the call; undefined at module top level. */
  containerId: number | undefined;
  /** Set when the call is conditional within its container: where the guard is. */
  guard: Loc | undefined;
  /** The result is dropped (`extract(x);`). */
  discarded: boolean;
  /** Written as `void call()`: dropped on purpose. */
  voided: boolean;
  /** `const run = await runDeployment(...)` → "run". */
  boundTo: string | undefined;
  /** Bound to a local variable without `await`, and the variable is never read (`const p = child();`). */
  neverRead?: boolean;
}

/**
 * A function body whose calls belong together: the function argument of a recorded call (a flow
 * or task body, once resolved), a top-level helper function, or another nested function.
 */
export interface Container {
  id: number;
  kind: "call-argument" | "helper" | "nested";
  /** The enclosing container, undefined at top level. */
  parentId: number | undefined;
  /** For "call-argument": the call whose argument this function is. */
  callId: number | undefined;
  /** For "helper": the top-level name. */
  name: string | undefined;
  /** Guard of the function itself within its parent (for "nested" and "call-argument"). */
  guard: Loc | undefined;
  /** Parameter schema read from the first parameter's type annotation and defaults. */
  parameters: JsonSchema;
  loc: Loc;
}

export interface Suppression {
  /** 0-based line the suppression applies to (the line after the comment). */
  line: number;
  /** Empty = every code. */
  codes: string[];
}
