import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runFlowCommand } from "./code-lenses.js";

const args = { file: "/w/flows/size.ts", exportName: "sized", flowName: "sized-flow" };

describe("the ▶ Run flow lens", () => {
  it("runs a flow whose parameters all have defaults or are optional", () => {
    const schema = { type: "object" as const, properties: { size: { type: "number" as const, default: 3 }, label: { type: "string" as const } }, required: [] };
    assert.deepEqual(runFlowCommand(args, schema), { title: "▶ Run flow", command: "tributary.runFlow", arguments: [args] });
    assert.equal(runFlowCommand(args, undefined).title, "▶ Run flow");
    assert.equal(runFlowCommand(args, { type: "object", properties: { size: { type: "number", default: 3 } }, required: ["size"] }).title, "▶ Run flow");
  });

  it("prompts for parameters, and says so, when a required parameter has no default", () => {
    const schema = { type: "object" as const, properties: { size: { type: "number" as const } }, required: ["size"] };
    assert.deepEqual(runFlowCommand(args, schema), { title: "▶ Run flow…", command: "tributary.runFlowWithParameters", arguments: [{ ...args, parameterSchema: schema }] });
  });
});
