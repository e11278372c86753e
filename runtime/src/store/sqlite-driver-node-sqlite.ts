/**
 * The SQLite driver on `node:sqlite`, Node's built-in module (no flag from Node 22.13 and 23.4).
 *
 * It is required lazily, only when a store opens with it, so that Node 20 never asks for it; and
 * the one ExperimentalWarning Node 22 and 24 print when it loads is kept from users, who did not
 * choose it. Its class is `DatabaseSync`, being renamed `Database` in current Node; either is taken.
 */
import type { SqliteConnection, SqliteStatement } from "./sqlite-driver.js";

/** The part of node:sqlite used here (@types/node of Node 20 does not declare the module). */
interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}
type NodeSqliteDatabaseClass = new (file: string, options?: { readOnly?: boolean }) => NodeSqliteDatabase;
interface NodeSqliteModule {
  Database?: NodeSqliteDatabaseClass;
  DatabaseSync?: NodeSqliteDatabaseClass;
}

let loaded: { databaseClass: NodeSqliteDatabaseClass } | { problem: string } | undefined;

function load(): { databaseClass: NodeSqliteDatabaseClass } | { problem: string } {
  if (loaded) return loaded;
  let sqlite: NodeSqliteModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a store opens with it: Node 20 has none
    sqlite = withoutSqliteExperimentalWarning(() => require("node:sqlite") as NodeSqliteModule);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    loaded = {
      problem:
        code === "ERR_UNKNOWN_BUILTIN_MODULE"
          ? `Node ${process.version} has no node:sqlite (it is built into Node 22.13 and newer, and 23.4 and newer).`
          : `node:sqlite could not be loaded: ${(error as Error).message}`,
    };
    return loaded;
  }
  const databaseClass = typeof sqlite.Database === "function" ? sqlite.Database : sqlite.DatabaseSync;
  loaded = databaseClass ? { databaseClass } : { problem: `node:sqlite of Node ${process.version} has neither Database nor DatabaseSync.` };
  return loaded;
}

/** Why node:sqlite cannot be used here, or undefined when it can. */
export function nodeSqliteProblem(): string | undefined {
  const result = load();
  return "problem" in result ? result.problem : undefined;
}

export function openNodeSqlite(file: string, readonly: boolean): SqliteConnection {
  const result = load();
  if ("problem" in result) throw new Error(result.problem);
  return new NodeSqliteConnection(new result.databaseClass(file, readonly ? { readOnly: true } : {}), file);
}

class NodeSqliteConnection implements SqliteConnection {
  readonly driver = "node:sqlite";
  private inTransaction = false;
  private readonly begin: SqliteStatement;
  private readonly commit: SqliteStatement;
  private readonly rollback: SqliteStatement;

  constructor(
    private readonly db: NodeSqliteDatabase,
    readonly location: string,
  ) {
    this.begin = db.prepare("BEGIN IMMEDIATE");
    this.commit = db.prepare("COMMIT");
    this.rollback = db.prepare("ROLLBACK");
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return this.db.prepare(sql);
  }

  pragma(pragma: string): unknown {
    const row = this.db.prepare(`PRAGMA ${pragma}`).get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }

  immediate<T>(fn: () => T): T {
    if (this.inTransaction) throw new Error(`A transaction on ${this.location} is already open: transactions do not nest.`);
    this.begin.run();
    this.inTransaction = true;
    try {
      const result = fn();
      this.commit.run();
      return result;
    } catch (error) {
      try {
        this.rollback.run();
      } catch {
        // SQLite has already rolled back (after some errors it does so by itself): nothing is open.
      }
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Runs `fn` with Node's "SQLite is an experimental feature" warning held back. Node emits it
 * through `process.emitWarning` synchronously while the module loads; every other warning passes.
 */
function withoutSqliteExperimentalWarning<T>(fn: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    const message = typeof warning === "string" ? warning : warning.message;
    const kind = typeof warning === "string" ? type : warning.name;
    if (kind === "ExperimentalWarning" && /^SQLite is an experimental feature/.test(message)) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = emitWarning;
  }
}
