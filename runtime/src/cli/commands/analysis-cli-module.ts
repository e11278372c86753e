/**
 * `tributary check` and `tributary graph` run the language server's analysis, which the runtime
 * must not import (layers point one way). It is built as runtime/dist/analysis/analysis-cli.js and loaded
 * from there at run time, beside the CLI's own dist folder.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ProjectGraph } from "../../orchestrator/contract.js";
import type { CliContext } from "../cli-context.js";

/** What runtime/dist/analysis/analysis-cli.js exports (server/src/cli/analysis-cli.ts). */
export interface AnalysisCliModule {
  runCheck(options: AnalysisCliOptions): Promise<number>;
  runGraph(options: AnalysisCliOptions): Promise<number>;
  flowParameterSchemas(files: readonly string[], cwd: string): Promise<Record<string, unknown>>;
  /** The flow files `check` reads under `paths` (with the project config's include/exclude), or a usage message. */
  flowFiles(paths: readonly string[], cwd: string): Promise<string[] | string>;
  /** The static graph of the project `files` belong to, for PUT /api/graph, or why it could not be made. */
  projectGraph(files: readonly string[], cwd: string): Promise<ProjectGraph | string>;
}

export interface AnalysisCliOptions {
  paths: readonly string[];
  format?: string;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Use the summary cache (`check`; a module built before it ignores this). */
  cache?: boolean;
  /** Where the caches are kept instead of `.tributary/cache` in the workspace (a module built before it ignores this). */
  cacheDir?: string;
  /** Report the cache's hits on stderr. */
  verbose?: boolean;
}

/** The built module, or undefined after one clear line on stderr when it is not there (unless `quiet`). */
export function loadAnalysisCli(ctx: CliContext, quiet = false): AnalysisCliModule | undefined {
  const file = path.resolve(ctx.cliDir, "../analysis/analysis-cli.js");
  if (!existsSync(file)) {
    if (quiet) return undefined;
    ctx.stderr.write(`tributary: the analysis that check and graph use is not built (${file} is missing); run \`npm run build\`.\n`);
    return undefined;
  }
  return createRequire(path.join(ctx.cliDir, "main.js"))(file) as AnalysisCliModule;
}
