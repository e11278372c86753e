import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newRunId } from "./run-ids.js";

describe("newRunId", () => {
  it("makes RFC 9562 version 7 UUIDs", () => {
    const id = newRunId(Date.parse("2026-11-25T00:00:00Z"));
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replace(/-/g, "").slice(0, 12), 16), Date.parse("2026-11-25T00:00:00Z"));
  });

  it("sorts ids in the order they were made, also within one millisecond, and never repeats", () => {
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) ids.push(newRunId(1_000_000 + Math.floor(i / 1000)));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
