/// <reference lib="dom" />
/**
 * The placeholder dashboard (issue 17, first part): proves the sign-in and the session end to end
 * until the real UI replaces it. It lists the latest 20 flow runs and signs out. Text goes in with
 * `textContent` only: a run's name is data, never markup.
 *
 * The session is the HttpOnly cookie plus the session's key (orchestrator/dashboard-sessions.ts).
 * The key arrives once, in the fragment of the sign-in redirect (`/#key=…`): the page moves it into
 * localStorage (this origin's only, port included; new tabs find it there), takes it out of the
 * address bar, and sends it in `X-Tributary-Session-Key` on every API request, and as the
 * subprotocol `key.<key>` of the event stream (a browser cannot set headers on a WebSocket), on
 * which the list follows flow-run events. Without a key that the server takes, the page says how
 * to sign in and shows nothing else.
 */
import type { ListedFlowRun, SessionInfo } from "../orchestrator/contract.js";

const KEY_HEADER = "X-Tributary-Session-Key";
const KEY_STORAGE = "tributary.sessionKey";
const SIGN_IN = "Sign in with the link `tributary server open` prints (run it where the server's store is).";

const statusLine = document.getElementById("status")!;
const list = document.getElementById("flow-runs")!;
const signOut = document.getElementById("sign-out") as HTMLButtonElement;

/** The server refused the session (no key, a wrong one, or the session ended). */
class SignedOut extends Error {}

/** The key in the sign-in redirect's fragment, if the page was opened by one; it leaves the address bar (and the history entry) at once. */
function keyFromFragment(): string | undefined {
  const key = new URLSearchParams(location.hash.slice(1)).get("key");
  if (key === null) return undefined;
  history.replaceState(null, "", location.pathname + location.search);
  return key === "" ? undefined : key;
}

function storedKey(): string | undefined {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeKey(key: string | undefined): void {
  try {
    if (key === undefined) localStorage.removeItem(KEY_STORAGE);
    else localStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Storage is off: the key lives as long as this page.
  }
}

async function api<T>(key: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { ...init, credentials: "same-origin", headers: { accept: "application/json", [KEY_HEADER]: key } });
  if (response.status === 401 || response.status === 403) throw new SignedOut();
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}.`);
  return body;
}

/**
 * The first key the server takes: the fragment's (a new sign-in) before the stored one. A page of
 * another port could open `/#key=made-up`; that key is tried and dropped, the stored one kept.
 */
async function sessionKey(): Promise<string | undefined> {
  const candidates = [keyFromFragment(), storedKey()].filter((key, i, all): key is string => key !== undefined && all.indexOf(key) === i);
  for (const key of candidates) {
    try {
      await api<SessionInfo>(key, "/api/session");
    } catch (error) {
      if (error instanceof SignedOut) continue;
      throw error;
    }
    storeKey(key);
    return key;
  }
  storeKey(undefined);
  return undefined;
}

function show(runs: ListedFlowRun[]): void {
  list.replaceChildren(
    ...runs.map((run) => {
      const item = document.createElement("li");
      item.dataset.flowRunId = run.id;
      const state = document.createElement("span");
      state.className = "state";
      state.textContent = run.state.name;
      const name = document.createElement("span");
      name.textContent = `${run.flowName} / ${run.name}`;
      item.append(state, name);
      return item;
    }),
  );
  statusLine.textContent = runs.length === 0 ? "No flow runs yet." : `${runs.length} latest flow run${runs.length === 1 ? "" : "s"}.`;
}

/** Lists the runs again whenever a flow-run event arrives on the stream. */
function follow(key: string): void {
  const stream = new WebSocket(`${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/events/stream?storedOnly=true`, ["tributary", `key.${key}`]);
  // Says on the page whether the stream is open (tests wait on it rather than on time).
  stream.addEventListener("open", () => (document.body.dataset.stream = "open"));
  stream.addEventListener("close", () => (document.body.dataset.stream = "closed"));
  stream.addEventListener("message", (message) => {
    const event = JSON.parse(String(message.data)) as { event?: string };
    if (event.event?.startsWith("tributary.flow-run.")) void refresh(key).catch(report);
  });
}

async function refresh(key: string): Promise<void> {
  show(await api<ListedFlowRun[]>(key, "/api/flow-runs?limit=20"));
}

function report(error: unknown): void {
  if (error instanceof SignedOut) {
    list.replaceChildren();
    statusLine.textContent = SIGN_IN;
    return;
  }
  statusLine.textContent = error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  const key = await sessionKey();
  if (key === undefined) throw new SignedOut();
  signOut.addEventListener("click", () => {
    storeKey(undefined);
    void api(key, "/api/session", { method: "DELETE" })
      .catch(() => undefined)
      .then(() => location.reload());
  });
  follow(key);
  await refresh(key);
}

main().catch(report);
