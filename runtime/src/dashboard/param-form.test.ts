// The Run form's model in node, without a browser: which field each parameter gets, what it starts
// with, and that a wrong type is refused naming the parameter and the value typed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { paramFields, readParams, WHOLE_OBJECT } from "./param-form.js";

const schema = {
  type: "object",
  properties: {
    count: { type: "integer", description: "How many rows" },
    ratio: { type: "number", default: 0.5 },
    label: { type: "string" },
    loud: { type: "boolean" },
    dry: { type: "boolean", default: true },
    mode: { enum: ["fast", "slow"] },
    ids: { type: "array", items: { type: "number" } },
    options: { type: "object" },
    either: { anyOf: [{ type: "string" }, { type: "number" }] },
  },
  required: ["count", "mode"],
  additionalProperties: false,
};

describe("param-form", () => {
  it("makes one field per parameter, in order, with its kind, required mark, hint and prefill", () => {
    const fields = paramFields(schema, { label: "nightly", ids: [1, 2] });
    assert.deepEqual(
      fields.map((field) => [field.name, field.kind, field.required]),
      [["count", "integer", true], ["ratio", "number", false], ["label", "string", false], ["loud", "boolean", false], ["dry", "boolean", false], ["mode", "enum", true], ["ids", "json", false], ["options", "json", false], ["either", "json", false]],
    );
    const byName = Object.fromEntries(fields.map((field) => [field.name, field]));
    assert.equal(byName.count!.description, "How many rows");
    assert.equal(byName.ratio!.initial, "0.5", "the schema's default");
    assert.equal(byName.label!.initial, "nightly", "the deployment's parameter, as text");
    assert.equal(byName.ids!.initial, "[\n  1,\n  2\n]");
    assert.equal(byName.ids!.jsonType, "array");
    assert.equal(byName.dry!.checked, true);
    assert.deepEqual(byName.mode!.choices, ["fast", "slow"]);
  });

  it("reads typed values into parameters, leaving empty optional fields out", () => {
    const fields = paramFields(schema);
    const read = readParams(fields, { count: " 3 ", ratio: "", label: "x", loud: false, dry: false, mode: '"slow"', ids: "[1, 2]", options: "", either: "plain" });
    assert.deepEqual(read, { parameters: { count: 3, label: "x", dry: false, mode: "slow", ids: [1, 2], either: "plain" } });
    assert.deepEqual(readParams(fields, { count: "1e2", mode: '"fast"', loud: true, either: "7" }), { parameters: { count: 100, loud: true, dry: false, mode: "fast", either: 7 } });
  });

  it("refuses a wrong type naming the parameter and what was typed", () => {
    const fields = paramFields(schema);
    const base = { count: "1", mode: '"fast"' };
    const problem = (inputs: Record<string, string | boolean>) => {
      const read = readParams(fields, { ...base, ...inputs });
      return "problem" in read ? read.problem : undefined;
    };
    assert.equal(problem({ count: "abc" }), 'Parameter "count" must be an integer, got "abc".');
    assert.equal(problem({ count: "1.5" }), 'Parameter "count" must be an integer, got "1.5".');
    assert.equal(problem({ count: "" }), 'Parameter "count" is required.');
    assert.equal(problem({ ratio: "0x10" }), 'Parameter "ratio" must be a number, got "0x10".');
    assert.equal(problem({ ratio: "12abc" }), 'Parameter "ratio" must be a number, got "12abc".');
    assert.equal(problem({ mode: '"medium"' }), 'Parameter "mode" must be one of "fast", "slow", got "medium".');
    assert.equal(problem({ ids: "[1," }), 'Parameter "ids" must be JSON (an array), got "[1,".');
    assert.equal(problem({ ids: '{"a":1}' }), 'Parameter "ids" must be an array, got an object.');
    assert.equal(problem({ options: "5" }), 'Parameter "options" must be an object, got 5.');
    assert.deepEqual(readParams(fields, { count: "x" }), { problem: 'Parameter "count" must be an integer, got "x".', field: "count" });
  });

  it("without a schema, takes the parameters as one JSON object", () => {
    const fields = paramFields(undefined, { a: 10 });
    assert.equal(fields.length, 1);
    assert.equal(fields[0]!.name, WHOLE_OBJECT);
    assert.deepEqual(readParams(fields, { [WHOLE_OBJECT]: fields[0]!.initial }), { parameters: { a: 10 } });
    assert.deepEqual(readParams(fields, { [WHOLE_OBJECT]: "" }), { parameters: {} });
    assert.equal((readParams(fields, { [WHOLE_OBJECT]: "[1]" }) as { problem: string }).problem, "The parameters must be an object, got an array.");
  });
});
