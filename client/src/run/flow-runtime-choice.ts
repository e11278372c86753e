/**
 * Which executable runs flows and the local server (the `tributary` CLI's process), decided
 * without VS Code so that it is unit-tested with any platform's inputs:
 *
 * 1. `tributary.nodePath` when set — the user's explicit choice, checked and never passed over:
 *    a bad value is a message naming it.
 * 2. `node` on the PATH, as a terminal would run it (a lens run behaves like `tributary run`).
 * 3. VS Code's own runtime, `process.execPath` with ELECTRON_RUN_AS_NODE=1 (as the ESLint
 *    extension runs its server), so a machine without Node.js still runs flows.
 *
 * A candidate is usable when its Node has `node:sqlite` (22.13+/23.4+ without a flag), or when
 * better-sqlite3 (the store's fallback) is built where the copy of tributaryjs that runs resolves
 * it and the candidate is Node.js rather than Electron, whose ABI differs. That is decided from the
 * files, for either copy: a workspace may install better-sqlite3, and a bundled copy that ships no
 * native module (a .vsix on node:sqlite) leaves only `node:sqlite` to count.
 */
import path from "node:path";
import { findOnPath, type PathLookup } from "./find-on-path.js";
import { nodeModulesDirs } from "../../../server/src/workspace-package/find-package.js";
import type { NodeProbe } from "./node-probe.js";

export type RuntimeSource = "setting" | "path" | "vscode";

/** The runtime chosen to run the CLI. */
export interface FlowRuntime {
  source: RuntimeSource;
  /** The executable to spawn. */
  command: string;
  /** Variables added to the environment of the process: ELECTRON_RUN_AS_NODE for VS Code's runtime. */
  env: Record<string, string>;
  /** Its Node version, e.g. "24.1.0". */
  node: string;
  /** The SQLite library the store will open with on it. */
  driver: "node:sqlite" | "better-sqlite3";
  /** "Node 24.1.0 from the PATH (/usr/bin/node)", "VS Code's runtime (Node 22.15.1)". */
  label: string;
}

/** What the copy of tributaryjs that runs brings besides `node:sqlite`. */
export interface CopyFacts {
  source: "workspace" | "bundled";
  /** Whether better-sqlite3 with its native module is installed where that copy resolves it (see {@link betterSqlite3Built}). */
  betterSqlite3: boolean;
}

export interface ChoiceInput {
  /** `tributary.nodePath`, trimmed; undefined when empty. */
  nodePath: string | undefined;
  /** The extension host's environment and platform, and how to tell an executable file. */
  lookup: PathLookup;
  exists: (file: string) => boolean;
  /** `process.execPath` of the extension host. */
  execPath: string;
  copy: CopyFacts;
  /** Runs the probe script with `command` in `env` (see node-probe.ts); may answer from a cache. */
  probe: (command: string, env: NodeJS.ProcessEnv) => Promise<NodeProbe>;
}

export type RuntimeChoice =
  | {
      ok: true;
      runtime: FlowRuntime;
      /** Why each earlier candidate was passed over, for the log ("node on the PATH (…) is Node 20.19.0, which has no node:sqlite"). */
      passedOver: string[];
    }
  | { ok: false; message: string };

export const NODE_ADVICE = "Node.js 22.13 or later (24 LTS recommended)";
/** The variable that makes Electron run as plain Node. */
export const RUN_AS_NODE = { ELECTRON_RUN_AS_NODE: "1" } as const;

export async function chooseFlowRuntime(input: ChoiceInput): Promise<RuntimeChoice> {
  if (input.nodePath !== undefined) return chooseSetting(input, input.nodePath);
  const passedOver: string[] = [];

  const onPath = findOnPath("node", input.lookup);
  if (onPath === undefined) passedOver.push("there is no node on the PATH");
  else {
    const probe = await input.probe(onPath, input.lookup.env);
    const verdict = judge(probe, input.copy);
    if (verdict.ok) return { ok: true, runtime: runtime("path", onPath, {}, verdict.node, verdict.driver, input.copy), passedOver };
    passedOver.push(`node on the PATH (${onPath}) ${verdict.reason}`);
  }

  const probe = await input.probe(input.execPath, { ...input.lookup.env, ...RUN_AS_NODE });
  const verdict = judge(probe, input.copy);
  if (verdict.ok) return { ok: true, runtime: runtime("vscode", input.execPath, { ...RUN_AS_NODE }, verdict.node, verdict.driver, input.copy), passedOver };
  passedOver.push(`VS Code's runtime ${verdict.reason}`);

  const betterSqlite3Hint = input.copy.source === "workspace" && !input.copy.betterSqlite3 ? " (Node 20 also runs this workspace's tributaryjs once better-sqlite3 is installed beside it)" : "";
  return {
    ok: false,
    message: `Tributary found no Node.js to run flows and the local server with: ${passedOver.join("; ")}. Install ${NODE_ADVICE} or set tributary.nodePath to one${betterSqlite3Hint}.`,
  };
}

async function chooseSetting(input: ChoiceInput, nodePath: string): Promise<RuntimeChoice> {
  const refuse = (what: string): RuntimeChoice => ({
    ok: false,
    message: `tributary.nodePath ("${nodePath}") ${what}. Set it to the executable of ${NODE_ADVICE}, or clear it to run flows with node from the PATH.`,
  });
  const windows = input.lookup.platform === "win32";
  const paths = windows ? path.win32 : path.posix;
  let command: string;
  if (windows ? /[\\/]/.test(nodePath) : nodePath.includes("/")) {
    if (!paths.isAbsolute(nodePath)) return refuse("is neither an absolute path nor a command on the PATH");
    if (!input.exists(nodePath)) return refuse("does not exist");
    if (!input.lookup.isExecutable(nodePath)) return refuse("is not an executable file");
    command = nodePath;
  } else {
    const found = findOnPath(nodePath, input.lookup);
    if (found === undefined) return refuse("is not a command on the PATH");
    command = found;
  }
  const probe = await input.probe(command, input.lookup.env);
  const verdict = judge(probe, input.copy);
  if (!verdict.ok) return refuse(verdict.reason);
  return { ok: true, runtime: runtime("setting", command, {}, verdict.node, verdict.driver, input.copy), passedOver: [] };
}

/** A probed candidate's driver, or why it cannot run the store (a phrase after the candidate's name). */
function judge(probe: NodeProbe, copy: CopyFacts): { ok: true; node: string; driver: FlowRuntime["driver"] } | { ok: false; reason: string } {
  if (!probe.ok) return { ok: false, reason: `did not run as Node.js (${probe.problem})` };
  if (probe.nodeSqlite) return { ok: true, node: probe.node, driver: "node:sqlite" };
  const nodeCanUseFallback = copy.betterSqlite3;
  if (nodeCanUseFallback && probe.electron === undefined) return { ok: true, node: probe.node, driver: "better-sqlite3" };
  const what = probe.electron === undefined ? `Node ${probe.node}` : `Node ${probe.node} (Electron ${probe.electron})`;
  const why = sqliteBehindFlag(probe.node) ? "whose node:sqlite needs a flag (22.13 and later have it without one)" : "which has no node:sqlite";
  const electronNote = nodeCanUseFallback ? `, and ${copy.source === "workspace" ? "the workspace's" : "the bundled"} better-sqlite3 is built for Node.js, not Electron` : "";
  return { ok: false, reason: `is ${what}, ${why}${electronNote}` };
}

/** Node 22.5–22.12 and 23.0–23.3 have node:sqlite only with --experimental-sqlite. */
export function sqliteBehindFlag(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return (major === 22 && minor >= 5 && minor < 13) || (major === 23 && minor < 4);
}

function runtime(source: RuntimeSource, command: string, env: Record<string, string>, node: string, driver: FlowRuntime["driver"], copy: CopyFacts): FlowRuntime {
  const where = source === "vscode" ? `VS Code's runtime (Node ${node})` : `Node ${node} from ${source === "path" ? "the PATH" : "tributary.nodePath"} (${command})`;
  const fallback = driver === "better-sqlite3" ? `, with ${copy.source === "workspace" ? "the workspace's" : "the bundled"} better-sqlite3` : "";
  return { source, command, env, node, driver, label: where + fallback };
}

/**
 * Whether better-sqlite3, as the package at `packageRoot` would resolve it, is installed with its
 * native module built. Only files are looked at: nothing of the workspace is loaded to find out.
 */
export function betterSqlite3Built(packageRoot: string, exists: (file: string) => boolean): boolean {
  for (const modules of nodeModulesDirs(packageRoot)) {
    const root = path.join(modules, "better-sqlite3");
    if (exists(path.join(root, "package.json"))) return exists(path.join(root, "build", "Release", "better_sqlite3.node"));
  }
  return false;
}
