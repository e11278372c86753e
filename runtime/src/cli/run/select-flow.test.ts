import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listFlowCandidates, selectFlow } from "./select-flow.js";

/** Stand-ins for flows: plain objects with a flow name, told apart by a predicate. */
interface FakeFlow {
  flowName: string;
}
const isFakeFlow = (value: unknown): value is FakeFlow => typeof value === "object" && value !== null && "flowName" in value;
const candidatesOf = (exports: Record<string, unknown>) => listFlowCandidates(exports, isFakeFlow, (flow) => flow.flowName);

const extract = { flowName: "extract-flow" };
const load = { flowName: "load-flow" };

describe("selectFlow", () => {
  it("picks the only flow, or the default export among several", () => {
    assert.equal(selectFlow(candidatesOf({ extract, batchSize: 10 }), undefined, "f.ts").flow, extract);
    const picked = selectFlow(candidatesOf({ extract, load, default: load }), undefined, "f.ts");
    assert.deepEqual(picked, { flow: load, exportName: "load", flowName: "load-flow" });
  });

  it("picks by export name first, then by flow name", () => {
    assert.equal(selectFlow(candidatesOf({ extract, load }), "load", "f.ts").flow, load);
    assert.deepEqual(selectFlow(candidatesOf({ extract, load }), "extract-flow", "f.ts"), { flow: extract, exportName: "extract", flowName: "extract-flow" });
  });

  it("lists the candidates when several flows and none named", () => {
    assert.throws(() => selectFlow(candidatesOf({ extract, load }), undefined, "f.ts"), {
      name: "UsageError",
      message: /f\.ts has 2 flows \(extract \(extract-flow\), load \(load-flow\)\); name one, as in tributary run f\.ts:extract\./,
    });
  });

  it("suggests the closest name for an unknown one", () => {
    assert.throws(() => selectFlow(candidatesOf({ extract, load }), "lod-flow", "f.ts"), {
      name: "UsageError",
      message: /no flow or export named "lod-flow"\. Did you mean "load-flow"\?/,
    });
  });

  it("says when a module exports no flow", () => {
    assert.throws(() => selectFlow(candidatesOf({ batchSize: 10 }), undefined, "f.ts"), { name: "UsageError", message: /f\.ts exports no flow/ });
  });
});
