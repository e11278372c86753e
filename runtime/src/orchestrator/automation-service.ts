/**
 * Automations on the server: registering them (created / updated / unchanged), pausing and
 * resuming. Evaluating them is the automation engine's job (automations/); after every change the
 * engine is handed the current list.
 */
import { isDeepStrictEqual } from "node:util";
import { didYouMeanSuffix } from "../cli/did-you-mean.js";
import type { Clock } from "../engine/clock.js";
import { newRunId } from "../store/run-ids.js";
import type { Store } from "../store/store.js";
import { badRequest, notFound } from "./api-error.js";
import type { AutomationInput, AutomationRecord, UpsertResult } from "./contract.js";
import type { EventHub } from "./event-hub.js";

export class AutomationService {
  private readonly changeListeners = new Set<(automations: AutomationRecord[]) => void>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly clock: Clock,
  ) {}

  /** Called with every automation after any of them changes (the automation engine listens). */
  onChange(listener: (automations: AutomationRecord[]) => void): void {
    this.changeListeners.add(listener);
  }

  /** Another server on the database changed an automation (its event came through event-relay.ts). */
  noteRemoteChange(onError: (error: unknown) => void = () => undefined): void {
    this.changed().catch(onError);
  }

  async get(name: string): Promise<AutomationRecord> {
    const automation = await this.store.getAutomation(name);
    if (automation) return automation;
    const known = (await this.store.listAutomations()).map((a) => a.name);
    throw notFound(`No automation named "${name}".${didYouMeanSuffix(name, known)}`);
  }

  async upsert(inputs: AutomationInput[]): Promise<UpsertResult<AutomationRecord>[]> {
    const results: UpsertResult<AutomationRecord>[] = [];
    for (const input of inputs) {
      if (input === null || typeof input !== "object" || typeof input.name !== "string" || input.name === "") {
        throw badRequest("Each automation must be an object with a non-empty `name`.");
      }
      if (!Array.isArray(input.actions)) throw badRequest(`Automation "${input.name}": \`actions\` must be a list.`);
      const existing = await this.store.getAutomation(input.name);
      const now = this.clock.now().toISOString();
      const enabled = input.enabled ?? existing?.enabled ?? true;
      if (existing && isDeepStrictEqual(existing.trigger, input.trigger) && isDeepStrictEqual(existing.actions, input.actions) && existing.enabled === enabled) {
        results.push({ name: input.name, status: "unchanged", record: existing });
        continue;
      }
      const saved = await this.store.saveAutomation({
        id: existing?.id ?? newRunId(this.clock.now().getTime()),
        name: input.name,
        trigger: input.trigger,
        actions: input.actions,
        enabled,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      const status = existing ? "updated" : "created";
      results.push({ name: input.name, status, record: saved });
      // Clients list automations: one registered by another client (`tributary run`, `deploy`) shows at once.
      this.hub.publish({ event: "tributary.automation.registered", resource: { id: `tributary.automation.${saved.id}`, name: saved.name }, payload: { status } });
    }
    if (results.some((r) => r.status !== "unchanged")) await this.changed();
    return results;
  }

  async setEnabled(name: string, enabled: boolean): Promise<AutomationRecord> {
    const automation = await this.get(name);
    if (automation.enabled === enabled) return automation;
    const saved = await this.store.saveAutomation({ ...automation, enabled, updatedAt: this.clock.now().toISOString() });
    this.hub.publish({
      event: `tributary.automation.${enabled ? "resumed" : "paused"}`,
      resource: { id: `tributary.automation.${saved.id}`, name: saved.name },
      payload: {},
    });
    await this.changed();
    return saved;
  }

  private async changed(): Promise<void> {
    const all = await this.store.listAutomations();
    for (const listener of this.changeListeners) listener(all);
  }
}
