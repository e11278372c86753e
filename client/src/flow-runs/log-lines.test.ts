import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { formatLogLine, formatStateLine, logSource, logTimestamp } from "./log-lines.js";

// The grammar's own pattern for a line: what it colours, these lines must match.
const grammar = JSON.parse(readFileSync(path.resolve(__dirname, "../../../syntaxes/tributary-log.tmLanguage.json"), "utf8")) as { repository: { line: { match: string } } };
const LINE = new RegExp(grammar.repository.line.match);

describe("log document lines", () => {
  const at = "2026-11-25T10:00:00.123Z";

  it("formats a log line as the CLI does, which the tributary-log grammar matches", () => {
    const line = formatLogLine({ timestamp: at, level: "warning", message: "disk almost full" }, logSource("task-run", "extract-0", "0199"));
    assert.equal(line, `${logTimestamp(at)} | WARNING | task-run extract-0 | disk almost full`);
    const match = LINE.exec(line);
    assert.ok(match, line);
    assert.equal(match[5], "WARNING");
    assert.equal(match[9], "extract-0");
  });

  it("names a source by the start of its id when its name is unknown, and indents the rest of a multi-line message", () => {
    const line = formatLogLine({ timestamp: at, level: "error", message: "boom\n  at f()" }, logSource("flow-run", undefined, "0199abcd-ffff"));
    assert.equal(line.split("\n")[1], "      at f()");
    assert.match(line.split("\n")[0]!, /\| ERROR {3}\| flow-run 0199abcd \| boom$/);
  });

  it("writes a state change as a line with an arrow and the state, at error level for a failure", () => {
    const line = formatStateLine({ type: "FAILED", name: "Failed", message: "Task extract-0 failed\ntrace", timestamp: at }, "flow-run brisk-otter");
    assert.match(line, /\| ERROR {3}\| flow-run brisk-otter \| → Failed: Task extract-0 failed$/);
    assert.ok(LINE.test(line));
    assert.match(formatStateLine({ type: "COMPLETED", name: "Completed", timestamp: at }, "flow-run x"), /\| INFO {4}\| flow-run x \| → Completed$/);
  });

  it("prints local time with milliseconds", () => {
    const date = new Date(at);
    assert.match(logTimestamp(at), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.123$/);
    assert.equal(Number(logTimestamp(at).slice(11, 13)), date.getHours());
  });
});
