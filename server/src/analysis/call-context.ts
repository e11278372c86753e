import type { CallClassifier } from "./classify-calls.js";
import { declKey, helperKey } from "./classify-calls.js";
import type { FileSummary } from "./file-summary.js";
import type { FileLoc, Loc } from "./source-location.js";

/** The run a call happens in: a flow body, a task body, a helper function, or none (module top level). */
export interface CallContext {
  kind: "flow" | "task" | "helper" | "top";
  /** `flow@file#id`, `task@file#id` or `helper@file#name`; undefined at top level. */
  key: string | undefined;
  /** The innermost guard between the context and the call, if any. */
  guard: FileLoc | undefined;
}

/**
 * Walks up from a call's container to the flow, task or helper whose body it is in. Functions in
 * between (callbacks) are transparent but make the call conditional.
 */
export function callContext(summary: FileSummary, containerId: number | undefined, callGuard: Loc | undefined, classifier: CallClassifier): CallContext {
  const file = summary.file;
  let guard: Loc | undefined = callGuard;
  const withGuard = (kind: CallContext["kind"], key: string | undefined): CallContext => ({ kind, key, guard: guard && { file, loc: guard } });
  for (let id = containerId, hops = 0; id !== undefined && hops < 1000; hops++) {
    const container = summary.containers[id];
    if (!container) break;
    if (container.kind === "helper" && container.name !== undefined) return withGuard("helper", helperKey(file, container.name));
    if (container.kind === "call-argument" && container.callId !== undefined) {
      const call = summary.calls[container.callId];
      const api = call && classifier.apiOf(file, call);
      const body = call?.args[call.args.length - 1];
      if ((api === "flow" || api === "task") && body?.kind === "function" && body.containerId === id) {
        return withGuard(api, declKey(api, file, container.callId));
      }
    }
    guard = guard ?? container.guard;
    id = container.parentId;
  }
  return withGuard("top", undefined);
}
