/**
 * The Deployments view's data: one item per registered deployment, its icon from its newest run.
 * Connects to the orchestration server when first shown; stays live from the event stream (a run
 * of a deployment changes its icon, a pause or resume reloads) and reloads after a reconnect.
 */
import type { Ctx } from "../ctx.js";
import type { DeploymentRecord, FlowRunRecord, TributaryApi, TributaryEvent } from "../server/tributary-api.js";
import { deploymentItem, lastRunOf, replacesLastRun } from "./deployment-item.js";
import { NamedRecordsTree, type ItemFields } from "./tree-support.js";

/** Runs asked for per deployment: enough to see past the runs the scheduler made ahead (3 per schedule). */
const LAST_RUN_WINDOW = 10;

/** A tree element; commands of the view's context menu receive it. */
export interface DeploymentNode {
  kind: "deployment";
  deployment: DeploymentRecord;
  lastRun: FlowRunRecord | undefined;
}

export class DeploymentsTree extends NamedRecordsTree<DeploymentNode> {
  constructor(ctx: Ctx) {
    super(ctx, "Deployments");
  }

  protected fields(node: DeploymentNode): ItemFields {
    return deploymentItem(node.deployment, node.lastRun, new Date());
  }

  protected async fetch(api: TributaryApi, existing: ReadonlyMap<string, DeploymentNode>): Promise<Map<string, DeploymentNode>> {
    const deployments = await api.listDeployments();
    const lastRuns = await Promise.all(deployments.map((d) => api.listFlowRuns({ deploymentName: d.name, limit: LAST_RUN_WINDOW, sort: "created-desc" }).then(lastRunOf)));
    const fresh = new Map<string, DeploymentNode>();
    deployments.forEach((deployment, i) => {
      const node = existing.get(deployment.name);
      if (node) Object.assign(node, { deployment, lastRun: lastRuns[i] });
      fresh.set(deployment.name, node ?? { kind: "deployment", deployment, lastRun: lastRuns[i] });
    });
    return fresh;
  }

  protected onEvent(event: TributaryEvent): void {
    if (event.event === "tributary.deployment.paused" || event.event === "tributary.deployment.resumed" || event.event === "tributary.deployment.registered") {
      this.reload();
      return;
    }
    if (!event.event.startsWith("tributary.flow-run.")) return;
    const run = (event.payload as { flowRun?: FlowRunRecord }).flowRun;
    if (run?.deploymentId === undefined) return;
    const node = this.nodeOf(event.resource.deploymentName, run.deploymentId);
    if (!node) {
      // A deployment registered since the list was loaded.
      if (this.loaded) this.reload();
      return;
    }
    if (!replacesLastRun(node.lastRun, run)) return;
    node.lastRun = run;
    this.changed.fire(node);
  }

  private nodeOf(name: string | undefined, id: string): DeploymentNode | undefined {
    if (name !== undefined && this.nodes.has(name)) return this.nodes.get(name);
    return [...this.nodes.values()].find((node) => node.deployment.id === id);
  }
}
