import assert from "node:assert/strict";
import { it } from "node:test";
import { postgresBackend, TEST_DATABASE_URL_ENV } from "./store-backends.js";

// Outside CI the PostgreSQL cases may be skipped (they say how to run them); in CI they must run:
// .ci/run starts PostgreSQL and sets TRIBUTARY_TEST_DATABASE_URL for every unit leg.
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

it("runs the store suite on PostgreSQL in CI", { skip: inCi ? false : "not in CI (CI is unset)" }, () => {
  assert.equal(postgresBackend().skip, false, `${TEST_DATABASE_URL_ENV} must be set in CI, or the PostgreSQL store cases are skipped`);
});
