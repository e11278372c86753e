/**
 * Whether `tributary check` may use (and start) the check service, and how long a service waits
 * for work: read from the environment, the same way by the small client, the CLI and the service.
 */

/** A service with no request for this long exits. */
export const DEFAULT_IDLE_SECONDS = 15 * 60;

/**
 * What turns the service off: `--no-daemon`, `TRIBUTARY_DAEMON=0|false`, or `CI` set (to anything
 * but `false`/`0`); and Windows, for now. There the socket would be a named pipe, and a pipe's name
 * is not in a private folder: another local user could create it first and be asked the checks,
 * given the token, and answer them falsely. Until the pipe is created with an ACL of this user
 * alone (Node cannot yet), checks on Windows run in their own process.
 */
export function daemonEnabled(env: NodeJS.ProcessEnv, noDaemonFlag = false, platform: NodeJS.Platform = process.platform): boolean {
  if (noDaemonFlag || platform === "win32") return false;
  const setting = env.TRIBUTARY_DAEMON?.trim().toLowerCase();
  if (setting === "0" || setting === "false") return false;
  const ci = env.CI?.trim().toLowerCase();
  // A CI machine runs each check once: a service would only outlive the job.
  if (ci !== undefined && ci !== "" && ci !== "false" && ci !== "0") return false;
  return true;
}

/** `TRIBUTARY_DAEMON_IDLE_SECONDS` (a positive number), else {@link DEFAULT_IDLE_SECONDS}. */
export function idleSeconds(env: NodeJS.ProcessEnv): number {
  const value = Number(env.TRIBUTARY_DAEMON_IDLE_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_IDLE_SECONDS;
}
