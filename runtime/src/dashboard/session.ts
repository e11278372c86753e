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
/** The keys not tried yet, in order: the stored one after a fragment's. */
let untried: string[] = [];
let confirmed = false;

/** The key the page sends now. */
export function sessionKey(): string | undefined {
  return current;
}

/**
 * Picks the first key to try — the fragment's (a new sign-in) before the stored one — without a
 * round trip first: the views' first requests try it. False when there is none (signed out).
 */
export function startSession(): boolean {
  untried = [keyFromFragment(), storedKey()].filter((key, i, all): key is string => key !== undefined && all.indexOf(key) === i);
  current = untried.shift();
  return current !== undefined;
}

/** A request with `key` was answered: it is this browser's key (stored, for new tabs). */
export function keyWorked(key: string): void {
  if (key !== current || confirmed) return;
  confirmed = true;
  storeKey(key);
}

/**
 * The server refused `key`: the next candidate becomes current (true: send again with it). A page
 * of another port can open `/#key=made-up`: that key fails and the stored one takes over. Calls
 * refused with a key already replaced just send again.
 */
export function keyRefused(key: string): boolean {
  if (key !== current) return current !== undefined;
  if (confirmed) {
    // A key that worked and is refused now: the session ended.
    forgetSessionKey();
    return false;
  }
  current = untried.shift();
  if (current === undefined) forgetSessionKey();
  return current !== undefined;
}

export function forgetSessionKey(): void {
  current = undefined;
  untried = [];
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
