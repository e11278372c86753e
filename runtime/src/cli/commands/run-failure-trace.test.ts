import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliWorkspace } from "../test-support/cli-workspace.js";

// The task's code throws two helpers deep; line 5 is the throw, line 9 the call of the helper,
// line 13 the task's body.
const FLOW = `import { flow, task } from "tributaryjs";

function checkRow(row: string): void {
  // the next line throws
  if (row === "bad") throw new Error(\`cannot parse row "\${row}"\`);
}

function parseRow(row: string): number {
  checkRow(row);
  return Number(row);
}

export const load = task("load", async (rows: string[]) => rows.map(parseRow));

export const etl = flow("etl", async () => {
  return await load(["1", "bad"]);
});
`;

const ENGINE_FRAME = /runtime[\\/](dist|src)[\\/]|node:internal|node_modules/;

describe("tributary run: a failed task's stack trace", () => {
  const workspace = new CliWorkspace();
  mkdirSync(path.join(workspace.dir, "flows"));
  writeFileSync(path.join(workspace.dir, "flows/parse-fails.ts"), FLOW);
  after(() => workspace.dispose());

  it("is printed once, message first, then the user's frames as file:line of the .ts source relative to the cwd, the engine's folded", async () => {
    const result = await workspace.run(["run", "flows/parse-fails.ts"]);
    assert.equal(result.code, 1, result.stderr);
    const out = result.stdout;
    assert.equal(out.match(/Error: cannot parse row "bad"/g)?.length, 1, `the trace is printed once:\n${out}`);
    const lines = out.split("\n");
    const head = lines.findIndex((l) => l.includes('| ERROR | Failed: Error: cannot parse row "bad"'));
    assert.ok(head >= 0 && lines[head]!.includes("task-run load-0"), out);
    assert.deepEqual(lines.slice(head + 1, head + 4), ["    at checkRow (flows/parse-fails.ts:5:28)", "    at parseRow (flows/parse-fails.ts:9:3)", "    at Object.fn (flows/parse-fails.ts:13:65)"]);
    assert.match(lines[head + 4]!, /^ {4}… \d+ frames in tributaryjs and node internals \(--verbose shows them\)$/);
    assert.equal(out.match(/parse-fails\.ts:5:28/g)?.length, 1, "the throw's place appears once");
    assert.doesNotMatch(out, ENGINE_FRAME, "no engine frame by default");
    assert.match(out, /\| flow-run [a-z]+-[a-z]+ \| ERROR \| Failed: Task run 'load-0' failed: cannot parse row "bad" \(see the task run's log\)\n/);
  });

  it("reads the same from flow-run logs, and whole with --verbose (run and logs)", async () => {
    const verbose = await workspace.run(["run", "flows/parse-fails.ts", "--verbose"]);
    assert.equal(verbose.code, 1, verbose.stderr);
    assert.match(verbose.stdout, /at checkRow \(.*[\\/]flows[\\/]parse-fails\.ts:5:28\)/);
    assert.match(verbose.stdout, ENGINE_FRAME, "--verbose shows the engine's frames");
    assert.doesNotMatch(verbose.stdout, /frames in tributaryjs/);
    const id = /Run id: (\S+)/.exec(verbose.stdout)![1]!;

    const logs = await workspace.run(["flow-run", "logs", id]);
    assert.equal(logs.code, 0, logs.stderr);
    const lines = logs.stdout.split("\n");
    const head = lines.findIndex((l) => l.endsWith('| Failed: Error: cannot parse row "bad"'));
    assert.ok(head >= 0, logs.stdout);
    assert.deepEqual(lines.slice(head + 1, head + 4), ["    at checkRow (flows/parse-fails.ts:5:28)", "    at parseRow (flows/parse-fails.ts:9:3)", "    at Object.fn (flows/parse-fails.ts:13:65)"]);
    assert.match(lines[head + 4]!, /^ {4}… \d+ frames in tributaryjs and node internals \(--verbose shows them\)$/);
    assert.doesNotMatch(logs.stdout, ENGINE_FRAME);
    assert.equal(logs.stdout.match(/Error: cannot parse row/g)?.length, 1);

    const whole = await workspace.run(["flow-run", "logs", id, "--verbose"]);
    assert.match(whole.stdout, ENGINE_FRAME, "the store keeps the whole trace");
  });
});
