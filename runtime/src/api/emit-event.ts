/** `emitEvent(name, resource, payload)`: publishes an event of your own on the server. */
import { findNonJson } from "../engine/json-values.js";
import { OptionChecker } from "../engine/option-checks.js";
import { currentContext } from "../engine/run-context.js";
import type { EventResource, TributaryEvent } from "../orchestrator/contract.js";
import type { JsonValue } from "../store/records.js";
import { resolveApiConfig } from "./api-config.js";
import { apiRequest } from "./api-request.js";
import { chainOfContext } from "./flow-run-chain.js";

/**
 * Publishes an event: automations with an `event` trigger react to it. Inside a flow run the event
 * is related to the run and carries its causal chain (so the loop guard can follow it).
 *
 * @param name a dotted name of your own, e.g. `"acme.order.placed"`.
 * @param resource what the event is about: an id (`"acme.order.1234"`) or an EventResource.
 * @param payload JSON details.
 * @example
 * await emitEvent("acme.batch.ready", { id: `acme.batch.${batchId}`, region: "eu" }, { rows: 1200 });
 */
export async function emitEvent(name: string, resource: string | EventResource, payload: Record<string, JsonValue> = {}): Promise<TributaryEvent> {
  const check = new OptionChecker("emitEvent", { name, resource, payload });
  if (typeof name !== "string" || name.trim() === "") check.fail("name", "a non-empty event name");
  if (typeof resource !== "string" && (resource === null || typeof resource !== "object" || typeof resource.id !== "string")) {
    check.fail("resource", "a resource id or an object with an `id`");
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload) || findNonJson(payload) !== undefined) {
    check.fail("payload", "an object of JSON values");
  }
  const config = resolveApiConfig("emitEvent");
  const event: Omit<TributaryEvent, "id" | "occurred"> = {
    event: name,
    resource: typeof resource === "string" ? { id: resource } : resource,
    payload,
  };
  const context = currentContext();
  if (context !== undefined) {
    event.related = [{ id: `tributary.flow-run.${context.flowRunId}`, name: context.flowRunName, flowName: context.flowName }];
    event.chain = await chainOfContext(config, context);
  }
  // The route takes one event or a list and answers with the list as stored (id and time filled in).
  const [stored] = await apiRequest<TributaryEvent[]>(config, "POST", "/api/events", { body: event });
  return stored!;
}
