/**
 * `tributary worker start --server URL [--pool NAME]… [--limit N] [--project DIR] [--name NAME]`:
 * executes the deployment runs of its pools on this machine, from this machine's checkout of the
 * project, beside the servers of a PostgreSQL database (orchestrator/worker-node.ts says why the
 * database). `tributary worker ls`: the workers the servers know, online or not.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { DEFAULT_POOL, isPoolName, POOL_NAME_RULE } from "../../deployments/work-pools.js";
import { UsageError } from "../../errors.js";
import { API_TOKEN_ENV, type ListedWorker } from "../../orchestrator/contract.js";
import { startWorkerNode } from "../../orchestrator/worker-node.js";
import type { PostgresStore } from "../../store/postgres-store.js";
import { runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";
import { openCliStore } from "../open-cli-store.js";
import { formatDuration } from "../render/format-time.js";
import { formatTable } from "../render/table.js";
import { withServer } from "../server-connection.js";

interface WorkerStartOptions {
  server: string;
  pool?: string[];
  limit?: string;
  project?: string;
  name?: string;
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
    .option("--name <name>", "its name in `tributary worker ls` (default: <host>:<pid>)")
    .action(async (options: WorkerStartOptions) => {
      const apiUrl = checkServerUrl(options.server);
      const pools = [...new Set(options.pool ?? [DEFAULT_POOL])];
      const badPool = pools.find((pool) => !isPoolName(pool));
      if (badPool !== undefined) throw new UsageError(`--pool must be ${POOL_NAME_RULE}; got "${badPool}".`);
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new UsageError(`--limit must be a whole number of at least 1, got "${options.limit}".`);
      const projectDir = path.resolve(ctx.cwd, options.project ?? ".");
      if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) throw new UsageError(`--project must name a directory, got "${options.project}": no directory ${projectDir}.`);
      if (options.name !== undefined && (options.name.trim() === "" || options.name.length > 200)) {
        throw new UsageError(`--name must be a name of 1 to 200 characters, got "${options.name}".`);
      }
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
          ...(options.name !== undefined ? { name: options.name } : {}),
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
  worker
    .command("ls")
    .description("List the workers: each server's own and those of `tributary worker start`, online or not, with their pools and runs.")
    .option("--json", "print the workers as a JSON array")
    .action((options: { json?: boolean }) => listWorkers(ctx, options.json === true));
}

/** `tributary worker ls`: the workers the server's database knows, the last heard of first. */
async function listWorkers(ctx: CliContext, json: boolean): Promise<void> {
  await withServer(ctx, async (server) => {
    const { body } = await server.request<ListedWorker[]>("GET", "/api/workers");
    if (json) return void ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    if (body.length === 0) return void ctx.stdout.write("No workers yet: a server's own worker is listed once it starts, and so is `tributary worker start`.\n");
    const now = ctx.now().getTime();
    const rows = body.map((worker) => [
      worker.name,
      worker.kind,
      worker.status === "online" ? "online" : worker.stoppedAt !== undefined ? "stopped" : "offline (no heartbeat)",
      worker.pools.join(", "),
      `${formatDuration(Math.max(0, now - Date.parse(worker.lastHeartbeat)))} ago`,
      worker.status === "online" ? String(worker.runs) : "-",
    ]);
    ctx.stdout.write(`${formatTable(["NAME", "KIND", "STATUS", "POOLS", "LAST HEARTBEAT", "RUNS"], rows).join("\n")}\n`);
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
