/**
 * Starts a script of the tributaryjs package (its CLI) on the chosen runtime: the one place where
 * the runtime's own variables (ELECTRON_RUN_AS_NODE for VS Code's runtime) join the environment,
 * after everything else so that nothing drops them. The CLI's own child processes (flow runs,
 * runners) inherit them, so they run on the same runtime.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import type { FlowRuntime } from "./flow-runtime-choice.js";

export function spawnOnRuntime(runtime: Pick<FlowRuntime, "command" | "env">, script: string, args: readonly string[], options: SpawnOptions & { env: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(runtime.command, [script, ...args], { windowsHide: true, ...options, env: { ...options.env, ...runtime.env } });
}
