import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { didYouMean } from "./did-you-mean.js";

describe("didYouMean", () => {
  it("suggests a name one or two edits away, and a swapped pair of letters", () => {
    assert.equal(didYouMean("lod-flow", ["extract-flow", "load-flow"]), "load-flow");
    assert.equal(didYouMean("Complted", ["Completed", "Cancelled"]), "Completed");
    assert.equal(didYouMean("laod", ["load", "extract"]), "load");
  });

  it("suggests nothing when no candidate is close", () => {
    assert.equal(didYouMean("warehouse", ["extract-flow", "load-flow"]), undefined);
    assert.equal(didYouMean("x", []), undefined);
  });
});
