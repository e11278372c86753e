/**
 * Where a check service listens, and how a client finds it: a per-user folder
 * (`$XDG_RUNTIME_DIR/tributary`, else `<tmp>/tributary-<uid>`) holding, per service, a Unix socket
 * (on Windows a named pipe, `\\.\pipe\tributary-<user>-<id>`) and a token file. The folder must be
 * this user's own, mode 0700 and not a link: another local user who could write there could
 * listen in the service's place or read its token. A folder that is not is refused, never fixed.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface ServiceLocation {
  /** The per-user folder. */
  dir: string;
  /** `<hash of the root>-<hash of the cwd>`: one service per workspace root and working folder. */
  id: string;
  /** The socket's path, or the pipe's name on Windows. */
  socket: string;
  /** The token file beside it (0600): the token, and who the service is. */
  tokenFile: string;
  root: string;
  cwd: string;
}

/** What a token file holds. */
export interface ServiceTicket {
  token: string;
  pid: number;
  root: string;
  cwd: string;
}

export type ServiceDirectory = { kind: "ok"; dir: string } | { kind: "absent"; dir: string } | { kind: "refused"; dir: string; reason: string };

/** The per-user folder's path (not checked). */
export function serviceDirectoryPath(env: NodeJS.ProcessEnv): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, "tributary");
  return path.join(os.tmpdir(), `tributary-${process.getuid?.() ?? userName()}`);
}

/**
 * The per-user folder, made (0700) when `create` and missing, and refused when it is a link, not
 * a folder, not this user's, or open to others.
 */
export function openServiceDirectory(env: NodeJS.ProcessEnv, create: boolean): ServiceDirectory {
  const dir = serviceDirectoryPath(env);
  if (create) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return { kind: "refused", dir, reason: `cannot be made (${(error as Error).message})` };
    }
  }
  let info;
  try {
    info = lstatSync(dir);
  } catch {
    return { kind: "absent", dir };
  }
  if (info.isSymbolicLink()) return { kind: "refused", dir, reason: "is a symbolic link" };
  if (!info.isDirectory()) return { kind: "refused", dir, reason: "is not a folder" };
  if (process.platform === "win32") return { kind: "ok", dir };
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) return { kind: "refused", dir, reason: `belongs to another user (uid ${info.uid})` };
  if ((info.mode & 0o077) !== 0) return { kind: "refused", dir, reason: `has mode ${(info.mode & 0o777).toString(8).padStart(4, "0")}, not 0700` };
  return { kind: "ok", dir };
}

/** The one line a refused folder is reported with; the check goes on in the process. */
export function refusedDirectoryWarning(refused: { dir: string; reason: string }): string {
  return `tributary: not using the check service: ${refused.dir} ${refused.reason}; checking in this process (remove that folder, or make it yours with mode 0700).\n`;
}

/** The workspace a folder belongs to: the nearest folder up with a tributary.config.json or package.json, else the folder itself. */
export function findWorkspaceRoot(cwd: string): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "tributary.config.json")) || existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
}

/** The workspace root of a working folder, from its real path. */
export function workspaceOf(cwd: string): string {
  return findWorkspaceRoot(realPath(cwd));
}

/** The service for a working folder (its real path) in the per-user folder `dir`. */
export function serviceLocation(dir: string, cwd: string): ServiceLocation {
  const real = realPath(cwd);
  const root = findWorkspaceRoot(real);
  return { ...serviceFiles(dir, `${shortHash(root)}-${shortHash(real)}`), root, cwd: real };
}

/** The socket (or pipe) and token file of the service `id` in `dir`. */
export function serviceFiles(dir: string, id: string): Pick<ServiceLocation, "dir" | "id" | "socket" | "tokenFile"> {
  const socket = process.platform === "win32" ? `\\\\.\\pipe\\tributary-${userName()}-${id}` : path.join(dir, `${id}.sock`);
  return { dir, id, socket, tokenFile: path.join(dir, `${id}.json`) };
}

/** Whether the process `pid` (a service's, from its token file) still runs. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The ids of the services in `dir` (running or not) whose workspace is `root`, or every one. */
export function listServiceIds(dir: string, root?: string): string[] {
  const prefix = root === undefined ? "" : `${shortHash(root)}-`;
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json") && name.startsWith(prefix))
      .map((name) => name.slice(0, -".json".length));
  } catch {
    return [];
  }
}

/** The token file of a service, or undefined when there is none or it is not one. */
export function readTicket(tokenFile: string): ServiceTicket | undefined {
  try {
    const value = JSON.parse(readFileSync(tokenFile, "utf8")) as Partial<ServiceTicket>;
    if (typeof value.token !== "string" || typeof value.pid !== "number" || typeof value.root !== "string" || typeof value.cwd !== "string") return undefined;
    return value as ServiceTicket;
  } catch {
    return undefined;
  }
}

/** A new random token, written (0600, under a fresh name, then renamed) as the service's token file. */
export function writeTicket(location: ServiceLocation, pid: number): ServiceTicket {
  const ticket: ServiceTicket = { token: randomBytes(32).toString("base64url"), pid, root: location.root, cwd: location.cwd };
  const temporary = `${location.tokenFile}.${pid}.${randomBytes(6).toString("hex")}.tmp`;
  // `wx`: never through a file (or link) someone else put there first.
  writeFileSync(temporary, JSON.stringify(ticket), { flag: "wx", mode: 0o600 });
  renameSync(temporary, location.tokenFile);
  return ticket;
}

/** Removes a service's socket and token file, when the token file is still the one `ticket` wrote. */
export function removeServiceFiles(location: ServiceLocation, ticket: ServiceTicket): void {
  if (readTicket(location.tokenFile)?.token !== ticket.token) return;
  rmSync(location.tokenFile, { force: true });
  if (process.platform !== "win32") rmSync(location.socket, { force: true });
}

function realPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function userName(): string {
  try {
    return os.userInfo().username.replace(/[^A-Za-z0-9_.-]/g, "_");
  } catch {
    return "user";
  }
}
