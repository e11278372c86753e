/**
 * The SQLite driver on better-sqlite3, the fallback for Node versions without node:sqlite (Node
 * 20). It is an optional dependency of tributaryjs with a native module built for one Node ABI, so
 * it is required only when a store opens with it, and found unusable (not installed, or built for
 * another Node) by opening an in-memory database once.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { SqliteConnection, SqliteStatement } from "./sqlite-driver.js";

let loaded: { databaseClass: typeof BetterSqlite3 } | { problem: string } | undefined;

function load(): { databaseClass: typeof BetterSqlite3 } | { problem: string } {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a store opens with it: it may be absent
    const databaseClass = require("better-sqlite3") as typeof BetterSqlite3;
    // The native module loads with the first database: a build for another Node fails here.
    new databaseClass(":memory:").close();
    loaded = { databaseClass };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    loaded = {
      problem:
        code === "MODULE_NOT_FOUND"
          ? "better-sqlite3 is not installed."
          : `better-sqlite3 could not be loaded on Node ${process.version}: ${(error as Error).message.replace(/\s*\n\s*/g, " ")}`,
    };
  }
  return loaded;
}

/** Why better-sqlite3 cannot be used here, or undefined when it can. */
export function betterSqlite3Problem(): string | undefined {
  const result = load();
  return "problem" in result ? result.problem : undefined;
}

export function openBetterSqlite3(file: string, readonly: boolean): SqliteConnection {
  const result = load();
  if ("problem" in result) throw new Error(result.problem);
  return new BetterSqlite3Connection(new result.databaseClass(file, { readonly }), file);
}

class BetterSqlite3Connection implements SqliteConnection {
  readonly driver = "better-sqlite3";

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly location: string,
  ) {}

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return this.db.prepare(sql) as SqliteStatement;
  }

  pragma(pragma: string): unknown {
    return this.db.pragma(pragma, { simple: true });
  }

  immediate<T>(fn: () => T): T {
    if (this.db.inTransaction) throw new Error(`A transaction on ${this.location} is already open: transactions do not nest.`);
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}
