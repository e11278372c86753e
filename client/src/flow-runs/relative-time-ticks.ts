/**
 * When the Flow Runs view refreshes its items so that what they show moves on with the clock: the
 * duration of a running run, and relative times ("just now", "12 s ago", "in 5 min"). Pure, with
 * the clock as an argument; flow-runs-view.ts owns the timer.
 */
import type { FlowRunRecord } from "../server/tributary-api.js";
import { isActiveState, shownTime } from "./run-item-fields.js";

/** A running run shows its duration in seconds: refreshed this often. */
export const RUNNING_TICK_MS = 5_000;
/** A recent run shows seconds or minutes ago: refreshed this often. */
export const RECENT_TICK_MS = 20_000;
/**
 * Relative times younger (or nearer) than this still change within minutes; older ones change
 * hourly and are left until the view reloads. One tick more, so that "59 min ago" becomes "1 h ago".
 */
const RECENT_MS = 3_600_000 + RECENT_TICK_MS;

type TickedRun = Pick<FlowRunRecord, "state" | "startTime" | "expectedStartTime" | "createdAt">;

/** Whether the run's item shows something that changes with the clock within minutes: a tick at `now` refreshes it. */
export function needsTick(run: TickedRun, now: Date): boolean {
  if (isActiveState(run.state)) return true;
  const distance = Math.abs(now.getTime() - Date.parse(shownTime(run)));
  return distance < RECENT_MS;
}

/** How long until the next tick: sooner while a run is running; undefined when no item needs one. */
export function nextTickDelay(runs: readonly TickedRun[], now: Date): number | undefined {
  if (runs.some((run) => isActiveState(run.state))) return RUNNING_TICK_MS;
  return runs.some((run) => needsTick(run, now)) ? RECENT_TICK_MS : undefined;
}
