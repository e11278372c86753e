import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { makeState } from "../../states.js";
import type { FlowRunRecord } from "../../store/records.js";
import { openSqliteStore } from "../../store/sqlite-store.js";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/**
 * Run ids are UUIDv7: their first 8 digits are the top of a millisecond clock and change every
 * 65.5 s, so runs made close together share them. The store gets decoy runs whose ids share the
 * first 8 digits with any run made in the next minute, and two runs that share a name.
 */
function decoy(id: string, name: string): FlowRunRecord {
  const at = new Date();
  return { id, name, flowName: "decoy-flow", state: makeState("Completed", at), parameters: {}, tags: [], runCount: 1, createdAt: at.toISOString() };
}

describe("run ids in the CLI", () => {
  const workspace = new CliWorkspace();
  let text: { code: number | null; stdout: string; stderr: string };

  before(async () => {
    mkdirSync(workspace.home, { recursive: true });
    const store = openSqliteStore(workspace.dbPath);
    const clockTop = Math.floor(Date.now() / 65_536);
    for (const [i, top] of [clockTop, clockTop + 1].entries()) {
      store.createFlowRun(decoy(`${top.toString(16).padStart(8, "0")}-0000-7000-8000-00000000000${i}`, `twin-runs`));
    }
    await store.flush();
    await store.close();
    text = await workspace.run(["run", "failing-flow.ts"]);
  });
  after(() => workspace.dispose());

  it("`tributary run` prints the run id, and a logs hint with a prefix unique in the store", async () => {
    assert.equal(text.code, 1, text.stderr);
    const id = /^Run id: ([0-9a-f-]{36})$/m.exec(text.stdout)?.[1];
    assert.ok(id, `no run id line in:\n${text.stdout}`);
    const prefix = /^Logs: tributary flow-run logs (\S+)$/m.exec(text.stdout)?.[1];
    assert.ok(prefix !== undefined && id.startsWith(prefix) && prefix.length > 8 && !prefix.endsWith("-"), `bad hint prefix ${prefix} for ${id}`);
    const logs = await workspace.run(["flow-run", "logs", prefix]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /\| ERROR +\| task-run write-report-0 \|/);
    // One character fewer is not unique: the hint is the shortest prefix that is.
    const shorter = prefix.slice(0, prefix.at(-2) === "-" ? -2 : -1);
    const ambiguous = await workspace.run(["flow-run", "logs", shorter]);
    assert.equal(ambiguous.code, 2, ambiguous.stdout);
    assert.match(ambiguous.stderr, /matches several flow runs/);
  });

  it("`flow-run inspect` and `flow-run logs` take a run name", async () => {
    const id = /^Run id: ([0-9a-f-]{36})$/m.exec(text.stdout)![1]!;
    const name = /^Flow run (\S+) \(failing-flow\) Failed/m.exec(text.stdout)![1]!;
    const inspect = await workspace.run(["flow-run", "inspect", name, "--json"]);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal((JSON.parse(inspect.stdout) as FlowRunJson).id, id);
    const logs = await workspace.run(["flow-run", "logs", name]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, new RegExp(`\\| flow-run ${name} \\|`));
  });

  it("refuses a name that several runs have, naming them, with exit code 2", async () => {
    const result = await workspace.run(["flow-run", "inspect", "twin-runs"]);
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stderr, /^tributary: "twin-runs" is the name of 2 flow runs: /);
    assert.match(result.stderr, /-0000-7000-8000-000000000000/);
    assert.match(result.stderr, /-0000-7000-8000-000000000001/);
    assert.match(result.stderr, /give one's id/);
  });
});
