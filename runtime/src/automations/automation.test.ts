import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { declarations } from "../declarations/registry.js";
import { automation, type AutomationOptions } from "./automation.js";

const trigger = { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] } as const;
const actions = [{ type: "run-deployment", deployment: "downstream-flow/processing", parameters: { id: "{{ flowRun.result.batchId }}" } }] as const;

function declareBad(options: unknown, name: unknown = "bad"): () => unknown {
  return () => automation(name as string, options as AutomationOptions);
}

describe("automation()", () => {
  it("registers the declaration and returns it, enabled by default", () => {
    const declared = automation("registry-check", { trigger: { ...trigger, expect: ["Completed"] }, actions: [...actions] });
    assert.equal(declared.kind, "automation");
    assert.equal(declared.enabled, true);
    assert.deepEqual(declared.trigger, trigger);
    assert.ok(declarations().includes(declared));
    assert.equal(automation("disabled", { trigger: { ...trigger, expect: ["Failed"] }, actions: [...actions], enabled: false }).enabled, false);
  });

  it("accepts every trigger and action kind", () => {
    automation("everything", {
      trigger: {
        type: "compound",
        require: 2,
        within: 60,
        triggers: [
          { type: "event", match: { event: "acme.*", id: "shop-*", tags: ["a"] }, expect: ["acme.order.placed"], after: ["acme.open"], threshold: 2, within: 5 },
          { type: "event", posture: "Proactive", expect: ["acme.heartbeat"], within: 300 },
          { type: "sequence", triggers: [{ type: "flow-run-state-change", match: { deployment: "a/b", tags: ["x"] }, expect: ["Failed", "Crashed"] }] },
        ],
      },
      actions: [
        { type: "run-deployment", deployment: "a/b" },
        { type: "pause-deployment" },
        { type: "resume-deployment", deployment: "a/b" },
        { type: "cancel-flow-run" },
        { type: "pause-automation", automation: "x" },
        { type: "resume-automation" },
        { type: "call-webhook", url: "http://127.0.0.1:1/hook", method: "PUT", headers: { "x-a": "b" }, body: { run: "{{ flowRun.id }}" } },
      ],
    });
  });

  it("names the automation and the bad value in every message", () => {
    assert.throws(declareBad({ trigger, actions }, ""), /Expected the name of an automation to be a non-empty string, got `""` \(string\)/);
    assert.throws(declareBad(undefined), /Expected the options of automation "bad" to be an object/);
    assert.throws(declareBad({ trigger, actions, enable: true }), /Unknown option `enable` in the options of automation "bad"/);
    assert.throws(declareBad({ trigger, actions, enabled: "yes" }), /Expected `enabled` to be a boolean, got `"yes"` \(string\)/);
    assert.throws(declareBad({ trigger: { type: "on-complete" }, actions }), {
      name: "InvalidOptionError",
      message: 'Expected `trigger.type` to be one of "flow-run-state-change", "event", "compound", "sequence", got `"on-complete"` (string) — in automation "bad".',
    });
    assert.throws(declareBad({ trigger: { ...trigger, expect: ["Done"] }, actions }), /Expected `trigger\.expect\[0\]` to be a state name \(Scheduled, .*\), got `"Done"` \(string\) — in automation "bad"/);
    assert.throws(declareBad({ trigger: { ...trigger, expect: [] }, actions }), /`trigger\.expect` to be a non-empty array of state names/);
    assert.throws(declareBad({ trigger: { ...trigger, match: { flows: "x" } }, actions }), /Unknown field `flows` in `trigger\.match` — in automation "bad"; expected one of: `flow`, `deployment`, `tags`/);
    assert.throws(declareBad({ trigger: { type: "event", threshold: 0 }, actions }), /`trigger\.threshold` to be a positive integer, got `0` \(number\)/);
    assert.throws(declareBad({ trigger: { type: "event", posture: "Passive" }, actions }), /`trigger\.posture` to be one of "Reactive", "Proactive", got `"Passive"`/);
    assert.throws(declareBad({ trigger: { type: "event", posture: "Proactive", expect: ["x"] }, actions }), /A Proactive trigger needs `trigger\.within`/);
    assert.throws(declareBad({ trigger: { type: "event", within: -5 }, actions }), /`trigger\.within` to be a positive number of seconds, got `-5`/);
    assert.throws(declareBad({ trigger: { type: "event", match: { event: 5 } }, actions }), /`trigger\.match\.event` to be a non-empty string or a non-empty array of them, got `5` \(number\)/);
    assert.throws(
      declareBad({ trigger: { type: "compound", require: 3, triggers: [trigger, trigger] }, actions }),
      /`trigger\.require` to be "any", "all" or a whole number from 1 to 2 \(the number of triggers\), got `3` \(number\)/,
    );
    assert.throws(declareBad({ trigger: { type: "sequence", triggers: [] }, actions }), /`trigger\.triggers` to be a non-empty array of triggers, got `\[\]`/);
    assert.throws(declareBad({ trigger: { type: "sequence", triggers: [trigger, { type: "event", expect: "x" }] }, actions }), /`trigger\.triggers\[1\]\.expect` to be a non-empty array of non-empty strings, got `"x"`/);
    assert.throws(declareBad({ trigger, actions: [] }), /Expected `actions` to be a non-empty array of actions, got `\[\]` \(array\) — in automation "bad"/);
    assert.throws(declareBad({ trigger, actions: [{ type: "run-flow" }] }), /`actions\[0\]\.type` to be one of "run-deployment", .*"call-webhook", got `"run-flow"`/);
    assert.throws(declareBad({ trigger, actions: [{ type: "run-deployment", deployment: "downstream" }] }), /`actions\[0\]\.deployment` to be a deployment name "<flow-name>\/<deployment name>", got `"downstream"`/);
    assert.throws(declareBad({ trigger, actions: [{ type: "run-deployment", deployment: "a/b", parameters: { when: new Date(0) } }] }), /`actions\[0\]\.parameters\.when` to be a JSON value/);
    assert.throws(declareBad({ trigger, actions: [{ type: "call-webhook", url: "ftp://x" }] }), /`actions\[0\]\.url` to be an http:\/\/ or https:\/\/ URL, got `"ftp:\/\/x"`/);
    assert.throws(declareBad({ trigger, actions: [{ type: "call-webhook", url: "http://x", method: "FETCH" }] }), /`actions\[0\]\.method` to be one of "GET", "POST"/);
    assert.throws(declareBad({ trigger, actions: [{ type: "cancel-flow-run", run: "x" }] }), /Unknown field `run` in `actions\[0\]`/);
  });
});
