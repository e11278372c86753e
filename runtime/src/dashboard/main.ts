/// <reference lib="dom" />
/**
 * The placeholder dashboard (issue 17, first part): proves the sign-in and the session end to end
 * until the real UI replaces it. It reads the session (for its CSRF token) and the latest 20 flow
 * runs with the session cookie, lists them, and signs out with the CSRF header. Text goes in with
 * `textContent` only: a run's name is data, never markup.
 */
import type { ListedFlowRun, SessionInfo } from "../orchestrator/contract.js";

const CSRF_HEADER = "X-Tributary-CSRF";

const statusLine = document.getElementById("status")!;
const list = document.getElementById("flow-runs")!;
const signOut = document.getElementById("sign-out") as HTMLButtonElement;

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { credentials: "same-origin", headers: { accept: "application/json" } });
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}.`);
  return body;
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

async function main(): Promise<void> {
  const session = await getJson<SessionInfo>("/api/session");
  signOut.addEventListener("click", () => {
    void fetch("/api/session", { method: "DELETE", credentials: "same-origin", headers: { [CSRF_HEADER]: session.csrfToken } }).then(() => location.reload());
  });
  show(await getJson<ListedFlowRun[]>("/api/flow-runs?limit=20"));
}

main().catch((error: unknown) => {
  statusLine.textContent = error instanceof Error ? error.message : String(error);
});
