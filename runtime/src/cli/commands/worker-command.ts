/**
 * `tributary worker start --server URL [--pool NAME]… [--limit N] [--project DIR]`: executes the
 * deployment runs of its pools on this machine, from this machine's checkout of the project, beside
 * the servers of a PostgreSQL database (orchestrator/worker-node.ts says why the database).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { DEFAULT_POOL, isPoolName, POOL_NAME_RULE } from "../../deployments/work-pools.js";
import { UsageError } from "../../errors.js";
import { API_TOKEN_ENV } from "../../orchestrator/contract.js";
import { startWorkerNode } from "../../orchestrator/worker-node.js";
import type { PostgresStore } from "../../store/postgres-store.js";
import { runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";
import { openCliStore } from "../open-cli-store.js";

interface WorkerStartOptions {
  server: string;
  pool?: string[];
  limit?: string;
  project?: string;
}

export function registerWorkerCommands(program: Command, ctx: CliContext): void {
  const worker = program.command("worker").description("Run deployment runs on this machine, beside the servers of a PostgreSQL database.");
  worker
    .command("start")
    .description("Execute the deployment runs of the given work pools here until Ctrl-C, from this machine's checkout of the project.")
    .requiredOption("--server <url>", "a server of the database, whose API the flows use (runDeployment, waits, events); its token in TRIBUTARY_API_TOKEN")
    .option("--pool <name...>", `the work pools whose runs to execute (repeatable; default "${DEFAULT_POOL}")`)
    .option("--limit <n>", "how many runs to execute at once at most")
    .option("--project <dir>", "this machine's checkout of the project the deployments were registered from (default: the current directory)")
    .action(async (options: WorkerStartOptions) => {
      const apiUrl = checkServerUrl(options.server);
      const pools = [...new Set(options.pool ?? [DEFAULT_POOL])];
      const badPool = pools.find((pool) => !isPoolName(pool));
      if (badPool !== undefined) throw new UsageError(`--pool must be ${POOL_NAME_RULE}; got "${badPool}".`);
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new UsageError(`--limit must be a whole number of at least 1, got "${options.limit}".`);
      const projectDir = path.resolve(ctx.cwd, options.project ?? ".");
      if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) throw new UsageError(`--project must name a directory, got "${options.project}": no directory ${projectDir}.`);
      const token = ctx.env[API_TOKEN_ENV]?.trim();
      if (token === undefined || token === "") {
        throw new UsageError(`A worker needs the servers' token: set ${API_TOKEN_ENV} to the token the servers of the database share.`);
      }
      if (ctx.databaseUrl === undefined) {
        throw new UsageError(
          "A worker takes its runs from the servers' PostgreSQL database: give it with --database-url or TRIBUTARY_DATABASE_URL (the servers' own).",
        );
      }
      const store = await openCliStore(ctx);
      let running;
      try {
        running = await startWorkerNode({
          store: store as PostgresStore,
          apiUrl,
          token,
          projectDir,
          pools,
          ...(limit !== undefined ? { limit } : {}),
          runnerFile: runChildPath(ctx),
          runtimeLibrary: runtimeLibraryPath(ctx),
          log: (level, message) => ctx.stderr.write(`tributary worker: ${level}: ${message}\n`),
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      const plural = pools.length === 1 ? "" : "s";
      ctx.stdout.write(
        `Tributary worker started: pool${plural} ${pools.join(", ")}${limit !== undefined ? `, at most ${limit} at once` : ""}; runs execute in ${projectDir}; flows talk to ${apiUrl} (store ${store.location})\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop).off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      ctx.stdout.write("Stopping the worker: runs still executing end Crashed.\n");
      await running.close();
      await store.close();
    });
}

function checkServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--server must be a server's URL such as http://10.0.0.5:4200, got "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--server must be an http or https URL, got "${value}".`);
  return url.href.replace(/\/$/, "");
}
