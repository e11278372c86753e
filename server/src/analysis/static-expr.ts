import type { Loc } from "./source-location.js";

/**
 * An expression as the summary keeps it once the syntax tree is dropped: literals, arrays and
 * objects of them, references to module-level bindings (resolved later, across files), string
 * concatenation, and markers for what cannot be known without running the code.
 */
export type StaticExpr =
  | { kind: "literal"; value: string | number | boolean | null | undefined; loc: Loc }
  | { kind: "array"; items: StaticExpr[]; open: boolean; loc: Loc }
  | { kind: "object"; props: StaticProp[]; open: boolean; loc: Loc }
  /** A module-level binding (import or top-level declaration) and the property path read from it. */
  | { kind: "ref"; root: string; props: string[]; loc: Loc }
  | { kind: "concat"; parts: StaticExpr[]; loc: Loc }
  /** A call the summary recorded (`flow(...)`, `deploy(...)`): see `FileSummary.calls[callId]`. */
  | { kind: "call"; callId: number; loc: Loc }
  /** A function literal; `containerId` is set when the summary tracked its body. */
  | { kind: "function"; containerId: number | undefined; loc: Loc }
  /** One of `options`, chosen when the code runs (`fast ? quickLoad : fullLoad`); `guard` is the choice. */
  | { kind: "choice"; options: StaticExpr[]; guard: Loc; text: string; root?: string; loc: Loc }
  /**
   * An element of an array, or a value of an object: the one picked at `guard` (`steps[key]`), or
   * each in turn when `guard` is unset (the parameter of `[a, b].map((f) => …)`).
   */
  | { kind: "element"; of: StaticExpr; guard: Loc | undefined; text: string; root?: string; loc: Loc }
  /**
   * Not static. `root` names the local variable it reads, when it reads one (`run.id` → `run`).
   * `typed` is the module-level binding its declared type names (`step: typeof load`, `Flow`).
   */
  | { kind: "dynamic"; text: string; root?: string; typed?: TypedAs; loc: Loc };

/** A module-level name and property path a type annotation points at: `typeof flows.load` → flows, [load]. */
export interface TypedAs {
  root: string;
  props: string[];
}

export interface StaticProp {
  key: string;
  keyLoc: Loc;
  value: StaticExpr;
}

/** A stable text of an expression without positions: what other files can observe of it. */
export function staticShape(expr: StaticExpr | undefined): string {
  if (expr === undefined) return "-";
  switch (expr.kind) {
    case "literal":
      return JSON.stringify(expr.value ?? "\u0000undefined");
    case "array":
      return `[${expr.items.map(staticShape).join(",")}${expr.open ? ",..." : ""}]`;
    case "object":
      return `{${expr.props.map((p) => `${JSON.stringify(p.key)}:${staticShape(p.value)}`).join(",")}${expr.open ? ",..." : ""}}`;
    case "ref":
      return `@${[expr.root, ...expr.props].join(".")}`;
    case "concat":
      return `(${expr.parts.map(staticShape).join("+")})`;
    case "call":
      return `call#${expr.callId}`;
    case "function":
      return "fn";
    case "choice":
      return `(${expr.options.map(staticShape).join("|")})`;
    case "element":
      return `${staticShape(expr.of)}[${expr.guard ? "?" : "*"}]`;
    case "dynamic":
      return "?";
  }
}

export function propOf(expr: StaticExpr | undefined, key: string): StaticExpr | undefined {
  if (expr?.kind !== "object") return undefined;
  for (let i = expr.props.length - 1; i >= 0; i--) if (expr.props[i]!.key === key) return expr.props[i]!.value;
  return undefined;
}
