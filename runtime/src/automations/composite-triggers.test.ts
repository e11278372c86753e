import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../engine/manual-clock.js";
import { createAutomationEngine } from "./automation-engine.js";
import { automationRecord, customEvent, flowRunEvent } from "./test-support/events.js";
import { RecordingActions } from "./test-support/recording-actions.js";
import type { Trigger } from "./trigger-types.js";

function engineWith(trigger: Trigger) {
  const actions = new RecordingActions();
  const clock = new ManualClock();
  const engine = createAutomationEngine({ actions, clock });
  engine.setAutomations([automationRecord("combo", trigger, [{ type: "pause-deployment", deployment: "x/{{ event.event }}" }])]);
  const paused = () => actions.effects.map((c) => (c.method === "pauseDeployment" ? c.deployment : "?"));
  const send = (name: string) => engine.handleEvent(customEvent(name));
  return { actions, clock, engine, paused, send };
}

const on = (name: string): Trigger => ({ type: "event", expect: [name] });

describe("compound trigger", () => {
  it('"any" fires on whichever child fires', async () => {
    const { send, paused } = engineWith({ type: "compound", require: "any", triggers: [on("a"), on("b")] });
    await send("b");
    await send("c");
    await send("a");
    assert.deepEqual(paused(), ["x/b", "x/a"]);
  });

  it('"all" fires once every child has fired, then starts over', async () => {
    const { send, paused } = engineWith({ type: "compound", require: "all", triggers: [on("a"), on("b"), on("c")] });
    await send("a");
    await send("a");
    await send("c");
    assert.deepEqual(paused(), []);
    await send("b");
    assert.deepEqual(paused(), ["x/b"]);
    await send("a");
    await send("b");
    assert.deepEqual(paused(), ["x/b"]);
  });

  it("n fires when n distinct children have fired", async () => {
    const { send, paused } = engineWith({ type: "compound", require: 2, triggers: [on("a"), on("b"), on("c")] });
    await send("c");
    await send("c");
    assert.deepEqual(paused(), []);
    await send("a");
    assert.deepEqual(paused(), ["x/a"]);
  });

  it("within: children that fired longer ago than the window no longer count", async () => {
    const { send, paused, clock } = engineWith({ type: "compound", require: "all", within: 60, triggers: [on("a"), on("b")] });
    await send("a");
    clock.advance(61_000);
    await send("b");
    assert.deepEqual(paused(), []);
    clock.advance(30_000);
    await send("a");
    assert.deepEqual(paused(), ["x/a"]);
  });

  it("combines a flow-run trigger with a Proactive child", async () => {
    const { engine, clock, actions } = engineWith({
      type: "compound",
      require: "all",
      triggers: [
        { type: "flow-run-state-change", match: { flow: "etl" }, expect: ["Completed"] },
        { type: "event", posture: "Proactive", expect: ["report.sent"], within: 10 },
      ],
    });
    await engine.handleEvent(flowRunEvent("etl", "Completed"));
    assert.equal(actions.effects.length, 0);
    const paused = actions.next("pauseDeployment");
    await clock.whenSleeping();
    clock.advance(10_000);
    // The Proactive child fires with no event, so the template names nothing.
    assert.deepEqual(await paused, { method: "pauseDeployment", deployment: "x/" });
    engine.close();
  });
});

describe("sequence trigger", () => {
  it("fires when its triggers fire in order; out-of-order firings are ignored", async () => {
    const { send, paused } = engineWith({ type: "sequence", triggers: [on("a"), on("b"), on("c")] });
    await send("b");
    await send("a");
    await send("c");
    await send("b");
    assert.deepEqual(paused(), []);
    await send("c");
    assert.deepEqual(paused(), ["x/c"]);
    await send("c");
    await send("b");
    assert.deepEqual(paused(), ["x/c"], "a new sequence starts with its first trigger");
  });

  it("within: the last step must come within the window from the first", async () => {
    const { send, paused, clock } = engineWith({ type: "sequence", within: 60, triggers: [on("a"), on("b")] });
    await send("a");
    clock.advance(61_000);
    await send("b");
    assert.deepEqual(paused(), []);
    await send("a");
    clock.advance(59_000);
    await send("b");
    assert.deepEqual(paused(), ["x/b"]);
  });
});
