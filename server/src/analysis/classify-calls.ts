import type { StaticEvaluator } from "./evaluate-static.js";
import type { CallSite, FileSummary } from "./file-summary.js";
import type { FoundTypeSchema } from "./resolve-parameter-types.js";
import type { Loc } from "./source-location.js";
import type { StaticExpr, TypedAs } from "./static-expr.js";
import type { SymbolResolver } from "./symbol-resolver.js";

/** The parts of the "tributaryjs" API that analysis reads. */
export const TRIBUTARY_APIS = ["flow", "task", "deploy", "automation", "runDeployment", "waitForFlow", "waitForFlowRun", "readFlowRuns"] as const;
export type TributaryApi = (typeof TRIBUTARY_APIS)[number];
const API_SET: ReadonlySet<string> = new Set(TRIBUTARY_APIS);

export interface DeclRef {
  file: string;
  call: CallSite;
}

/** A callee picked when the code runs (`?:`, an element of an array or record), where it is written. */
export interface PickedValue {
  file: string;
  expr: StaticExpr;
}

export type CallRole =
  | { kind: "api"; api: TributaryApi }
  | { kind: "flow-call"; target: DeclRef }
  | { kind: "task-call"; target: DeclRef; method: "call" | "submit" | "map" }
  | { kind: "helper-call"; helperKey: string; file: string }
  | { kind: "other" };

const OTHER: CallRole = { kind: "other" };

/** Decides what each recorded call is — an API call, a subflow, a task, a helper — across files. */
export class CallClassifier {
  private readonly roles = new Map<string, CallRole>();

  constructor(
    private readonly resolver: SymbolResolver,
    private readonly evaluator: StaticEvaluator,
    private readonly summaryOf: (file: string) => FileSummary | undefined,
  ) {}

  roleOf(file: string, call: CallSite): CallRole {
    const key = `${file}#${call.id}`;
    let role = this.roles.get(key);
    if (role === undefined) {
      this.roles.set(key, OTHER); // a call that reaches itself through aliases is nothing
      role = this.classify(file, call);
      this.roles.set(key, role);
    }
    return role;
  }

  /** The API a call is (`flow`, `deploy`, …), if it is one. */
  apiOf(file: string, call: CallSite): TributaryApi | undefined {
    const role = this.roleOf(file, call);
    return role.kind === "api" ? role.api : undefined;
  }

  /** The name a flow or task declaration gives itself, when it is static. */
  declaredName(ref: DeclRef): string | undefined {
    const first = ref.call.args[0];
    if (!first) return undefined;
    const value = this.evaluator.evaluate(ref.file, first);
    return value.t === "string" ? value.v : undefined;
  }

  /** The schema of a type named in `file` (`Params`, `types.Params`), wherever it is declared. */
  typeSchemaOf(file: string, path: { root: string; props: string[] }): FoundTypeSchema | undefined {
    const { binding, rest } = this.resolver.resolvePath(file, path.root, path.props);
    if (rest.length > 0 || binding.kind !== "decl" || binding.decl.kind !== "type") return undefined;
    const { schema, typeParameters } = binding.decl;
    return typeParameters ? { file: binding.file, schema, typeParameters } : { file: binding.file, schema };
  }

  /** A call of a module-level `const` that picks its value when the code runs (`const load = full ? fullLoad : quickLoad`). */
  pickedValueOf(file: string, call: CallSite): PickedValue | undefined {
    if (call.callee.root === "" || call.callee.props.length > 0) return undefined;
    const { binding, rest } = this.resolver.resolvePath(file, call.callee.root, []);
    if (rest.length > 0 || binding.kind !== "decl" || binding.decl.kind !== "const") return undefined;
    const init = binding.decl.init;
    return init.kind === "choice" || init.kind === "element" ? { file: binding.file, expr: init } : undefined;
  }

  /** Whether a type annotation's name (`typeof load`, `Flow`) is a flow or task declaration, or tributaryjs' `Flow` / `Task`. */
  typedAsDeclaration(file: string, typed: TypedAs, loc: Loc): boolean {
    const { binding, rest } = this.resolver.resolvePath(file, typed.root, typed.props);
    if (binding.kind === "tributary") return rest.length === 0 && (binding.name === "Flow" || binding.name === "Task");
    if (binding.kind !== "decl") return false;
    const value = this.evaluator.evaluate(file, { kind: "ref", root: typed.root, props: typed.props, loc });
    if (value.t !== "call") return false;
    const api = this.apiOf(value.file, value.call);
    return api === "flow" || api === "task";
  }

  private classify(file: string, call: CallSite): CallRole {
    const { root, props } = call.callee;
    const { binding, rest } = this.resolver.resolvePath(file, root, props);
    if (binding.kind === "tributary") return rest.length === 0 && API_SET.has(binding.name) ? { kind: "api", api: binding.name as TributaryApi } : OTHER;
    if (binding.kind !== "decl") return OTHER;
    // `extract.submit(…)`, `flows.load(…)`, `aliasOfLoad(…)`: evaluate the callee without the method.
    const last = props[props.length - 1];
    const method = last === "submit" || last === "map" ? last : "call";
    const path = method === "call" ? props : props.slice(0, -1);
    const value = this.evaluator.evaluate(file, { kind: "ref", root, props: path, loc: call.calleeLoc });
    if (value.t === "function" && value.containerId !== undefined && method === "call") {
      const container = this.summaryOf(value.file)?.containers[value.containerId];
      if (container?.kind === "helper" && container.name !== undefined) return { kind: "helper-call", helperKey: helperKey(value.file, container.name), file: value.file };
      return OTHER;
    }
    if (value.t !== "call") return OTHER;
    const api = this.apiOf(value.file, value.call);
    const ref = { file: value.file, call: value.call };
    if (api === "flow" && method === "call") return { kind: "flow-call", target: ref };
    if (api === "task") return { kind: "task-call", target: ref, method };
    return OTHER;
  }
}

export function helperKey(file: string, name: string): string {
  return `helper@${file}#${name}`;
}

export function declKey(kind: "flow" | "task", file: string, callId: number): string {
  return `${kind}@${file}#${callId}`;
}
