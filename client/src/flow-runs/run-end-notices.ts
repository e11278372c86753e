/**
 * Which ended flow runs the extension tells the user about, besides the ▶ runs (whose command
 * says how they ended): the deployment runs the user started here (Run Deployment, from the view
 * or the lens) and, unless `tributary.notifications.automationRuns` is off, the top-level runs an
 * automation started on the server the extension watches (only logged with the setting off). Pure, so that it is tested without VS Code.
 */
import { isFinal } from "../../../runtime/src/states.js";
import type { FlowRunRecord } from "../server/tributary-api.js";

/** Remembered ids are bounded: a long session starts and sees many runs. */
const MAX_REMEMBERED = 1000;

export class RunEndNotices {
  private readonly started = new Map<string, string>();
  private readonly told = new Set<string>();

  /** A deployment run the user started here (`deploymentName` names it in the notice). */
  watch(runId: string, deploymentName: string): void {
    this.started.set(runId, deploymentName);
    forgetOldest(this.started);
  }

  /**
   * The notice of `run`'s end: the cause it names (`deployment etl/nightly`, `automation a`) and
   * whether it is shown (an automation's run is only logged when `automationRuns` is off); undefined
   * when `run` has not ended, was told already, or is not one the user hears about.
   */
  noticeFor(run: FlowRunRecord, automationRuns: boolean): { cause: string; shown: boolean } | undefined {
    if (!isFinal(run.state) || this.told.has(run.id)) return undefined;
    const deployment = this.started.get(run.id);
    const automation = run.parentFlowRunId === undefined ? startingAutomation(run) : undefined;
    if (deployment === undefined && automation === undefined) return undefined;
    this.started.delete(run.id);
    this.told.add(run.id);
    forgetOldest(this.told);
    return deployment !== undefined ? { cause: `deployment ${deployment}`, shown: true } : { cause: `automation ${automation}`, shown: automationRuns };
  }
}

/**
 * The automation that started `run`, read from its causal chain: `[…, automation A, deployment D,
 * flow-run (this one)]`. Undefined when something else started it (a schedule, a flow's
 * runDeployment, a person).
 */
export function startingAutomation(run: Pick<FlowRunRecord, "id" | "chain">): string | undefined {
  const chain = run.chain ?? [];
  let i = chain.length - 1;
  if (chain[i]?.kind === "flow-run" && chain[i]?.id === run.id) i--;
  if (chain[i]?.kind === "deployment") i--;
  const link = chain[i];
  return link?.kind === "automation" ? link.name : undefined;
}

/** Keeps a map or set of run ids bounded, forgetting the oldest (insertion order). */
function forgetOldest<K>(ids: { size: number; keys(): IterableIterator<K>; delete(key: K): boolean }): void {
  if (ids.size > MAX_REMEMBERED) ids.delete(ids.keys().next().value as K);
}
