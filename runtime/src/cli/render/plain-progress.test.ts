import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunEvent } from "../../engine/run-events.js";
import type { OutputStream } from "../cli-context.js";
import { PlainProgress } from "./plain-progress.js";

const at = "2024-01-01T12:00:00.000Z";

function recordingStream(name: string, writes: string[]): OutputStream {
  return {
    write: (text: string) => {
      writes.push(`${name}:${text}`);
      return true;
    },
  };
}

function log(message: string): RunEvent {
  return { kind: "log", log: { flowRunId: "root", level: "info", message, timestamp: at } };
}

describe("PlainProgress", () => {
  it("writes the lines of one turn in one chunk, in order; stderr after what stdout held; stop() writes the rest", async () => {
    const writes: string[] = [];
    const progress = new PlainProgress("root", recordingStream("out", writes), recordingStream("err", writes));
    progress.onEvent(log("one"));
    progress.onOutput("printed by the flow", "stdout");
    progress.onEvent(log("two"));
    assert.deepEqual(writes, [], "nothing is written before the turn ends");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writes.length, 1);
    assert.match(writes[0]!, /^out:.*\| INFO \| one\nprinted by the flow\n.*\| INFO \| two\n$/);

    progress.onEvent(log("three"));
    progress.note("Cancelling the run");
    progress.onEvent(log("four"));
    progress.stop();
    assert.equal(writes.length, 4);
    assert.match(writes[1]!, /^out:.*\| INFO \| three\n$/);
    assert.equal(writes[2], "err:Cancelling the run\n");
    assert.match(writes[3]!, /^out:.*\| INFO \| four\n$/);
  });
});
