import type { FileSummary } from "./file-summary.js";
import type { StaticExpr } from "./static-expr.js";
import type { Value } from "./static-value.js";
import type { SymbolResolver } from "./symbol-resolver.js";

/** Evaluates summaries' expressions across files: `const` strings, imported ones, objects of them. */
export class StaticEvaluator {
  private readonly memo = new Map<string, Value>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly resolver: SymbolResolver,
    private readonly summaryOf: (file: string) => FileSummary | undefined,
  ) {}

  evaluate(file: string, expr: StaticExpr): Value {
    const at = { file, loc: expr.loc };
    switch (expr.kind) {
      case "literal":
        if (expr.value === null) return { t: "null", at };
        if (expr.value === undefined) return { t: "undefined", at };
        if (typeof expr.value === "string") return { t: "string", v: expr.value, at };
        if (typeof expr.value === "number") return { t: "number", v: expr.value, at };
        return { t: "boolean", v: expr.value, at };
      case "array":
        return { t: "array", items: expr.items.map((i) => this.evaluate(file, i)), open: expr.open, at };
      case "object": {
        const props = new Map<string, { value: Value; keyAt: { file: string; loc: typeof expr.loc } }>();
        for (const p of expr.props) props.set(p.key, { value: this.evaluate(file, p.value), keyAt: { file, loc: p.keyLoc } });
        return { t: "object", props, open: expr.open, at };
      }
      case "concat":
        return this.concat(expr.parts.map((p) => this.evaluate(file, p)), at);
      case "ref":
        return this.reference(file, expr.root, expr.props, at);
      case "call": {
        const call = this.summaryOf(file)?.calls[expr.callId];
        return call ? { t: "call", file, call, at } : { t: "unknown", text: "a call", at };
      }
      case "function":
        return { t: "function", file, containerId: expr.containerId, at };
      case "choice":
      case "element":
      case "dynamic":
        return expr.root !== undefined ? { t: "unknown", text: expr.text, root: expr.root, at } : { t: "unknown", text: expr.text, at };
    }
  }

  private concat(parts: Value[], at: Value["at"]): Value {
    const unknown = parts.find((p) => p.t !== "string" && p.t !== "number");
    if (unknown) return unknown.t === "unknown" ? unknown : { t: "unknown", text: "a value that is not a string", at: unknown.at };
    if (parts.some((p) => p.t === "string")) return { t: "string", v: parts.map((p) => String((p as { v: unknown }).v)).join(""), at };
    return { t: "number", v: parts.reduce((sum, p) => sum + (p as { v: number }).v, 0), at };
  }

  private reference(file: string, root: string, props: string[], at: Value["at"]): Value {
    const text = [root, ...props].join(".");
    const key = `${file}\0${text}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key)) return { t: "unknown", text, at };
    this.inProgress.add(key);
    try {
      const value = this.followReference(file, root, props, at, text);
      // Values stamped with this use's position are cheap and must not leak to another use.
      if (value.at !== at) this.memo.set(key, value);
      return value;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private followReference(file: string, root: string, props: string[], at: Value["at"], text: string): Value {
    const { binding, rest } = this.resolver.resolvePath(file, root, props);
    let value: Value;
    if (binding.kind === "tributary") value = { t: "api", name: binding.name, at };
    else if (binding.kind === "decl" && binding.decl.kind === "const") value = this.evaluate(binding.file, binding.decl.init);
    else if (binding.kind === "decl" && binding.decl.kind === "function") value = { t: "function", file: binding.file, containerId: binding.decl.containerId, at };
    else return { t: "unknown", text, at };
    for (const key of rest) {
      if (value.t !== "object") return { t: "unknown", text, at };
      const next = value.props.get(key);
      if (!next) return { t: "unknown", text, at };
      value = next.value;
    }
    return value;
  }
}
