import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { describe, it } from "node:test";
import { onAbort } from "./on-abort.js";

describe("onAbort", () => {
  it("calls each callback still registered once, in registration order, through one listener on the signal", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    onAbort(controller.signal, () => calls.push("a"));
    const stopB = onAbort(controller.signal, () => calls.push("b"));
    onAbort(controller.signal, () => calls.push("c"));
    assert.equal(getEventListeners(controller.signal, "abort").length, 1);
    stopB();
    controller.abort();
    controller.abort();
    assert.deepEqual(calls, ["a", "c"]);
  });

  it("calls the callback at once for a signal already aborted", () => {
    const calls: string[] = [];
    onAbort(AbortSignal.abort(), () => calls.push("now"));
    assert.deepEqual(calls, ["now"]);
  });

  it("the same function registered twice is called twice", () => {
    const controller = new AbortController();
    let count = 0;
    const callback = () => count++;
    onAbort(controller.signal, callback);
    onAbort(controller.signal, callback);
    controller.abort();
    assert.equal(count, 2);
  });
});
