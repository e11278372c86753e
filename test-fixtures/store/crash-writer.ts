// Writes runs and transitions to a store as fast as it can and reports, after each commit, how many
// transitions are committed. The crash-safety test kills it with SIGKILL mid-burst.
import { openSqliteStore } from "../../runtime/src/store/sqlite-store.js";
import { makeState, type StateName } from "../../runtime/src/states.js";

const store = openSqliteStore(process.argv[2]!);
const names: StateName[] = ["Pending", "Running", "Completed"];
let committed = 0;
let queued = 0;

async function main(): Promise<void> {
  for (let batch = 0; ; batch++) {
    for (let i = 0; i < 50; i++) {
      const id = `run-${batch}-${i}`;
      const now = new Date();
      store.createFlowRun({ id, name: id, flowName: "burst", state: makeState("Pending", now), parameters: {}, tags: [], runCount: 1, createdAt: now.toISOString() });
      queued++;
      for (const name of names.slice(1)) {
        store.updateFlowRun(id, { state: makeState(name, new Date()) });
        queued++;
      }
    }
    await store.flush();
    committed = queued;
    process.stdout.write(`committed ${committed}\n`);
  }
}

void main();
