/**
 * `server.json` beside the store: where a running `tributary server start` says where it listens
 * and which token it takes. Only its user can read it (mode 0600), so the CLI, the runners and the
 * extension of that user find the server and its token there, and other local users and web pages
 * do not. Written whole or not at all (a temporary file renamed into place); removed by the server
 * that wrote it when it stops; a file left by a killed server names a URL that no longer answers.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import type { PathApi } from "../file-paths.js";

export interface ServerFile {
  /** `http://127.0.0.1:4200`. */
  url: string;
  token: string;
  pid: number;
  startedAt: string;
}

export const SERVER_FILE_NAME = "server.json";

/** `<store dir>/server.json`. */
export function serverFilePath(storePath: string, p: PathApi = path): string {
  return p.join(p.dirname(storePath), SERVER_FILE_NAME);
}

/** A fresh random token (256 bits, URL-safe). */
export function newServerToken(): string {
  return randomBytes(32).toString("base64url");
}

export function writeServerFile(file: string, info: ServerFile): void {
  // With the store on PostgreSQL no SQLite file has made the folder (.tributary/ or TRIBUTARY_HOME).
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  // Created 0600 from the start: the token is never readable by others, not even for a moment.
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/**
 * The server file, or undefined when there is none, it is not valid, or it could have been written
 * by someone else (another owner, or readable or writable by others): a file another user planted
 * must not send this user's requests — and token — elsewhere.
 */
export function readServerFile(file: string): ServerFile | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (process.platform !== "win32" && (stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0)) return undefined;
    const parsed = JSON.parse(readFileSync(fd, "utf8")) as Partial<ServerFile>;
    if (typeof parsed.url !== "string" || typeof parsed.token !== "string" || parsed.token === "") return undefined;
    return { url: parsed.url, token: parsed.token, pid: Number(parsed.pid), startedAt: String(parsed.startedAt) };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Removes the file when it is still the one this process wrote (another server may have replaced it). */
export function removeServerFile(file: string, info: ServerFile): void {
  try {
    statSync(file);
  } catch {
    return;
  }
  const current = readServerFile(file);
  if (current && current.pid === info.pid && current.url === info.url) rmSync(file, { force: true });
}
