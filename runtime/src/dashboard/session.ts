/// <reference lib="dom" />
/**
 * The session key: the second secret of a dashboard session (orchestrator/dashboard-sessions.ts),
 * which only this origin holds. The sign-in redirect lands on `/#key=…` (a fragment never goes to
 * any server); the page takes it out of the address bar at once and keeps it in localStorage
 * (this origin's only, port included — unlike the cookie, which every port of the host receives;
 * new tabs find it there). Every API call carries it in `X-Tributary-Session-Key`, the event
 * stream as the subprotocol `key.<key>` (a browser cannot set headers on a WebSocket): a cookie
 * replayed by a server on another port opens nothing.
 */

export const SESSION_KEY_HEADER = "X-Tributary-Session-Key";
export const STREAM_PROTOCOL = "tributary";
export const SESSION_KEY_PROTOCOL_PREFIX = "key.";
const STORAGE_ITEM = "tributary.sessionKey";

let current: string | undefined;

/** The key the page uses, once `resolveSessionKey` found one the server takes. */
export function sessionKey(): string | undefined {
  return current;
}

/**
 * The first key the server takes (`check` asks it): the fragment's (a new sign-in) before the
 * stored one. A page of another port can open `/#key=made-up`: that key is tried and dropped, and
 * the stored one kept. Undefined when neither is taken: the page shows how to sign in.
 */
export async function resolveSessionKey(check: (key: string) => Promise<boolean>): Promise<string | undefined> {
  const candidates = [keyFromFragment(), storedKey()].filter((key, i, all): key is string => key !== undefined && all.indexOf(key) === i);
  for (const key of candidates) {
    if (!(await check(key))) continue;
    storeKey(key);
    current = key;
    return key;
  }
  forgetSessionKey();
  return undefined;
}

export function forgetSessionKey(): void {
  current = undefined;
  storeKey(undefined);
}

/** The key in the sign-in redirect's fragment; it leaves the address bar (and the history entry) at once. */
function keyFromFragment(): string | undefined {
  if (!location.hash.startsWith("#key=")) return undefined;
  const key = new URLSearchParams(location.hash.slice(1)).get("key");
  history.replaceState(null, "", location.pathname + location.search);
  return key === null || key === "" ? undefined : key;
}

function storedKey(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_ITEM) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeKey(key: string | undefined): void {
  try {
    if (key === undefined) localStorage.removeItem(STORAGE_ITEM);
    else localStorage.setItem(STORAGE_ITEM, key);
  } catch {
    // Storage is off: the key lives as long as this page.
  }
}
