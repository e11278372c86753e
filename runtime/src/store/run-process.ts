/**
 * Which process executes a run, and whether it is still there. A pid alone is not enough: after a
 * crash the pid may be given to another process (then the run would look alive forever), and a run
 * of another machine (a remote worker) has a pid that means nothing here. So a run records its
 * pid, its host name and, where the system tells it (Linux /proc), when its process started.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import type { FlowRunRecord } from "./records.js";

/** The pid, host and process start time a run records as it starts. */
export type RunProcess = Required<Pick<FlowRunRecord, "pid" | "host">> & Pick<FlowRunRecord, "processStartTime">;

let current: RunProcess | undefined;

/** This process, as a run it executes records it. */
export function thisRunProcess(): RunProcess {
  if (current === undefined) {
    current = { pid: process.pid, host: os.hostname() };
    const stat = readProcessStat(process.pid);
    if (stat !== undefined) current.processStartTime = stat.startTime;
  }
  return { ...current };
}

/**
 * Whether the process that executed `run` is known to be gone: its pid is dead (or a zombie), or
 * now belongs to a process that started at another time. Unknown is not gone: a run with no pid,
 * or one recorded on another host, is never judged here. Where /proc is missing, the pid alone
 * decides.
 */
export function isRunProcessGone(run: Pick<FlowRunRecord, "pid" | "host" | "processStartTime">, host: string = os.hostname()): boolean {
  if (run.pid === undefined) return false;
  if (run.host !== undefined && run.host !== host) return false;
  const stat = readProcessStat(run.pid);
  if (stat !== undefined) {
    // A zombie has exited; only its parent has not collected it yet (or never will, in a container).
    if (stat.state === "Z" || stat.state === "X") return true;
    return run.processStartTime !== undefined && stat.startTime !== run.processStartTime;
  }
  return !isPidAlive(run.pid);
}

interface ProcessStat {
  /** One letter: R, S, D, Z (zombie), X (dead), … */
  state: string;
  /** Clock ticks after boot when the process started. */
  startTime: number;
}

/** Fields of /proc/<pid>/stat; undefined when the process is gone or there is no /proc. */
function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Field 2 is the command name in parentheses and may itself hold spaces and parentheses, so the
  // fields are counted from the last ")": there, field 3 (state) is the first and field 22
  // (starttime) the 20th.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const startTime = Number(fields[19]);
  if (fields[0] === undefined || !Number.isSafeInteger(startTime)) return undefined;
  return { state: fields[0], startTime };
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
