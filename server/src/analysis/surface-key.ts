import type { CallSite, Container, Declaration, ImportBinding, ReExport } from "./file-summary.js";
import { staticShape } from "./static-expr.js";

/**
 * The part of a file other files can observe through imports: its imports, exports, re-exports,
 * top-level declarations and the calls those declarations are bound to, without positions. When
 * an edit leaves it unchanged, no other file needs resolving again.
 */
export function surfaceKey(parts: {
  imports: ReadonlyMap<string, ImportBinding>;
  exports: ReadonlyMap<string, string>;
  reexports: readonly ReExport[];
  declarations: ReadonlyMap<string, Declaration>;
  calls: readonly CallSite[];
  containers: readonly Container[];
}): string {
  const out: string[] = [];
  for (const [local, binding] of parts.imports) out.push(`i ${local}=${binding.specifier}:${binding.imported}`);
  for (const [exported, local] of parts.exports) out.push(`e ${exported}=${local}`);
  for (const r of parts.reexports) out.push(`r ${JSON.stringify(r)}`);
  for (const declaration of parts.declarations.values()) {
    if (declaration.kind === "const") {
      out.push(`c ${declaration.name}=${staticShape(declaration.init)}`);
      if (declaration.init.kind === "call") {
        const call = parts.calls[declaration.init.callId];
        if (call) out.push(`  ${[call.callee.root, ...call.callee.props].join(".")}(${call.args.map(staticShape).join(",")})`);
      }
    } else if (declaration.kind === "function") {
      // A flow declared elsewhere may use this function as its body, and its parameters as the flow's.
      out.push(`f ${declaration.name}(${JSON.stringify(parts.containers[declaration.containerId]?.parameters)})`);
    } else if (declaration.kind === "type") {
      const params = declaration.typeParameters ? JSON.stringify(declaration.typeParameters) : "";
      out.push(`t ${declaration.name}${params}=${JSON.stringify(declaration.schema)}`);
    } else {
      out.push(`o ${declaration.name}`);
    }
  }
  return out.join("\n");
}
