/**
 * The store a runner's runs use (single-runner.ts, shared-runner.ts): the PostgreSQL database when
 * the start message names one, else the SQLite file — the one the runner opened while it waited for
 * work (a spare: `run-child.js --store <path>`) when it is that file. A spare's store that is not
 * the one asked for is closed.
 */
import type { Store } from "../../store/store.js";
import { openStore } from "../../store/open-store.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import type { StartRunMessage } from "./child-protocol.js";

export interface SpareStore {
  path: string;
  store: Store;
}

export async function openRunStore(start: Pick<StartRunMessage, "storePath" | "databaseUrl">, spare: SpareStore | undefined): Promise<Store> {
  const store =
    start.databaseUrl !== undefined
      ? await openStore({ storePath: start.storePath, databaseUrl: start.databaseUrl })
      : spare !== undefined && start.storePath === spare.path
        ? spare.store
        : openSqliteStore(start.storePath);
  if (spare !== undefined && spare.store !== store) void spare.store.close();
  return store;
}
