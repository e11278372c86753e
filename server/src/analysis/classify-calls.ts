import type { StaticEvaluator } from "./evaluate-static.js";
import type { CallSite, FileSummary } from "./file-summary.js";
import type { SymbolResolver } from "./symbol-resolver.js";

/** The parts of the "tributary" API that analysis reads. */
export const TRIBUTARY_APIS = ["flow", "task", "deploy", "automation", "runDeployment", "waitForFlow", "waitForFlowRun", "readFlowRuns"] as const;
export type TributaryApi = (typeof TRIBUTARY_APIS)[number];
const API_SET: ReadonlySet<string> = new Set(TRIBUTARY_APIS);

export interface DeclRef {
  file: string;
  call: CallSite;
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

  private classify(file: string, call: CallSite): CallRole {
    const { binding, rest } = this.resolver.resolvePath(file, call.callee.root, call.callee.props);
    if (binding.kind === "tributary") return rest.length === 0 && API_SET.has(binding.name) ? { kind: "api", api: binding.name as TributaryApi } : OTHER;
    if (binding.kind !== "decl") return OTHER;
    if (binding.decl.kind === "function") return rest.length === 0 ? { kind: "helper-call", helperKey: helperKey(binding.file, binding.decl.name), file: binding.file } : OTHER;
    if (binding.decl.kind !== "const" || binding.decl.init.kind !== "call") return OTHER;
    const target = this.summaryOf(binding.file)?.calls[binding.decl.init.callId];
    if (!target) return OTHER;
    const api = this.apiOf(binding.file, target);
    const ref = { file: binding.file, call: target };
    if (api === "flow" && rest.length === 0) return { kind: "flow-call", target: ref };
    if (api === "task" && rest.length === 0) return { kind: "task-call", target: ref, method: "call" };
    if (api === "task" && rest.length === 1 && (rest[0] === "submit" || rest[0] === "map")) return { kind: "task-call", target: ref, method: rest[0] };
    return OTHER;
  }
}

export function helperKey(file: string, name: string): string {
  return `helper@${file}#${name}`;
}

export function declKey(kind: "flow" | "task", file: string, callId: number): string {
  return `${kind}@${file}#${callId}`;
}
