import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RUN_WITH_PARAMETERS, runRefusal, SHOW_LOG } from "./run-refusal.js";

describe("a refused deployment run's notification", () => {
  it("offers the parameter prompts when parameters are missing or do not fit (422), and the log", () => {
    const refusal = runRefusal("sized/default", 422, 'Flow sized-flow is missing the required parameter "size" (deployment "sized/default")');
    assert.equal(refusal.message, 'Deployment sized/default did not run: Flow sized-flow is missing the required parameter "size"');
    assert.deepEqual(refusal.actions, [RUN_WITH_PARAMETERS, SHOW_LOG]);
  });

  it("offers only the log for another refusal", () => {
    assert.deepEqual(runRefusal("etl/nightly", 500, "boom").actions, [SHOW_LOG]);
    assert.deepEqual(runRefusal("etl/nightly", undefined, "fetch failed").actions, [SHOW_LOG]);
  });
});
