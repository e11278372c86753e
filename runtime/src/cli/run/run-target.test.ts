import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../test-support/cli-workspace.js";
import { checkFlowFile, parseRunTarget } from "./run-target.js";

describe("parseRunTarget", () => {
  it("splits an export or flow name off after the last colon", () => {
    assert.deepEqual(parseRunTarget("flows/etl.ts:etlFlow", "/w"), { file: path.resolve("/w/flows/etl.ts"), displayFile: "flows/etl.ts", name: "etlFlow" });
    assert.deepEqual(parseRunTarget("etl.ts", "/w"), { file: path.resolve("/w/etl.ts"), displayFile: "etl.ts" });
    assert.equal(parseRunTarget("a:b/etl.ts", "/w").name, undefined);
  });

  it("refuses an empty name after the colon", () => {
    assert.throws(() => parseRunTarget("etl.ts:", "/w"), { name: "UsageError", message: /Nothing follows ":" in "etl.ts:"/ });
  });
});

describe("checkFlowFile", () => {
  const fixtures = path.join(repoRoot, "test-fixtures/cli");
  it("suggests a sibling for a misspelt file, and refuses folders and other kinds of file", () => {
    assert.throws(() => checkFlowFile(parseRunTarget("falling-flow.ts", fixtures)), {
      name: "UsageError",
      message: /File not found: falling-flow\.ts .* Did you mean failing-flow\.ts\?/,
    });
    assert.throws(() => checkFlowFile(parseRunTarget(".", fixtures)), { name: "UsageError", message: /is a directory/ });
    assert.throws(() => checkFlowFile(parseRunTarget("notes.txt", fixtures)), { name: "UsageError", message: /notes\.txt is not a flow file/ });
    assert.doesNotThrow(() => checkFlowFile(parseRunTarget("failing-flow.ts", fixtures)));
  });
});
