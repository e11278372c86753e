// `tributary run` checks parameters against the schema read from the flow's types, as Prefect
// validates a flow's parameters on every call: bad input is refused before anything is written,
// `--param` values are coerced by the schema, and a direct call with a wrong value fails its run.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

const TAKES = /Flow "typed" takes n \(number\), label\? \(string\), on\? \(boolean\); pass each as --param name=value\./;

const refusals: { what: string; args: string[]; message: RegExp }[] = [
  { what: "a value of the wrong type", args: ["--param", "n=abc"], message: /^tributary: Parameter "n" of flow "typed" must be number, got `"abc"` \(string\)\. / },
  { what: "a missing required parameter", args: ["--param", "label=x"], message: /^tributary: Missing required parameter "n" of flow "typed"\. / },
  { what: "an unknown parameter", args: ["--param", "n=1", "--param", "colour=red"], message: /^tributary: Unknown parameter "colour": the flow "typed" does not take it\. / },
  { what: "a wrong type in --params", args: ["--params", '{"n": 1, "on": "yes"}'], message: /^tributary: Parameter "on" of flow "typed" must be boolean, got `"yes"` \(string\)\. / },
];

describe("tributary run validates parameters against the flow's schema", { timeout: 300_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("parameters");
  after(() => workspace.dispose());

  for (const { what, args, message } of refusals) {
    it(`refuses ${what} with exit code 2, naming the parameter, and writes nothing`, async () => {
      const before = workspace.countFlowRuns();
      const result = await workspace.run(["run", "typed-flows.ts:typed", ...args]);
      assert.equal(result.code, 2, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
      const lines = result.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, message);
      assert.match(lines[0]!, TAKES);
      assert.equal(result.stdout, "");
      assert.equal(workspace.countFlowRuns(), before, "no run was written");
    });
  }

  it("coerces --param values by the schema: a number gets a number, a boolean a boolean, a string stays a string", async () => {
    const result = await workspace.run(["run", "typed-flows.ts:typed", "--param", "n=5", "--param", "label=7", "--param", "on=true", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.deepEqual(run.result, { n: "number", label: "string", on: "boolean" });
    assert.deepEqual(run.parameters, { n: 5, label: "7", on: true });
  });

  it("fails a direct call with a wrong value, naming the parameter and the value", async () => {
    const result = await workspace.run(["run", "typed-flows.ts:callsWrong", "--json"]);
    assert.equal(result.code, 1, result.stderr);
    const run = JSON.parse(result.stdout) as FlowRunJson;
    assert.equal(run.state.name, "Failed");
    const child = run.subflowRuns.find((r) => r.flowName === "typed");
    assert.ok(child, JSON.stringify(run));
    assert.equal(child.state.name, "Failed");
    assert.match(child.state.message ?? "", /^Parameter "n" of flow "typed" must be number, got `"abc"` \(string\)\.$/);
  });

  it("leaves a flow with validateParameters: false unchecked", async () => {
    const result = await workspace.run(["run", "typed-flows.ts:callsUnchecked", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as FlowRunJson).result, "string");
  });
});
