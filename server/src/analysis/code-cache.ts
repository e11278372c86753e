/**
 * Loads a CommonJS bundle through V8's code cache: what V8 compiled of it in an earlier process,
 * kept in the user's cache folder, so the 10 MB parser bundle is deserialised instead of parsed
 * and compiled again (`load-parser.ts`, `parser-worker.ts`). Only for our own bundles: the
 * analysis never executes user code.
 *
 * `vm.Script` with `cachedData` works on every Node we support (20 has no `module.enableCompileCache`),
 * and `createCachedData()` after the bundle has run, and parsed a file, holds the functions compiled
 * so far, where a cache made at load holds the top level only.
 *
 * V8 checks a cache against the source's length, its own version and its flags; it does not check
 * the source's text, nor (in release builds) that the data is whole: a corrupt cache crashes the
 * process. So an entry is named by a hash of the bundle's text, Node, V8 and the architecture, and
 * carries a digest of its data, checked before V8 sees it. The folder is the user's own (0700,
 * files 0600, written to a temporary name and renamed); a file another user owns or may write is
 * not read, since cached code is code. Nothing here throws for the cache's sake: an entry that
 * cannot be read is a miss, one that cannot be written is left unwritten.
 */
import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { threadId } from "node:worker_threads";
import { userCacheDir } from "./cache-secret.js";

/** How a load used the cache: `read` (V8 took it), `missing`, `rejected` (unreadable, corrupt, or refused by V8), or `off`. */
export type CodeCacheUse = "read" | "missing" | "rejected" | "off";

export interface CodeCachedModule<T> {
  exports: T;
  codeCache: CodeCacheUse;
  /**
   * Stores what V8 has compiled of the bundle so far, unless the cache was read or is off; call it
   * once the bundle has done some of its work. Never throws; false when nothing was written.
   */
  save(): boolean;
}

/** Where the code caches are kept: `code-cache/` in the user's cache folder. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userCacheDir(env), "code-cache");
}

/** Entries of one bundle kept in the folder (other Node versions, earlier builds); older ones are removed on write. */
const KEEP_PER_BUNDLE = 4;
const MAGIC = Buffer.from("tributary code cache 1\n");
const DIGEST = "sha256";
const DIGEST_BYTES = 32;

/**
 * Runs the CommonJS bundle `file` as `require` would, compiled with its code cache from `cacheDir`.
 * `NODE_DISABLE_COMPILE_CACHE` (Node's own switch for its compile cache) turns the cache off.
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string = codeCacheDir()): CodeCachedModule<T> {
  const bytes = readFileSync(file);
  const off = process.env.NODE_DISABLE_COMPILE_CACHE !== undefined && process.env.NODE_DISABLE_COMPILE_CACHE !== "";
  const entry = off ? "" : path.join(cacheDir, `${path.basename(file, ".js")}-${entryKey(bytes)}.v8cache`);
  const stored = off ? undefined : readEntry(entry);
  // Node's own module wrapper, on the first line: line numbers in stack traces stay the file's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${bytes.toString("utf8")}\n})`, { filename: file, cachedData: stored ?? undefined });
  const codeCache: CodeCacheUse = off ? "off" : stored === undefined ? "missing" : stored === null || script.cachedDataRejected === true ? "rejected" : "read";
  const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  let saved = codeCache === "read" || codeCache === "off";
  return {
    exports: module.exports as T,
    codeCache,
    save() {
      if (saved) return false;
      saved = true;
      try {
        return writeEntry(cacheDir, entry, script.createCachedData());
      } catch {
        return false;
      }
    },
  };
}

/** Names the bundle's text under this Node, V8 and architecture (V8 itself compares only the text's length). */
function entryKey(bytes: Buffer): string {
  return createHash(DIGEST).update(`${process.version} ${process.versions.v8} ${process.arch}\n`).update(bytes).digest("hex").slice(0, 32);
}

/**
 * The cached data of `entry`: undefined when there is none, null when there is one that must not
 * reach V8 (another user's, others may write it, truncated, or its digest does not hold).
 */
function readEntry(entry: string): Buffer | undefined | null {
  let fd: number;
  try {
    fd = openSync(entry, "r");
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || !ownedByThisUser(info)) return null;
    const text = readFileSync(fd);
    const start = MAGIC.length + DIGEST_BYTES;
    if (text.length <= start || !text.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const data = text.subarray(start);
    return createHash(DIGEST).update(data).digest().equals(text.subarray(MAGIC.length, start)) ? data : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Ours alone: owned by this user and writable by no one else (Windows: the folder's ACL decides). */
function ownedByThisUser(info: { uid: number; mode: number }): boolean {
  if (process.platform === "win32") return true;
  return (info.mode & 0o022) === 0 && (process.getuid === undefined || info.uid === process.getuid());
}

function writeEntry(cacheDir: string, entry: string, data: Buffer): boolean {
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  // Unique per writer (threads too), beside the entry: the rename is atomic, and readers never see this name.
  const temp = `${entry}.${process.pid}-${threadId}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([MAGIC, createHash(DIGEST).update(data).digest(), data]), { flag: "wx", mode: 0o600 });
    renameSync(temp, entry);
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
  pruneOlderEntries(cacheDir, entry);
  return true;
}

/** Keeps the newest few entries of the bundle `entry` is one of, and drops temporary files a killed writer left. */
function pruneOlderEntries(cacheDir: string, entry: string): void {
  const bundle = path.basename(entry).replace(/-[0-9a-f]{32}\.v8cache$/, "");
  const hourAgo = Date.now() - 3_600_000;
  try {
    const entries: { file: string; mtimeMs: number }[] = [];
    for (const name of readdirSync(cacheDir)) {
      if (!name.startsWith(`${bundle}-`)) continue;
      const file = path.join(cacheDir, name);
      const { mtimeMs } = statSync(file);
      if (name.endsWith(".tmp")) {
        if (mtimeMs < hourAgo) rmSync(file, { force: true });
      } else if (name.endsWith(".v8cache") && file !== entry) {
        entries.push({ file, mtimeMs });
      }
    }
    entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { file } of entries.slice(KEEP_PER_BUNDLE - 1)) rmSync(file, { force: true });
  } catch {
    // Pruning is housekeeping: the entry is written.
  }
}
