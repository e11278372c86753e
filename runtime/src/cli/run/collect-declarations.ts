/**
 * What a loaded flow file declared with `deploy(...)` and `automation(...)` (the declarations
 * registry), as plain JSON the parent can register. Only the file's own declarations count: those
 * of the modules it imports belong to those modules (a deployment runs the file that declares it).
 * A deployment's flow is named by the export that holds it, or by the flow's name when the file
 * does not export it.
 */
import { realpathSync } from "node:fs";
import type { JsonValue } from "../../store/records.js";
import { declaredEntries } from "../../declarations/registry.js";
import type { DeclaredItem } from "./child-protocol.js";

/** `file` is the loaded flow file (the bundle's entry point), as the bundler saw it. */
export function collectDeclarations(moduleExports: Record<string, unknown>, file: string): DeclaredItem[] {
  const own = new Set([file, realPath(file)]);
  return declaredEntries()
    .filter((entry) => entry.module !== undefined && own.has(entry.module))
    .map(({ declaration }) => {
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

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
