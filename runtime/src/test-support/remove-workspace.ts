/**
 * Removing a test's throwaway directory once no process uses it any more.
 *
 * A process a test started — or one that process started: a server's spare runner, a flow run's
 * child, code-server's extension host — can outlive what the test waited for: its parent was
 * SIGKILLed and it has yet to notice, or it is still exiting. While it opens or closes a store it
 * creates and deletes the store's -wal and -shm files, so a removal racing it fails with ENOTEMPTY
 * (after every test passed). Retrying the removal only narrows that race; waiting for those
 * processes to be gone ends it. No event says that a process which is not our child has exited,
 * so this polls, with a deadline.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import path from "node:path";

/** A process that uses a directory, and how. */
export interface DirectoryUser {
  pid: number;
  /** Its command line, arguments joined by spaces. */
  command: string;
  /** What names the directory: its working directory, an argument, an environment variable or an open file. */
  how: "cwd" | "argument" | "environment" | "open file";
}

export interface RemoveWorkspaceOptions {
  /**
   * How long to wait for the processes that use the directory to be gone before failing, naming them.
   * @default 60_000
   */
  timeoutMs?: number;
}

const POLL_MS = 50;

/**
 * The processes (other than this one) whose working directory, command line, environment or open
 * files name `dir` or a path inside it. Reads /proc: on a system without it the answer is empty.
 * A zombie names nothing (it has no working directory, files or command line left): it no longer
 * touches the directory.
 *
 * @example
 * processesUsing(workspace.dir) // [{ pid: 4242, command: "node runtime/dist/cli/run-child.js --store …", how: "argument" }]
 */
export function processesUsing(dir: string): DirectoryUser[] {
  let pids: number[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
  const names = [...new Set([path.resolve(dir), realpathOr(dir)])];
  // A removed working directory reads as "<path> (deleted)"; `HOME=<dir>` ends with the name.
  const inside = (value: string) => {
    const target = value.replace(/ \(deleted\)$/, "");
    return names.some((name) => target.endsWith(name) || target.includes(`${name}/`));
  };
  const users: DirectoryUser[] = [];
  for (const pid of pids) {
    const how = howUsed(pid, inside);
    if (how) users.push({ pid, how, command: read(`/proc/${pid}/cmdline`).split("\0").filter(Boolean).join(" ") });
  }
  return users;
}

/**
 * Waits until no process uses `dir` ({@link processesUsing}), then removes it. Fails, naming the
 * processes, when some are still there after `timeoutMs`: a test left one running.
 *
 * @example
 * after(() => removeWorkspace(dir));
 */
export async function removeWorkspace(dir: string, options: RemoveWorkspaceOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const users = processesUsing(dir);
    if (users.length === 0) break;
    if (Date.now() > deadline) {
      const list = users.map((user) => `pid ${user.pid} (${user.how}): ${user.command || "?"}`).join("\n  ");
      throw new Error(`The test directory ${dir} is still used after ${timeoutMs / 1000} s by:\n  ${list}\nA test left these processes running: end them (and wait for them to exit) before removing the directory.`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  rmSync(dir, { recursive: true, force: true });
}

function howUsed(pid: number, inside: (value: string) => boolean): DirectoryUser["how"] | undefined {
  const proc = `/proc/${pid}`;
  if (inside(link(`${proc}/cwd`))) return "cwd";
  if (read(`${proc}/cmdline`).split("\0").some((arg) => arg !== "" && inside(arg))) return "argument";
  if (read(`${proc}/environ`).split("\0").some((entry) => entry !== "" && inside(entry))) return "environment";
  let fds: string[] = [];
  try {
    fds = readdirSync(`${proc}/fd`);
  } catch {
    // Gone meanwhile, or not ours to read.
  }
  if (fds.some((fd) => inside(link(`${proc}/fd/${fd}`)))) return "open file";
  return undefined;
}

function link(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return "";
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function realpathOr(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}
