/**
 * `tributary server start [--host 127.0.0.1] [--port 4200]`: the orchestration server on the
 * workspace's store, with its scheduler and worker, until Ctrl-C or SIGTERM. It takes
 * TRIBUTARY_API_TOKEN as its token, or makes one; either way it writes its URL and token to
 * server.json beside the store (mode 0600), where this user's CLI and extension find them, and
 * removes the file when it stops. Beyond loopback it needs TRIBUTARY_API_TOKEN.
 *
 * `tributary server open` (server-open-command.ts) signs a browser in to its dashboard.
 *
 * On a SQLite store one server runs at a time (a second one is warned about). On PostgreSQL any number run
 * on one database (`cluster`: events cross between them, one leads the scheduler and automations).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { Option, type Command } from "commander";
import { DEFAULT_POOL, isPoolName, POOL_NAME_RULE } from "../../deployments/work-pools.js";
import { UsageError, isTributaryError } from "../../errors.js";
import { API_TOKEN_ENV } from "../../orchestrator/contract.js";
import { readServerFile, removeServerFile, serverFilePath, writeServerFile, type ServerFile } from "../../orchestrator/server-file.js";
import { startServer } from "../../orchestrator/start-server.js";
import { openCliStore } from "../open-cli-store.js";
import { dashboardPath, runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";
import { registerServerOpenCommand } from "./server-open-command.js";

export function registerServerCommands(program: Command, ctx: CliContext): void {
  const server = program.command("server").description("Run the orchestration server: API, event stream, scheduler, worker.");
  server
    .command("start")
    .description("Start the server on this workspace's store and keep it running until Ctrl-C.")
    .option("--host <host>", "the address to listen on; anything but loopback needs TRIBUTARY_API_TOKEN", "127.0.0.1")
    .option("--port <port>", "the port (0 lets the system choose)", "4200")
    .option("--allow-workdir <dir...>", "besides this directory, project directories whose deployments may run (repeatable)")
    .option("--allow-origin <origin...>", "web origins besides the server's own that may call the API, e.g. http://localhost:5173 (repeatable)")
    .option("--pool <name...>", `the work pools whose deployment runs this server's worker executes (repeatable; default "${DEFAULT_POOL}")`)
    // For an editor that starts a server of its own: stop when it goes, even if it is killed.
    .addOption(new Option("--exit-with-parent", "stop when stdin closes or the parent process dies").hideHelp())
    .action(async (options: { host: string; port: string; exitWithParent?: boolean; allowWorkdir?: string[]; allowOrigin?: string[]; pool?: string[] }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${options.port}".`);
      const badPool = options.pool?.find((pool) => !isPoolName(pool));
      if (badPool !== undefined) throw new UsageError(`--pool must be ${POOL_NAME_RULE}; got "${badPool}".`);
      const workDirs = [ctx.cwd, ...(options.allowWorkdir ?? []).map((dir) => existingDirectory(ctx.cwd, dir))];
      const allowedOrigins = (options.allowOrigin ?? []).map(checkOrigin);
      const token = ctx.env[API_TOKEN_ENV];
      const serverFile = serverFilePath(ctx.storePath);
      const alongside = ctx.databaseUrl === undefined ? otherSqliteServer(serverFile) : undefined;
      const store = await openCliStore(ctx);
      let running;
      try {
        running = await startServer({
          store,
          host: options.host,
          port,
          ...(token !== undefined && token !== "" ? { token } : {}),
          workDirs,
          allowedOrigins,
          dashboardDir: dashboardPath(ctx),
          worker: { runnerFile: runChildPath(ctx), runtimeLibrary: runtimeLibraryPath(ctx), ...(options.pool !== undefined ? { pools: [...new Set(options.pool)] } : {}) },
          // On PostgreSQL, any number of servers share the database: one leads (scheduler, automations).
          cluster: store.databaseUrl !== undefined,
          log: (level, message) => ctx.stderr.write(`tributary server: ${level}: ${message}\n`),
        });
      } catch (error) {
        await store.close();
        if (isTributaryError(error, "InvalidOptionError")) throw new UsageError(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EADDRINUSE") throw new UsageError(`Port ${port} on ${options.host} is in use: is a server already running? Pick another with --port.`);
        if (code === "EADDRNOTAVAIL") throw new UsageError(`Cannot listen on ${options.host}: no such address on this machine.`);
        throw error;
      }
      const info: ServerFile = { url: running.url, token: running.token, pid: process.pid, startedAt: new Date().toISOString() };
      writeServerFile(serverFile, info);
      if (alongside !== undefined) {
        ctx.stderr.write(
          `tributary server: warning: another server (pid ${alongside.pid}, ${alongside.url}) serves the SQLite store at ${store.location} too. ` +
            `Each run still starts once (runs are claimed in the store), but neither server's stream clients, waits or automations see the other's events. ` +
            `One server per SQLite store; to run several, keep the store in PostgreSQL (--database-url or TRIBUTARY_DATABASE_URL).\n`,
        );
      }
      ctx.stdout.write(`Tributary server listening on ${running.url} (store ${store.location})\n`);
      ctx.stdout.write(`Its URL and token are in ${serverFile} (readable by you only): the CLI and the extension find them there.\n`);
      ctx.stdout.write(`Open the dashboard with \`tributary server open\` (it signs your browser in once).\n`);
      const why = await new Promise<string>((resolve) => {
        const cleanups: (() => void)[] = [];
        const stop = (reason: string) => {
          for (const cleanup of cleanups.splice(0)) cleanup();
          resolve(reason);
        };
        const onSignal = () => stop("");
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        cleanups.push(() => process.off("SIGINT", onSignal).off("SIGTERM", onSignal));
        if (options.exitWithParent) cleanups.push(watchParent(stop));
      });
      ctx.stdout.write(`Stopping the server${why}...\n`);
      removeServerFile(serverFile, info);
      await running.close();
      await store.close();
    });
  registerServerOpenCommand(server, ctx);
}

/**
 * Another server of this user on this SQLite store, by the server.json it wrote (a live pid; one
 * left by a killed server does not count). SQLite is one server per store: a second one is warned
 * about rather than refused — the editor starts a server of its own beside one in a terminal —
 * since due runs are claimed in the store (no run starts twice) and scheduled runs are keyed; but
 * events do not cross between the two.
 */
function otherSqliteServer(serverFile: string): ServerFile | undefined {
  const running = readServerFile(serverFile);
  if (running === undefined || running.pid === process.pid || !isAlive(running.pid)) return undefined;
  return running;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Calls `stop` when stdin ends (the parent closed its end of the pipe, or died: the kernel closes
 * it) or when the parent pid changes (the parent died and the process was re-parented).
 */
function watchParent(stop: (reason: string) => void): () => void {
  const parent = process.ppid;
  const onEnd = () => stop(": its parent closed stdin");
  process.stdin.on("end", onEnd).on("close", onEnd).resume();
  const poll = setInterval(() => {
    if (process.ppid !== parent) stop(`: its parent process ${parent} is gone`);
  }, 1000);
  return () => {
    clearInterval(poll);
    process.stdin.off("end", onEnd).off("close", onEnd).pause();
  };
}

function existingDirectory(cwd: string, dir: string): string {
  const absolute = path.resolve(cwd, dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) throw new UsageError(`--allow-workdir must name a directory, got "${dir}": no directory ${absolute}.`);
  return absolute;
}

function checkOrigin(origin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw new UsageError(`--allow-origin must be an origin like http://localhost:5173, got "${origin}".`);
  }
  if (parsed.origin === "null" || parsed.origin !== origin.replace(/\/+$/, "")) {
    throw new UsageError(`--allow-origin must be an origin (scheme, host and port, no path), like ${parsed.origin === "null" ? "http://localhost:5173" : parsed.origin}, got "${origin}".`);
  }
  return parsed.origin;
}
