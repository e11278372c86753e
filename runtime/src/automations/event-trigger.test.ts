import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../engine/manual-clock.js";
import { createAutomationEngine } from "./automation-engine.js";
import { automationRecord, customEvent } from "./test-support/events.js";
import { RecordingActions } from "./test-support/recording-actions.js";
import type { EventTrigger } from "./trigger-types.js";

function engineWith(trigger: EventTrigger) {
  const actions = new RecordingActions();
  const clock = new ManualClock();
  const engine = createAutomationEngine({ actions, clock });
  engine.setAutomations([automationRecord("a", trigger, [{ type: "cancel-flow-run", flowRunId: "{{ event.payload.n }}" }])]);
  const cancelled = () => actions.effects.map((c) => (c.method === "cancelFlowRun" ? c.flowRunId : "?"));
  return { actions, clock, engine, cancelled };
}

describe("event trigger, Reactive", () => {
  it("matches the event name with wildcards and resource fields", async () => {
    const { engine, cancelled } = engineWith({ type: "event", match: { event: "acme.order.*", id: "shop-*", tags: ["eu"] } });
    await engine.handleEvent(customEvent("acme.order.placed", { id: "shop-1" }, { n: "1" }));
    await engine.handleEvent(customEvent("acme.invoice.sent", { id: "shop-1", tags: ["eu"] }, { n: "2" }));
    await engine.handleEvent(customEvent("acme.order.placed", { id: "warehouse", tags: ["eu"] }, { n: "3" }));
    await engine.handleEvent(customEvent("acme.order.placed", { id: "shop-2", tags: ["us", "eu"] }, { n: "4" }));
    assert.deepEqual(cancelled(), ["4"]);
  });

  it("expect names the events that count; other resource labels match too", async () => {
    const { engine, cancelled } = engineWith({ type: "event", match: { region: "eu-*" }, expect: ["acme.a", "acme.b.*"] });
    await engine.handleEvent(customEvent("acme.c", { region: "eu-west" }, { n: "1" }));
    await engine.handleEvent(customEvent("acme.b.x", { region: "us" }, { n: "2" }));
    await engine.handleEvent(customEvent("acme.b.x", { region: "eu-west" }, { n: "3" }));
    await engine.handleEvent(customEvent("acme.a", { region: "eu-north" }, { n: "4" }));
    assert.deepEqual(cancelled(), ["3", "4"]);
  });

  it("threshold counts events and starts again after firing", async () => {
    const { engine, cancelled } = engineWith({ type: "event", expect: ["tick"], threshold: 3 });
    for (let n = 1; n <= 7; n++) await engine.handleEvent(customEvent("tick", {}, { n: String(n) }));
    assert.deepEqual(cancelled(), ["3", "6"]);
  });

  it("threshold within a window: only events no older than `within` seconds count", async () => {
    const { engine, clock, cancelled } = engineWith({ type: "event", expect: ["tick"], threshold: 3, within: 10 });
    await engine.handleEvent(customEvent("tick", {}, { n: "1" }));
    clock.advance(6_000);
    await engine.handleEvent(customEvent("tick", {}, { n: "2" }));
    clock.advance(6_000); // the first is now 12 s old
    await engine.handleEvent(customEvent("tick", {}, { n: "3" }));
    assert.deepEqual(cancelled(), []);
    clock.advance(1_000);
    await engine.handleEvent(customEvent("tick", {}, { n: "4" }));
    assert.deepEqual(cancelled(), ["4"]);
  });

  it("after: expected events count only once an `after` event was seen, again after each firing", async () => {
    const { engine, cancelled } = engineWith({ type: "event", expect: ["done"], after: ["started"] });
    await engine.handleEvent(customEvent("done", {}, { n: "1" }));
    await engine.handleEvent(customEvent("started", {}, { n: "2" }));
    await engine.handleEvent(customEvent("done", {}, { n: "3" }));
    await engine.handleEvent(customEvent("done", {}, { n: "4" }));
    assert.deepEqual(cancelled(), ["3"]);
  });
});

describe("event trigger, Proactive", () => {
  it("without `after`: fires at the end of each window in which fewer than `threshold` events came", async () => {
    const { engine, clock, actions } = engineWith({ type: "event", posture: "Proactive", expect: ["heartbeat"], threshold: 2, within: 60 });
    // Window 1: two heartbeats, enough.
    await clock.whenSleeping();
    assert.deepEqual(clock.sleeps, [60_000]);
    await engine.handleEvent(customEvent("heartbeat"));
    await engine.handleEvent(customEvent("heartbeat"));
    await engine.handleEvent(customEvent("other"));
    clock.advance(60_000);
    await clock.whenSleeping(); // window 2 is open: window 1 has been judged
    await engine.idle();
    assert.equal(actions.calls.length, 0);
    // Window 2: one heartbeat, too few.
    await engine.handleEvent(customEvent("heartbeat"));
    const cancelled = actions.next("emitEvent");
    clock.advance(60_000);
    const triggered = await cancelled;
    assert.equal(triggered.method === "emitEvent" && triggered.event.event, "tributary.automation.triggered");
    await engine.idle();
    assert.match(actions.logs[0]?.message ?? "", /could not perform its action 1 \(cancel-flow-run\): no flow run was named/);
    engine.close();
    assert.equal(clock.sleeping, 0, "closing stops the window timer");
  });

  it("with `after`: the window opens at the `after` event and fires (with that event) when too few came", async () => {
    const { engine, clock, cancelled, actions } = engineWith({ type: "event", posture: "Proactive", expect: ["done"], after: ["started"], within: 30 });
    assert.equal(clock.sleeping, 0, "no window before an `after` event");
    await engine.handleEvent(customEvent("started", {}, { n: "run-1" }));
    assert.equal(clock.sleeping, 1);
    await engine.handleEvent(customEvent("done"));
    assert.equal(clock.sleeping, 0, "the window closed early: its event came");
    await engine.handleEvent(customEvent("started", {}, { n: "run-2" }));
    const cancelling = actions.next("cancelFlowRun");
    clock.advance(30_000);
    await cancelling;
    assert.deepEqual(cancelled(), ["run-2"]);
    assert.equal(clock.sleeping, 0, "the next window waits for the next `after` event");
  });
});
