/**
 * The store as CLI commands use it: opened for one command and closed after. Reading commands do
 * not create a store file where there is none (an empty workspace simply has no runs).
 */
import { existsSync } from "node:fs";
import { openSqliteStore } from "../store/sqlite-store.js";
import type { Store } from "../store/store.js";
import type { CliContext } from "./cli-context.js";

export async function withStore<T>(ctx: CliContext, use: (store: Store) => Promise<T>): Promise<T> {
  const store = openSqliteStore(ctx.storePath);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Like {@link withStore}, but gives `undefined` when no store file exists yet. */
export async function withExistingStore<T>(ctx: CliContext, use: (store: Store | undefined) => Promise<T>): Promise<T> {
  if (!existsSync(ctx.storePath)) return use(undefined);
  return withStore(ctx, use);
}
