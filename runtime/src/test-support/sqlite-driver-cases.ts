/**
 * The SQLite drivers a store test suite runs against: each with node:test's `skip` set to the
 * reason when this Node cannot use it, so a run on Node 20 says what it left out and how to run it.
 */
import { SQLITE_DRIVERS, sqliteDriverProblem, type SqliteDriverName } from "../store/sqlite-driver.js";

export interface SqliteDriverCase {
  driver: SqliteDriverName;
  /** `false`, or why this Node cannot run the suite on `driver`. */
  skip: string | false;
}

const HOW_TO_RUN: Record<SqliteDriverName, string> = {
  "node:sqlite": "run the store tests on Node 22 or 24: node scripts/install-node.mjs 24, then .cache/node-24/bin/node --import tsx --test runtime/src/store/*.test.ts",
  "better-sqlite3": "better-sqlite3 in node_modules is built for the Node that ran npm ci",
};

export function sqliteDriverCases(): SqliteDriverCase[] {
  return SQLITE_DRIVERS.map((driver) => {
    const problem = sqliteDriverProblem(driver);
    return { driver, skip: problem === undefined ? false : `${problem} (${HOW_TO_RUN[driver]})` };
  });
}
