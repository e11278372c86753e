/**
 * After `tributary check` answered in the process, it starts the check service for next time:
 * detached, its output ignored, warming itself with the same check. One that runs already (or is
 * being started by another check) is left alone: a second service finds the socket taken and exits.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import type { CliContext } from "../cli-context.js";
import { openServiceDirectory, processAlive, readTicket, refusedDirectoryWarning, serviceLocation } from "./service-location.js";
import { daemonEnabled } from "./service-settings.js";

/** The check the service runs first, so that the next one is answered from memory. */
export interface WarmCheck {
  paths: string[];
  format: string;
  cacheDir?: string;
}

/** What `check-service.js` is given as its one argument. */
export interface ServiceLaunch {
  cwd: string;
  warm: WarmCheck;
}

export function startCheckService(ctx: CliContext, warm: WarmCheck): void {
  if (!daemonEnabled(ctx.env)) return;
  const dir = openServiceDirectory(ctx.env, true);
  if (dir.kind === "refused") {
    ctx.stderr.write(refusedDirectoryWarning(dir));
    return;
  }
  if (dir.kind === "absent") return;
  const ticket = readTicket(serviceLocation(dir.dir, ctx.cwd).tokenFile);
  if (ticket && processAlive(ticket.pid)) return;
  const launch: ServiceLaunch = { cwd: ctx.cwd, warm };
  // It runs in its own folder, not the workspace (it is told the workspace's path): a process whose
  // working folder is in the project would keep it from being removed or renamed on Windows.
  const child = spawn(process.execPath, [path.join(ctx.cliDir, "check-service.js"), JSON.stringify(launch)], { cwd: dir.dir, env: ctx.env, detached: true, stdio: "ignore", windowsHide: true });
  child.on("error", () => undefined);
  child.unref();
}
