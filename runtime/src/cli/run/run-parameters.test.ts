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

  it("names the bad value in usage errors", () => {
    assert.throws(() => parseRunParameters("{n:1}", []), { name: "UsageError", message: /--params '\{n:1\}' is not valid JSON/ });
    assert.throws(() => parseRunParameters("[1]", []), { name: "UsageError", message: /must be a JSON object.*an array: '\[1\]'/ });
    assert.throws(() => parseRunParameters("null", []), { name: "UsageError", message: /got null/ });
    assert.throws(() => parseRunParameters(undefined, ["batchSize"]), { name: "UsageError", message: /--param 'batchSize' has no "="/ });
    assert.throws(() => parseRunParameters(undefined, ["=5"]), { name: "UsageError", message: /--param '=5' has no name/ });
  });
});
