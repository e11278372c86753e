/**
 * The seam for parameter schemas: the JSON Schema of a flow's parameters, computed from its
 * TypeScript types, lets the server refuse bad parameters (422) before a run exists. Computing it
 * needs the type checker, which the language server's analysis (server/src/analysis) owns; until
 * it offers one, deployments are registered without a schema and runs are checked by the flow
 * itself when they start.
 */
import type { JsonValue } from "../../store/records.js";

export function parameterSchemaFor(_file: string, _flowExport: string): Record<string, JsonValue> | undefined {
  return undefined;
}
