import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRunParameters } from "./run-parameters.js";

describe("parseRunParameters", () => {
  it("takes --param values as JSON when they parse, else as text, over the --params object", () => {
    assert.deepEqual(parseRunParameters('{"n": 1, "label": "a"}', ["n=5", "label=hello world", "on=true", "ids=[1,2]", "empty="]), {
      n: 5,
      label: "hello world",
      on: true,
      ids: [1, 2],
      empty: "",
    });
    assert.deepEqual(parseRunParameters(undefined, ["expr=a=b"]), { expr: "a=b" });
  });

  it("coerces --param values by the flow's schema: numbers and booleans by type, strings stay strings", () => {
    const schema = {
      type: "object",
      properties: { n: { type: "number" }, label: { type: "string" }, on: { type: "boolean" }, mode: { enum: ["1", "2"] }, any: {} },
      additionalProperties: false,
    };
    assert.deepEqual(parseRunParameters(undefined, ["n=5", "label=7", "on=false", "mode=1", "any=[1]", "other=3"], schema), {
      n: 5,
      label: "7",
      on: false,
      mode: "1",
      any: [1],
      other: 3,
    });
    // A value that fits neither way is passed as it parses, for the check to name it.
    assert.deepEqual(parseRunParameters(undefined, ["n=abc", "on=yes", "label={}"], schema), { n: "abc", on: "yes", label: "{}" });
  });

  it("names the bad value in usage errors", () => {
    assert.throws(() => parseRunParameters("{n:1}", []), { name: "UsageError", message: /--params '\{n:1\}' is not valid JSON/ });
    assert.throws(() => parseRunParameters("[1]", []), { name: "UsageError", message: /must be a JSON object.*an array: '\[1\]'/ });
    assert.throws(() => parseRunParameters("null", []), { name: "UsageError", message: /got null/ });
    assert.throws(() => parseRunParameters(undefined, ["batchSize"]), { name: "UsageError", message: /--param 'batchSize' has no "="/ });
    assert.throws(() => parseRunParameters(undefined, ["=5"]), { name: "UsageError", message: /--param '=5' has no name/ });
  });
});
