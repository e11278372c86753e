// Opens the store at argv[2] and writes one finished run named argv[3] — but only once told "go" on
// stdin, after the modules have loaded, so that every opener of a burst reaches the fresh file at
// the same moment. Prints "ready" when loaded and "stored" when the run is committed.
import { once } from "node:events";
import { openSqliteStore } from "../../runtime/src/store/sqlite-store.js";
import { makeState } from "../../runtime/src/states.js";

async function main(): Promise<void> {
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  const store = openSqliteStore(process.argv[2]!);
  const id = process.argv[3]!;
  const now = new Date();
  store.createFlowRun({ id, name: id, flowName: "burst", state: makeState("Completed", now), parameters: {}, tags: [], runCount: 1, createdAt: now.toISOString() });
  await store.close();
  process.stdout.write("stored\n");
  process.stdin.destroy();
}

void main();
