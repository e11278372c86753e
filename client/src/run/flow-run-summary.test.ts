import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, parseFlowRunJson, summarizeFlowRun } from "./flow-run-summary.js";

const run = {
  id: "0192",
  name: "brisk-otter",
  flowName: "orchestrator",
  state: { type: "COMPLETED", name: "Completed" },
  startTime: "2026-11-25T10:00:00.000Z",
  endTime: "2026-11-25T10:00:02.500Z",
  taskRuns: [{}, {}],
  subflowRuns: [{}],
  parameters: {},
};

describe("flow run summary", () => {
  it("says how a run ended, how long it took and what it ran", () => {
    assert.equal(summarizeFlowRun(run), "Flow run 'brisk-otter' of orchestrator ended Completed in 2.5 s (2 task runs, 1 subflow run).");
  });

  it("adds the state's message and leaves out what did not happen", () => {
    const failed = { ...run, state: { type: "FAILED", name: "Failed", message: "boom" }, endTime: null, taskRuns: [], subflowRuns: [] };
    assert.equal(summarizeFlowRun(failed), "Flow run 'brisk-otter' of orchestrator ended Failed: boom.");
  });

  it("reads the CLI's JSON and refuses anything else", () => {
    assert.equal(parseFlowRunJson(JSON.stringify(run))?.name, "brisk-otter");
    assert.equal(parseFlowRunJson("Error: no such flow"), undefined);
    assert.equal(parseFlowRunJson("{}"), undefined);
  });

  it("formats durations", () => {
    assert.equal(formatDuration(340), "340 ms");
    assert.equal(formatDuration(125_000), "2 min 5 s");
    assert.equal(formatDuration(-1), "an unknown time");
  });
});
