import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declarations } from "../declarations/registry.js";
import { flow } from "../flow.js";
import { deploy } from "./deploy.js";

const etl = flow("etl", async ({ full = false }: { full?: boolean }) => full);

describe("deploy", () => {
  it("declares a deployment named <flow>/<name> with its schedules and defaults", () => {
    const before = declarations().length;
    const d = deploy(etl, { name: "nightly", schedule: { cron: "0 2 * * *" }, parameters: { full: true }, tags: ["wh"], concurrencyLimit: 1 });
    assert.equal(d.name, "etl/nightly");
    assert.deepEqual(d.schedules, [{ cron: "0 2 * * *" }]);
    assert.deepEqual([d.parameters, d.tags, d.concurrencyLimit, d.paused, d.triggers], [{ full: true }, ["wh"], 1, undefined, []]);
    assert.equal(declarations().length, before + 1);
    assert.equal(declarations().at(-1), d);
  });

  it("names the bad value", () => {
    assert.throws(() => deploy(etl, { name: "x", schedule: { cron: "61 * * * *" } }), /Invalid cron expression `61 \* \* \* \*`.*deploy\("etl"\)/);
    assert.throws(() => deploy(etl, { name: "x", schedules: [{ interval: "2 parsecs" }] }), /`interval`.*"2 parsecs"/);
    assert.throws(() => deploy(etl, { name: "" }), /Expected `name` to be a non-empty string/);
    assert.throws(() => deploy(etl, { name: "x", concurrencyLimit: 0 }), /`concurrencyLimit`.*`0` \(number\)/);
    assert.throws(() => deploy(etl, { name: "x", parameters: { when: new Date() } as never }), /`parameters.when` to be a JSON value/);
    assert.throws(() => deploy(etl, { name: "x", scheduel: {} } as never), /Unknown option `scheduel`/);
    assert.throws(() => deploy(etl, { name: "x", pool: "gpu pool" }), /Expected `pool` to be a pool name: letters, digits.*`"gpu pool"`/);
    assert.equal(deploy(etl, { name: "on-gpu", pool: "gpu-1" }).pool, "gpu-1");
    assert.throws(() => deploy((() => 1) as never, { name: "x" }), /flow made with flow/);
  });
});
