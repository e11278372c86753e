import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collectParameters, initialText, parameterPrompts, parseInput, promptText, type ParameterSchema } from "./parameter-prompts.js";

// The schema the language server reads from the seed's upstream-flow signature.
const upstream: ParameterSchema = {
  type: "object",
  properties: { batchSize: { type: "number", default: 10 }, triggerDownstream: { type: "boolean", default: true } },
  additionalProperties: false,
};

describe("parameterPrompts", () => {
  it("asks for each property in order, with its kind, type and default", () => {
    const prompts = parameterPrompts(upstream);
    assert.deepEqual(
      prompts.map((p) => [p.name, p.kind, p.typeLabel, p.default, p.required]),
      [
        ["batchSize", "number", "number", 10, false],
        ["triggerDownstream", "boolean", "boolean", true, false],
      ],
    );
    assert.deepEqual(prompts[1]!.choices, [true, false]);
  });

  it("asks nothing of a flow without parameters, or of no schema", () => {
    assert.deepEqual(parameterPrompts({ type: "object", properties: {}, additionalProperties: false }), []);
    assert.deepEqual(parameterPrompts(undefined), []);
  });

  it("lets a deployment's parameters override the schema's defaults", () => {
    const [batchSize] = parameterPrompts(upstream, { batchSize: 25 });
    assert.equal(batchSize!.default, 25);
    assert.equal(initialText(batchSize!), "25");
  });

  it("asks arrays, objects and unions as JSON, strings with a fixed set as a pick", () => {
    const prompts = parameterPrompts({
      type: "object",
      required: ["tags", "mode"],
      properties: {
        tags: { type: "array", items: { type: "string" } },
        limits: { type: "object", properties: { max: { type: "integer" } } },
        mode: { type: "string", enum: ["fast", "safe"] },
        id: { anyOf: [{ type: "string" }, { type: "number" }] },
        note: { type: ["string", "null"] },
      },
    });
    assert.deepEqual(
      prompts.map((p) => [p.name, p.kind, p.typeLabel, p.required]),
      [
        ["tags", "json", "string[] as JSON", true],
        ["limits", "json", "{ max: integer } as JSON", false],
        ["mode", "enum", '"fast" | "safe"', true],
        ["id", "json", "string | number as JSON", false],
        ["note", "string", "string", false],
      ],
    );
  });

  it("says type, description and whether empty is allowed under the input", () => {
    const [size] = parameterPrompts({ type: "object", properties: { size: { type: "integer", description: "Rows per batch" } }, required: ["size"] });
    assert.equal(promptText(size!), "size: integer — Rows per batch — required");
    const [batchSize] = parameterPrompts(upstream);
    assert.equal(promptText(batchSize!), "batchSize: number — default 10; empty keeps it");
  });
});

describe("parseInput", () => {
  const [batchSize, triggerDownstream] = parameterPrompts(upstream);

  it("refuses text for a number, naming the parameter and the type", () => {
    assert.deepEqual(parseInput(batchSize!, "ten"), { error: 'Parameter "batchSize" must be a number: "ten" is not one.' });
    assert.deepEqual(parseInput(batchSize!, "12abc"), { error: 'Parameter "batchSize" must be a number: "12abc" is not one.' });
  });

  it("reads numbers, integers and booleans", () => {
    assert.deepEqual(parseInput(batchSize!, " 25 "), { value: 25 });
    assert.deepEqual(parseInput(batchSize!, "-1.5e2"), { value: -150 });
    assert.deepEqual(parseInput(triggerDownstream!, "false"), { value: false });
    assert.match((parseInput(triggerDownstream!, "no") as { error: string }).error, /"triggerDownstream" must be a boolean/);
    const [count] = parameterPrompts({ type: "object", properties: { count: { type: "integer" } } });
    assert.deepEqual(parseInput(count!, "3"), { value: 3 });
    assert.deepEqual(parseInput(count!, "3.5"), { error: 'Parameter "count" must be an integer: 3.5 is not whole.' });
  });

  it("leaves out an empty optional parameter and refuses an empty required one", () => {
    assert.deepEqual(parseInput(batchSize!, ""), { omit: true });
    const [name] = parameterPrompts({ type: "object", properties: { name: { type: "string" } }, required: ["name"] });
    assert.deepEqual(parseInput(name!, ""), { error: 'Parameter "name" is required: enter a string.' });
    assert.deepEqual(parseInput(name!, "  spaced "), { value: "  spaced " });
  });

  it("checks JSON against the parameter's schema with ajv", () => {
    const [tags] = parameterPrompts({ type: "object", properties: { tags: { type: "array", items: { type: "string" } } } });
    assert.deepEqual(parseInput(tags!, '["a", "b"]'), { value: ["a", "b"] });
    assert.deepEqual(parseInput(tags!, '["a", 2]'), { error: 'Parameter "tags.1" must be string (expected string[] as JSON).' });
    assert.match((parseInput(tags!, "[a") as { error: string }).error, /^Parameter "tags" must be string\[\] as JSON: .*JSON/);
  });

  it("takes only a listed value for an enum", () => {
    const [mode] = parameterPrompts({ type: "object", properties: { mode: { type: "string", enum: ["fast", "safe"] } } });
    assert.deepEqual(parseInput(mode!, "safe"), { value: "safe" });
    assert.deepEqual(parseInput(mode!, "slow"), { error: 'Parameter "mode" must be one of "fast" | "safe": "slow" is not.' });
  });

  it("takes JSON or else text for an untyped parameter", () => {
    const [anything] = parameterPrompts({ type: "object", properties: { anything: {} } });
    assert.deepEqual(parseInput(anything!, "[1]"), { value: [1] });
    assert.deepEqual(parseInput(anything!, "hello"), { value: "hello" });
  });
});

describe("collectParameters", () => {
  it("keeps the given values and drops the left-out ones", () => {
    assert.deepEqual(
      collectParameters([
        ["batchSize", { value: 5 }],
        ["triggerDownstream", { omit: true }],
      ]),
      { batchSize: 5 },
    );
  });
});
