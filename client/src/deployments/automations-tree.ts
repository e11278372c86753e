/**
 * The Automations view's data: one item per registered automation, with what it links and when
 * the stream last said it fired. Connects when first shown; live from the event stream.
 */
import type { Ctx } from "../ctx.js";
import type { AutomationRecord, TributaryApi, TributaryEvent } from "../server/tributary-api.js";
import { automationItem } from "./automation-item.js";
import { NamedRecordsTree, type ItemFields } from "./tree-support.js";

export interface AutomationNode {
  kind: "automation";
  automation: AutomationRecord;
  /** ISO 8601, from the live stream. */
  lastTriggered: string | undefined;
}

export class AutomationsTree extends NamedRecordsTree<AutomationNode> {
  constructor(ctx: Ctx) {
    super(ctx, "Automations");
  }

  /** Shows `automation` as the server answered it (after pause or resume). */
  update(automation: AutomationRecord): void {
    const node = this.nodes.get(automation.name);
    if (!node) return this.reload();
    node.automation = automation;
    this.changed.fire(node);
  }

  protected fields(node: AutomationNode): ItemFields {
    return automationItem(node.automation, node.lastTriggered);
  }

  protected async fetch(api: TributaryApi, existing: ReadonlyMap<string, AutomationNode>): Promise<Map<string, AutomationNode>> {
    const fresh = new Map<string, AutomationNode>();
    for (const automation of await api.listAutomations()) {
      const node = existing.get(automation.name);
      if (node) node.automation = automation;
      fresh.set(automation.name, node ?? { kind: "automation", automation, lastTriggered: undefined });
    }
    return fresh;
  }

  protected onEvent(event: TributaryEvent): void {
    // Registered by another client (a `tributary run` from a lens registers its folder's automations).
    if (event.event === "tributary.automation.registered") return this.reload();
    if (event.event !== "tributary.automation.triggered") return;
    const node = event.resource.name !== undefined ? this.nodes.get(event.resource.name) : undefined;
    if (!node) return;
    node.lastTriggered = event.occurred;
    this.changed.fire(node);
  }
}
