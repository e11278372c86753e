/**
 * The store as CLI commands use it: opened for one command and closed after. Reading commands do
 * not create a store file where there is none (an empty workspace simply has no runs).
 *
 * Opening it first ends Crashed every run whose process is gone (store/crash-runs-without-process.ts):
 * without a server, nothing else would ever end a run whose `tributary run` was killed together
 * with its child, and `flow-run ls` would show it Running for ever.
 */
import { existsSync } from "node:fs";
import { crashRunsWithoutProcess } from "../store/crash-runs-without-process.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import type { CliContext } from "./cli-context.js";

export interface CliStoreOptions {
  /**
   * End Crashed the runs whose process is gone before `use` sees the store. `tributary run` turns it
   * off while it reports its own run: it ends that run Crashed itself, after writing what the child
   * reported, with the reason the child gave.
   * @default true
   * @example withStore(ctx, report, { crashRunsWithoutProcess: false })
   */
  crashRunsWithoutProcess?: boolean;
}

export async function withStore<T>(ctx: CliContext, use: (store: Store) => Promise<T>, options: CliStoreOptions = {}): Promise<T> {
  const store = await openCliStore(ctx);
  try {
    if (options.crashRunsWithoutProcess !== false) await sweep(ctx, store);
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The store the command was pointed at: PostgreSQL with a database URL, else the workspace's SQLite file. */
export function openCliStore(ctx: CliContext): Promise<Store> {
  return openStore({ storePath: ctx.storePath, databaseUrl: ctx.databaseUrl });
}

/** Like {@link withStore}, but gives `undefined` when no SQLite store file exists yet (a database always exists). */
export async function withExistingStore<T>(ctx: CliContext, use: (store: Store | undefined) => Promise<T>): Promise<T> {
  if (ctx.databaseUrl === undefined && !existsSync(ctx.storePath)) return use(undefined);
  return withStore(ctx, use);
}

/** Ends Crashed the runs whose process is gone, in the workspace's store if there is one (creating none). */
export async function sweepRunsWithoutProcess(ctx: CliContext): Promise<void> {
  await withExistingStore(ctx, async () => undefined);
}

async function sweep(ctx: CliContext, store: Store): Promise<void> {
  try {
    await crashRunsWithoutProcess(store, ctx.now());
  } catch (error) {
    // The command the user asked for can still work; say why stale runs may still read Running.
    ctx.stderr.write(`tributary: could not end the runs whose process is gone in ${store.location}: ${(error as Error).message}\n`);
  }
}
