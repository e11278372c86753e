import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

// Flow files saved on Windows have CRLF line endings: they run as their LF twins do, and an error
// names the same line and column.
describe("tributary run on CRLF flow files", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());
  const crlfTwin = (name: string) => {
    const twin = name.replace(/\.ts$/, "-crlf.ts");
    const text = readFileSync(path.join(workspace.dir, name), "utf8");
    assert.ok(text.includes("\n") && !text.includes("\r"), `${name} is an LF file`);
    writeFileSync(path.join(workspace.dir, twin), text.replace(/\n/g, "\r\n"));
    return twin;
  };
  const summary = (run: FlowRunJson) => ({
    flowName: run.flowName,
    state: run.state,
    parameters: run.parameters,
    result: run.result,
    taskRuns: run.taskRuns.map((t) => [t.name, t.state]),
    subflowRuns: run.subflowRuns.map((r) => [r.flowName, r.state]),
  });

  it("runs a CRLF flow file to the same result as its LF twin", async () => {
    const args = ["--param", "n=3", "--param", "label=crlf", "--json"];
    const twin = crlfTwin("completing-flow.ts");
    const lf = await workspace.run(["run", "completing-flow.ts", ...args]);
    const crlf = await workspace.run(["run", `${twin}:parentFlow`, ...args]);
    assert.equal(lf.code, 0, lf.stderr);
    assert.equal(crlf.code, 0, crlf.stderr);
    assert.deepEqual(summary(JSON.parse(crlf.stdout) as FlowRunJson), summary(JSON.parse(lf.stdout) as FlowRunJson));
    assert.equal((JSON.parse(crlf.stdout) as FlowRunJson).state.name, "Completed");
  });

  it("points at the same line and column when a CRLF flow file throws while loading", async () => {
    const twin = crlfTwin("throws-on-load.ts");
    const [lf, crlf] = await Promise.all([workspace.run(["run", "throws-on-load.ts"]), workspace.run(["run", twin])]);
    assert.equal(crlf.code, lf.code);
    const where = (stderr: string) => /\(at [^:]+:(\d+:\d+)\)/.exec(stderr)?.[1];
    assert.equal(where(lf.stderr), "5:33");
    assert.equal(where(crlf.stderr), where(lf.stderr), crlf.stderr);
  });
});
