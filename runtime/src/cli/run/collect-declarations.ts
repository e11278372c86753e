/**
 * What a loaded flow file declared with `deploy(...)` and `automation(...)` (the declarations
 * registry), as plain JSON the parent can register. A deployment's flow is named by the export
 * that holds it, or by the flow's name when the file does not export it.
 */
import type { JsonValue } from "../../store/records.js";
import { declarations } from "../../declarations/registry.js";
import type { DeclaredItem } from "./child-protocol.js";

export function collectDeclarations(moduleExports: Record<string, unknown>): DeclaredItem[] {
  return declarations().map((declaration) => {
    const fields: Record<string, JsonValue> = {};
    let flowExport: string | undefined;
    for (const [key, value] of Object.entries(declaration)) {
      if (key === "flow") {
        flowExport = Object.keys(moduleExports).find((name) => moduleExports[name] === value) ?? (value as { name: string }).name;
        continue;
      }
      if (typeof value === "function" || value === undefined) continue;
      fields[key] = JSON.parse(JSON.stringify(value)) as JsonValue;
    }
    return { kind: declaration.kind, name: declaration.name, fields, ...(flowExport !== undefined ? { flowExport } : {}) };
  });
}
