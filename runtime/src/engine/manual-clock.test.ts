import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "./manual-clock.js";

describe("ManualClock", () => {
  it("moves only when advanced, waking due sleeps earliest first", async () => {
    const clock = new ManualClock(new Date("2024-01-01T00:00:00.000Z"));
    const woke: string[] = [];
    const late = clock.sleep(300).then(() => woke.push("late"));
    const early = clock.sleep(100).then(() => woke.push("early"));
    assert.equal(clock.sleeping, 2);
    clock.advance(99);
    await Promise.resolve();
    assert.deepEqual(woke, []);
    clock.advance(250);
    await Promise.all([late, early]);
    assert.deepEqual(woke, ["early", "late"]);
    assert.equal(clock.now().toISOString(), "2024-01-01T00:00:00.349Z");
    assert.deepEqual(clock.sleeps, [300, 100]);
  });

  it("whenSleeping resolves once enough sleeps are pending", async () => {
    const clock = new ManualClock();
    let resolved = false;
    const waiting = clock.whenSleeping(2).then(() => (resolved = true));
    void clock.sleep(10);
    await Promise.resolve();
    assert.equal(resolved, false);
    void clock.sleep(10);
    await waiting;
    assert.equal(resolved, true);
  });

  it("an aborted sleep rejects with the signal's reason and stops counting as sleeping", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error("stop"));
    await assert.rejects(sleeping, /stop/);
    assert.equal(clock.sleeping, 0);
    await assert.rejects(clock.sleep(5, AbortSignal.abort(new Error("already"))), /already/);
  });

  it("advanceToNextSleep jumps to the earliest due time", async () => {
    const clock = new ManualClock();
    const done = clock.sleep(1500);
    assert.equal(clock.advanceToNextSleep(), 1500);
    await done;
    assert.throws(() => clock.advanceToNextSleep(), /No sleep is pending/);
  });
});
