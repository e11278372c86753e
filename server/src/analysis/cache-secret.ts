/**
 * The secret the analysis caches sign their entries with: 32 random bytes made once per user and
 * machine, kept in the user's cache folder, never in a workspace. An entry is read only when its
 * MAC holds under this secret, so a cache a repository ships (or another user on the machine
 * wrote) is a miss, not a summary that could hide a cycle from a check in CI.
 *
 * When the file can be neither read nor made (a read-only home), a secret of this process is used:
 * nothing stored earlier is read, and the check is as correct as without a cache.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SECRET_BYTES = 32;
let secret: Buffer | undefined;

/** The folder of per-user caches on this platform (`$XDG_CACHE_HOME`, `~/Library/Caches`, `%LOCALAPPDATA%`). */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === "win32") return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), "AppData", "Local"), "tributary");
  if (platform === "darwin") return path.join(os.homedir(), "Library", "Caches", "tributary");
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache"), "tributary");
}

/** This user's cache secret, made on first use. */
export function cacheSecret(): Buffer {
  return (secret ??= readOrMakeSecret(path.join(userCacheDir(), "cache-secret")));
}

function readOrMakeSecret(file: string): Buffer {
  const read = readSecret(file);
  if (read) return read;
  const made = randomBytes(SECRET_BYTES);
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // `wx`: two processes making it at once — the one that loses reads the winner's.
    writeFileSync(file, made.toString("hex"), { flag: "wx", mode: 0o600 });
    return made;
  } catch {
    return readSecret(file) ?? made;
  }
}

/** The stored secret, unless it is malformed or others may write it (then it is not ours alone). */
function readSecret(file: string): Buffer | undefined {
  try {
    const info = statSync(file);
    if (!info.isFile() || (process.platform !== "win32" && (info.mode & 0o022) !== 0)) return undefined;
    const text = readFileSync(file, "utf8").trim();
    return /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, "hex") : undefined;
  } catch {
    return undefined;
  }
}
