/**
 * The shortest id prefix that names one flow run: what hints print for the user to type back
 * (`tributary flow-run logs 0193a4f2`, the resume command of a paused run).
 */
import type { Store } from "./store.js";

/**
 * The shortest prefix of a run's id that names only that run in the store now, and at least
 * `floor` characters long. UUIDv7 ids made within 65 s share their first 8 digits, so the prefix
 * grows as the store needs; it never ends in `-`.
 */
export async function uniqueIdPrefix(store: Store, id: string, floor = 8): Promise<string> {
  for (let length = Math.min(floor, id.length); length < id.length; length++) {
    if (id[length - 1] === "-") continue;
    const prefix = id.slice(0, length);
    if ((await store.findFlowRunsByIdPrefix(prefix, 2)).length <= 1) return prefix;
  }
  return id;
}
