import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { flow } from "../flow.js";
import { task } from "../task.js";
import { createTestRuntime, type TestRuntime } from "./test-runtime.js";

let rt: TestRuntime;
beforeEach(() => {
  rt = createTestRuntime();
});
afterEach(() => rt.close());

describe("caching", () => {
  it("a cache hit skips the function and records Cached with the stored result", async () => {
    let calls = 0;
    const contexts: unknown[] = [];
    const geocode = task(
      "geocode",
      {
        cacheKey: (context, [address]) => {
          contexts.push(context);
          return `geocode:${address}`;
        },
      },
      async (address: string) => {
        calls++;
        return { address, lat: 1.5 };
      },
    );
    const f = flow("geo", async ({ city }: { city: string }) => [await geocode(city), await geocode(city), await geocode("elsewhere")]);
    const results = await f({ city: "Oslo" });
    assert.deepEqual(results[1], { address: "Oslo", lat: 1.5 });
    assert.equal(calls, 2);
    const [run] = await rt.store.listFlowRuns({ flowName: "geo" });
    const taskRuns = new Map((await rt.store.getTaskRuns(run!.id)).map((t) => [t.name, t]));
    assert.equal(taskRuns.get("geocode-0")?.state.name, "Completed");
    const hit = taskRuns.get("geocode-1")!;
    assert.equal(hit.state.name, "Cached");
    assert.equal(hit.state.type, "COMPLETED");
    assert.deepEqual(hit.result, { address: "Oslo", lat: 1.5 });
    assert.match(hit.state.message ?? "", new RegExp(taskRuns.get("geocode-0")!.id));
    assert.deepEqual(contexts[0], { taskName: "geocode", flowName: "geo", flowRunId: run!.id, parameters: { city: "Oslo" } });
  });

  it("an entry expires after cacheExpirationSeconds, by the runtime's clock", async () => {
    let calls = 0;
    const rates = task("rates", { cacheKey: () => "rates", cacheExpirationSeconds: 60 }, () => ++calls);
    const f = flow("rates-flow", async () => rates());
    assert.equal(await f(), 1);
    rt.clock.advance(59_000);
    assert.equal(await f(), 1, "still cached");
    rt.clock.advance(1_000);
    assert.equal(await f(), 2, "expired");
  });

  it("a cacheKey returning undefined does not cache; a failed run is not cached", async () => {
    let calls = 0;
    const never = task("never-cached", { cacheKey: () => undefined }, () => ++calls);
    let failures = 0;
    const failsOnce = task("fails-once", { cacheKey: () => "k" }, () => {
      if (failures++ === 0) throw new Error("first");
      return "second";
    });
    await flow("no-cache", async () => {
      await never();
      await never();
      await failsOnce().catch(() => undefined);
      return failsOnce();
    })();
    assert.equal(calls, 2);
    assert.equal(failures, 2);
  });

  it("a throwing cacheKey fails the run with its error", async () => {
    const t = task(
      "bad-key",
      {
        cacheKey: () => {
          throw new Error("no key");
        },
      },
      () => 1,
    );
    await assert.rejects(flow("bad-key-flow", async () => t())(), /`cacheKey` threw: no key/);
  });
});
