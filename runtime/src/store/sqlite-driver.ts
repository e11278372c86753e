/**
 * The SQLite connection the store is written against, and the choice of the library behind it:
 * `node:sqlite`, built into Node (no flag from 22.13 and 23.4), or better-sqlite3, a native module
 * and an optional dependency of tributaryjs, for the Node versions without it (Node 20).
 *
 * The store needs little of either: exec, prepared statements (run/get/all with positional `?` or
 * one object of `@name` values keyed without the `@`), pragmas, immediate transactions, close.
 * Both libraries' statements already take those arguments alike, so statements are handed out
 * as they are; only pragmas and transactions differ and are wrapped. Rows are plain objects whose
 * integers are numbers (neither library is asked for BigInts).
 */
import { existsSync } from "node:fs";
import { TributaryError } from "../errors.js";
import { openBetterSqlite3, betterSqlite3Problem } from "./sqlite-driver-better-sqlite3.js";
import { openNodeSqlite, nodeSqliteProblem } from "./sqlite-driver-node-sqlite.js";

export type SqliteDriverName = "node:sqlite" | "better-sqlite3";

/**
 * Every driver, the default first. node:sqlite is preferred where the Node has it: nothing to
 * compile or ship per platform, and its persisted task cost was measured within 1.2× of
 * better-sqlite3's (README, Performance).
 */
export const SQLITE_DRIVERS: readonly SqliteDriverName[] = ["node:sqlite", "better-sqlite3"];

/** The environment variable that picks a driver (for tests and benches): `node:sqlite` or `better-sqlite3`. */
export const SQLITE_DRIVER_ENV = "TRIBUTARY_SQLITE_DRIVER";

export type SqliteValue = string | number | bigint | null | Uint8Array;
/** Positional values for `?`, or one object of named values for `@name` (keys without the `@`). */
export type SqliteParams = SqliteValue[] | [Record<string, SqliteValue>];

export interface SqliteStatement {
  run(...params: SqliteParams): { changes: number | bigint };
  get(...params: SqliteParams): unknown;
  all(...params: SqliteParams): unknown[];
}

export interface SqliteConnection {
  readonly driver: SqliteDriverName;
  /** The file it was opened on. */
  readonly location: string;
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /** Runs `PRAGMA <pragma>` and returns the first column of its first row (undefined when it returns none). */
  pragma(pragma: string): unknown;
  /**
   * Runs `fn` between BEGIN IMMEDIATE and COMMIT, and rolls back when it throws. `fn` is
   * synchronous; transactions do not nest.
   */
  immediate<T>(fn: () => T): T;
  close(): void;
}

export interface OpenSqliteOptions {
  /**
   * The library to use. Defaults to `TRIBUTARY_SQLITE_DRIVER` when set, else the first available
   * of SQLITE_DRIVERS.
   */
  driver?: SqliteDriverName;
  /** @default false */
  readonly?: boolean;
  /** Refuse to create the file. @default false */
  fileMustExist?: boolean;
}

/** No usable SQLite library, or the one asked for is not usable in this Node. */
export class SqliteDriverError extends TributaryError {
  override name = "SqliteDriverError";
  /** `SQLITE_DRIVER_UNAVAILABLE`: no usable library; `SQLITE_DRIVER_UNKNOWN`: a driver name that is not one. */
  constructor(message: string, options?: { cause?: unknown; code?: "SQLITE_DRIVER_UNAVAILABLE" | "SQLITE_DRIVER_UNKNOWN" }) {
    super(message, options?.code ?? "SQLITE_DRIVER_UNAVAILABLE", options);
  }
}

/** Why `driver` cannot be used in this process, or undefined when it can. Checked once per process. */
export function sqliteDriverProblem(driver: SqliteDriverName): string | undefined {
  return driver === "node:sqlite" ? nodeSqliteProblem() : betterSqlite3Problem();
}

/** The drivers this process can use, the default first. */
export function availableSqliteDrivers(): SqliteDriverName[] {
  return SQLITE_DRIVERS.filter((driver) => sqliteDriverProblem(driver) === undefined);
}

/** The driver a store opens with when none is given: `TRIBUTARY_SQLITE_DRIVER`, else the first available. */
export function defaultSqliteDriver(): SqliteDriverName {
  const fromEnv = process.env[SQLITE_DRIVER_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return checkedDriverName(fromEnv, SQLITE_DRIVER_ENV);
  // The first usable one, trying no further: on Node 24 the native fallback is never loaded.
  const available = SQLITE_DRIVERS.find((driver) => sqliteDriverProblem(driver) === undefined);
  if (available) return available;
  throw new SqliteDriverError(
    `Tributary's store needs SQLite, and this Node (${process.version}) has neither of the libraries it uses: ` +
      `node:sqlite is built into Node 22.13 and newer (and 23.4 and newer), and better-sqlite3, the fallback for older Node, is not usable ` +
      `(${betterSqlite3Problem()?.replace(/\.$/, "")}). Run Tributary on Node 22.13 or newer, or install better-sqlite3 beside tributaryjs (npm install better-sqlite3).`,
  );
}

/** The driver `requested` names (else the default), checked usable in this process; throws SqliteDriverError otherwise. */
export function usableSqliteDriver(requested?: SqliteDriverName): SqliteDriverName {
  const driver = requested === undefined ? defaultSqliteDriver() : checkedDriverName(requested, "driver");
  const problem = sqliteDriverProblem(driver);
  if (problem !== undefined) throw new SqliteDriverError(`The SQLite driver ${driver} cannot be used: ${problem}`);
  return driver;
}

/** Opens a SQLite file with the chosen driver. */
export function openSqliteConnection(file: string, options: OpenSqliteOptions = {}): SqliteConnection {
  const driver = usableSqliteDriver(options.driver);
  if (options.fileMustExist && file !== ":memory:" && !existsSync(file)) {
    throw new SqliteDriverError(`There is no SQLite file at ${file}.`);
  }
  const readonly = options.readonly ?? false;
  return driver === "node:sqlite" ? openNodeSqlite(file, readonly) : openBetterSqlite3(file, readonly);
}

/**
 * Whether `error` is SQLite's SQLITE_BUSY (or one of its extended codes), in either library's
 * shape: better-sqlite3 throws a SqliteError whose `code` is the code's name ("SQLITE_BUSY",
 * "SQLITE_BUSY_SNAPSHOT"); node:sqlite an Error with `code` "ERR_SQLITE_ERROR" and the extended
 * result code as the number `errcode` (SQLITE_BUSY is 5 in its low byte).
 */
export function isSqliteBusy(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
  return code === "ERR_SQLITE_ERROR" && typeof errcode === "number" && (errcode & 0xff) === 5;
}

function checkedDriverName(value: string, where: string): SqliteDriverName {
  if ((SQLITE_DRIVERS as readonly string[]).includes(value)) return value as SqliteDriverName;
  throw new SqliteDriverError(
    `Expected ${where} to be ${SQLITE_DRIVERS.map((d) => `"${d}"`).join(" or ")}, got \`${value}\`; leave it unset to use the first driver this Node has.`,
    { code: "SQLITE_DRIVER_UNKNOWN" },
  );
}
