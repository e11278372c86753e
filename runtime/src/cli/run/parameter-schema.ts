/**
 * Parameter schemas for deployments: the JSON Schema of each flow's parameters, read from its
 * TypeScript types by the language server's analysis (never by running the code), lets the server
 * refuse bad parameters (422) before a run exists. The analysis is a separate built module
 * (layers point one way); without it, deployments are registered without a schema and runs are
 * checked by the flow itself when they start.
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
