/**
 * A runtime for tests of code that runs flows: a real SQLite store in a fresh temporary directory,
 * a ManualClock and a fresh event bus, configured process-wide until `close()`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openSqliteStore, type SqliteStore } from "../store/sqlite-store.js";
import { ManualClock } from "./manual-clock.js";
import { RunEventBus, type RunEvent } from "./run-events.js";
import { configureRuntime } from "./runtime-config.js";

export interface TestRuntime {
  store: SqliteStore;
  clock: ManualClock;
  events: RunEventBus;
  /** Every event emitted since the runtime was set up. */
  seen: RunEvent[];
  dir: string;
  close(): Promise<void>;
}

export function createTestRuntime(): TestRuntime {
  const dir = mkdtempSync(path.join(tmpdir(), "tributary-engine-"));
  const store = openSqliteStore(path.join(dir, "t.db"));
  const clock = new ManualClock();
  const events = new RunEventBus();
  const seen: RunEvent[] = [];
  events.subscribe((event) => seen.push(event));
  configureRuntime({ store, clock, events });
  return {
    store,
    clock,
    events,
    seen,
    dir,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
