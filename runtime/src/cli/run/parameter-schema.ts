/**
 * Parameter schemas: the JSON Schema of each flow's parameters, read from its TypeScript types by
 * the language server's analysis (never by running the code). Registered with deployments, it lets
 * the server refuse bad parameters (422) before a run exists; handed to `tributary run`'s child, it
 * coerces `--param` values, refuses bad ones (exit 2) and fails direct calls with a wrong value.
 * The analysis is a separate built module (layers point one way); without it there is no schema,
 * and a run checks only that its parameters are JSON values.
 */
import type { JsonValue } from "../../store/records.js";
import type { CliContext } from "../cli-context.js";
import { loadAnalysisCli } from "../commands/analysis-cli-module.js";

/** Schemas by flow name for the flows in `file` (and what it imports). */
export async function parameterSchemasIn(ctx: CliContext, file: string): Promise<Map<string, Record<string, JsonValue>>> {
  const analysis = loadAnalysisCli(ctx, true);
  if (analysis === undefined) return new Map();
  try {
    const schemas = await analysis.flowParameterSchemas([file], ctx.cwd);
    return new Map(Object.entries(schemas) as [string, Record<string, JsonValue>][]);
  } catch {
    // A schema is a refinement: a file the analysis cannot read still deploys.
    return new Map();
  }
}
