import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import { settleWithin } from "./settle-within.js";

// The bound is a real setTimeout; node:test's mock timers move it by hand.
afterEach(() => mock.timers.reset());

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("settleWithin", () => {
  it("gives up when the bound passes and the promise never settles", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const waited = settleWithin(new Promise(() => {}), 2000);
    mock.timers.tick(2000);
    assert.equal(await waited, false);
  });

  it("answers true for a promise that settles just before the bound", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const work = deferred();
    const waited = settleWithin(work.promise, 2000);
    mock.timers.tick(1999);
    work.resolve();
    assert.equal(await waited, true);
  });

  it("passes on a rejection that comes within the bound", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    await assert.rejects(settleWithin(Promise.reject(new Error("disk gone")), 2000), /disk gone/);
  });
});
