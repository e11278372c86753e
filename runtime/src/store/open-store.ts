/**
 * Which store a process opens: PostgreSQL when a database URL is given (`--database-url`, else
 * TRIBUTARY_DATABASE_URL), otherwise the embedded SQLite file (store-path.ts).
 */
import { TributaryError, UsageError } from "../errors.js";
import { isPostgresUrl, maskDatabaseUrl } from "./database-url.js";
import { openSqliteStore } from "./sqlite-store.js";
import type { Store } from "./store.js";

/** The environment variable that puts the store on PostgreSQL: `postgres://user:password@host:5432/db`. */
export const DATABASE_URL_ENV = "TRIBUTARY_DATABASE_URL";

/** The store's database could not be reached or opened (down, refused, wrong password): exit code 1. */
export class StoreUnavailableError extends TributaryError {
  override name = "StoreUnavailableError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "STORE_UNAVAILABLE", options);
  }
}

export interface StoreAddress {
  /** The SQLite file, used when there is no database URL. */
  storePath: string;
  /** A PostgreSQL URL; undefined or empty for SQLite. */
  databaseUrl?: string | undefined;
}

/** The database URL in `env` (TRIBUTARY_DATABASE_URL), or undefined when unset or blank. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env[DATABASE_URL_ENV]?.trim();
  return url === undefined || url === "" ? undefined : url;
}

/**
 * `url` checked to be a PostgreSQL URL; a UsageError naming it (password masked) otherwise.
 * @example checkedDatabaseUrl("postgres://tributary:secret@db.internal:5432/tributary", "--database-url")
 */
export function checkedDatabaseUrl(url: string, where: string): string {
  const trimmed = url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!isPostgresUrl(trimmed) || parsed === undefined || parsed.hostname === "") {
    throw new UsageError(
      `${where} must be a PostgreSQL URL such as postgres://user:password@localhost:5432/tributary, got "${maskDatabaseUrl(trimmed)}". Leave it unset to use the SQLite store in .tributary/.`,
    );
  }
  return trimmed;
}

/**
 * The PostgreSQL store and its driver, required only when a database URL is given: a process on
 * SQLite never loads them. The build keeps this file out of the CLI's bundles and makes it one
 * bundle of its own (runtime/dist/store/postgres-store.js), which the CLI and the run child share.
 */
function loadPostgresStore(): typeof import("./postgres-store.js") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  return require("./postgres-store.js") as typeof import("./postgres-store.js");
}

/** Opens the store at `address`: PostgreSQL (connecting and migrating) when it has a database URL, else SQLite. */
export async function openStore(address: StoreAddress): Promise<Store> {
  const url = address.databaseUrl?.trim();
  if (url === undefined || url === "") return openSqliteStore(address.storePath);
  try {
    return await loadPostgresStore().openPostgresStore(url);
  } catch (error) {
    const reason = (error as Error).message;
    if (/newer than this Tributary/.test(reason)) throw error;
    throw new StoreUnavailableError(
      `Could not open the store in the PostgreSQL database at ${maskDatabaseUrl(url)}: ${reason}. Check that PostgreSQL runs there and accepts this user, or fix ${DATABASE_URL_ENV} (or --database-url).`,
      { cause: error },
    );
  }
}
