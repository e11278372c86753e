/**
 * `tributary daemon status|stop [--all]`: the check services of this user (`tributary check`
 * starts one per working folder, see runtime/src/cli/check-service/): those of the current
 * workspace, or with `--all` every one. A service that does not answer is not running; its
 * leftover token file is removed by `stop`.
 */
import { rmSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { askService } from "../check-service/service-client.js";
import { listServiceIds, openServiceDirectory, processAlive, readTicket, refusedDirectoryWarning, serviceFiles, workspaceOf } from "../check-service/service-location.js";
import type { ServiceStatus } from "../check-service/service-protocol.js";
import { ExitCode } from "../exit-codes.js";

const ASK = { connectMs: 1_000, answerMs: 5_000 };
/** How long `stop` waits for a service to be gone. */
const STOP_WAIT_MS = 10_000;

export function registerDaemonCommands(program: Command, ctx: CliContext): void {
  const daemon = program.command("daemon").description("The check services that answer `tributary check` from memory (see `tributary check --help`).");
  daemon
    .command("status")
    .description("List the check services running for this workspace.")
    .option("--all", "list every check service of yours, whatever its workspace")
    .action(async (options: { all?: boolean }) => {
      const found = services(ctx, options.all === true);
      if (found === undefined) return;
      let running = 0;
      for (const service of found) {
        const ticket = readTicket(service.tokenFile);
        const answer = ticket ? await askService(service.socket, { kind: "status", token: ticket.token }, ASK) : undefined;
        if (answer?.kind !== "status") continue;
        running++;
        ctx.stdout.write(describe(answer));
      }
      if (running === 0) ctx.stdout.write(options.all ? "No check service is running.\n" : `No check service is running for ${workspaceRoot(ctx)}.\n`);
    });
  daemon
    .command("stop")
    .description("Stop the check services of this workspace (the next check starts one again, unless TRIBUTARY_DAEMON=0).")
    .option("--all", "stop every check service of yours, whatever its workspace")
    .action(async (options: { all?: boolean }) => {
      const found = services(ctx, options.all === true);
      if (found === undefined) return;
      let stopped = 0;
      for (const service of found) {
        const ticket = readTicket(service.tokenFile);
        const answer = ticket ? await askService(service.socket, { kind: "stop", token: ticket.token }, ASK) : undefined;
        if (answer?.kind === "stopping" && ticket) {
          if (!(await exited(ticket.pid))) {
            ctx.stderr.write(`tributary: the check service of ${ticket.cwd} (pid ${ticket.pid}) did not stop within ${STOP_WAIT_MS / 1000} s.\n`);
            ctx.exitCode = ExitCode.runFailed;
            continue;
          }
          stopped++;
          ctx.stdout.write(`Stopped the check service of ${ticket.cwd} (pid ${ticket.pid}).\n`);
        } else if (!ticket || !processAlive(ticket.pid)) {
          // A service that ended without cleaning up (killed): its files go.
          rmSync(service.tokenFile, { force: true });
          if (process.platform !== "win32") rmSync(service.socket, { force: true });
        }
      }
      if (stopped === 0) ctx.stdout.write(options.all ? "No check service was running.\n" : `No check service was running for ${workspaceRoot(ctx)}.\n`);
    });
}

/** The services of this workspace (or all), or undefined after saying why there can be none. */
function services(ctx: CliContext, all: boolean): ReturnType<typeof serviceFiles>[] | undefined {
  const dir = openServiceDirectory(ctx.env, false);
  if (dir.kind === "refused") {
    ctx.stderr.write(refusedDirectoryWarning(dir));
    ctx.exitCode = ExitCode.runFailed;
    return undefined;
  }
  if (dir.kind === "absent") return [];
  return listServiceIds(dir.dir, all ? undefined : workspaceRoot(ctx)).map((id) => serviceFiles(dir.dir, id));
}

function workspaceRoot(ctx: CliContext): string {
  return workspaceOf(ctx.cwd);
}

function describe(status: ServiceStatus): string {
  const minutes = Math.round((Date.now() - Date.parse(status.startedAt)) / 60_000);
  return `${status.cwd}: pid ${status.pid}, tributaryjs ${status.version}, up ${minutes} min, ${status.requests} ${status.requests === 1 ? "request" : "requests"}, exits after ${status.idleSeconds} s without one\n`;
}

/** Resolves once `pid` is gone (true), or false after STOP_WAIT_MS. */
async function exited(pid: number): Promise<boolean> {
  const deadline = Date.now() + STOP_WAIT_MS;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
