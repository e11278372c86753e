/**
 * Asks a Node.js executable (or VS Code's own runtime run as Node) which Node it is and whether
 * `node:sqlite` loads in it, by running a fixed script with `-e`: no file of the workspace is
 * read or run, and its folder is not the working directory.
 */
import { spawn } from "node:child_process";
import os from "node:os";

export type NodeProbe =
  | {
      ok: true;
      /** `process.versions.node`, e.g. "24.1.0". */
      node: string;
      /** `process.versions.electron` when the runtime is Electron run as Node (VS Code's own). */
      electron?: string;
      /** Whether `node:sqlite` loads without a flag and has its database class (`Database`, or `DatabaseSync` before the rename). */
      nodeSqlite: boolean;
    }
  | { ok: false; problem: string };

/** Prints one JSON line; a marker field tells it from whatever else the executable might print. */
const PROBE_SCRIPT = [
  "let sqlite = false;",
  'try { const m = require("node:sqlite"); sqlite = typeof m.Database === "function" || typeof m.DatabaseSync === "function"; } catch {}',
  "process.stdout.write(JSON.stringify({ tributaryProbe: 1, node: process.versions.node, electron: process.versions.electron, sqlite }));",
].join("\n");

const TIMEOUT_MS = 15_000;

/**
 * Runs `command -e <probe>` with `env` (the environment the runs will have: ELECTRON_RUN_AS_NODE=1
 * for VS Code's runtime, and the user's NODE_OPTIONS, which may enable node:sqlite on 22.5–22.12).
 */
export function probeNode(command: string, env: NodeJS.ProcessEnv): Promise<NodeProbe> {
  return new Promise((resolve) => {
    const child = spawn(command, ["-e", PROBE_SCRIPT], { cwd: os.tmpdir(), env, stdio: ["ignore", "pipe", "pipe"], timeout: TIMEOUT_MS, windowsHide: true });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => resolve({ ok: false, problem: error.message }));
    child.on("close", (code, signal) => {
      const answer = parseProbe(stdout);
      if (answer) return resolve(answer);
      const said = lastLine(stderr) ?? lastLine(stdout);
      const ended = signal === "SIGTERM" ? `it did not answer within ${TIMEOUT_MS / 1000} s` : signal ? `it was stopped by ${signal}` : `it exited with code ${String(code)}`;
      resolve({ ok: false, problem: said ? `${ended}: ${said}` : ended });
    });
  });
}

function parseProbe(stdout: string): NodeProbe | undefined {
  const line = stdout.split("\n").find((text) => text.includes('"tributaryProbe"'));
  if (line === undefined) return undefined;
  try {
    const json = JSON.parse(line) as { node?: unknown; electron?: unknown; sqlite?: unknown };
    if (typeof json.node !== "string") return undefined;
    return { ok: true, node: json.node, nodeSqlite: json.sqlite === true, ...(typeof json.electron === "string" ? { electron: json.electron } : {}) };
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string | undefined {
  const line = text.trim().split("\n").pop()?.trim();
  return line === "" ? undefined : line;
}
