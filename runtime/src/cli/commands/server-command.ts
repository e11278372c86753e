/**
 * `tributary server start [--host 127.0.0.1] [--port 4200]`: the orchestration server on the
 * workspace's store, with its scheduler and worker, until Ctrl-C or SIGTERM. Beyond loopback it
 * needs TRIBUTARY_API_TOKEN (and then every client sends it).
 */
import { Option, type Command } from "commander";
import { UsageError, isTributaryError } from "../../errors.js";
import { API_TOKEN_ENV } from "../../server/contract.js";
import { startServer } from "../../server/start-server.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import { runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";

export function registerServerCommands(program: Command, ctx: CliContext): void {
  const server = program.command("server").description("Run the orchestration server: API, event stream, scheduler, worker.");
  server
    .command("start")
    .description("Start the server on this workspace's store and keep it running until Ctrl-C.")
    .option("--host <host>", "the address to listen on; anything but loopback needs TRIBUTARY_API_TOKEN", "127.0.0.1")
    .option("--port <port>", "the port (0 lets the system choose)", "4200")
    // For an editor that starts a server of its own: stop when it goes, even if it is killed.
    .addOption(new Option("--exit-with-parent", "stop when stdin closes or the parent process dies").hideHelp())
    .action(async (options: { host: string; port: string; exitWithParent?: boolean }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${options.port}".`);
      const token = ctx.env[API_TOKEN_ENV];
      const store = openSqliteStore(ctx.storePath);
      let running;
      try {
        running = await startServer({
          store,
          host: options.host,
          port,
          ...(token !== undefined && token !== "" ? { token } : {}),
          worker: { runnerFile: runChildPath(ctx), runtimeLibrary: runtimeLibraryPath(ctx) },
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
      ctx.stdout.write(`Tributary server listening on ${running.url} (store ${store.location})\n`);
      ctx.stdout.write(`Point clients at it with ${"TRIBUTARY_API_URL"}=${running.url}\n`);
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
      await running.close();
      await store.close();
    });
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
