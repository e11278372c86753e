import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CliWorkspace } from "../test-support/cli-workspace.js";

/** A deployment whose flow runs another deployment: runs with a deployment, tags, a parent and a chain. */
const FLOWS = [
  'import { deploy, flow, runDeployment } from "tributaryjs";',
  'export const callee = flow("callee-flow", async ({ n, label = "x" }: { n: number; label?: string }) => `${label}${n * 2}`);',
  'export const caller = flow("caller-flow", async () => {',
  '  await runDeployment("callee-flow/callee", { parameters: { n: 21 }, timeoutSeconds: 0 });',
  '  return "called";',
  "});",
  'export const calleeDeployment = deploy(callee, { name: "callee", tags: ["downstream"] });',
  'export const callerDeployment = deploy(caller, { name: "caller", tags: ["nightly"] });',
  "",
].join("\n");

interface RunJson {
  id: string;
  name: string;
  flowName: string;
  parameters: Record<string, unknown>;
  tags: string[];
  deploymentName: string | null;
  deploymentId: string | null;
  parentFlowRunId: string | null;
  chain: { kind: string; id: string; name: string }[];
  causedRuns: { id: string; name: string; flowName: string; state: { name: string } }[];
}

describe("flow-run inspect and ls show how runs are linked", () => {
  const workspace = new CliWorkspace();
  let caller: RunJson;
  let callee: RunJson;

  before(async () => {
    writeFileSync(path.join(workspace.dir, "linked.ts"), FLOWS);
    const deploy = await workspace.run(["deploy", "linked.ts"]);
    assert.equal(deploy.code, 0, deploy.stderr);
    const run = await workspace.run(["deployment", "run", "caller-flow/caller", "--watch"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const ls = await workspace.run(["flow-run", "ls", "--json"]);
    assert.equal(ls.code, 0, ls.stderr);
    const rows = JSON.parse(ls.stdout) as RunJson[];
    caller = rows.find((row) => row.flowName === "caller-flow")!;
    callee = rows.find((row) => row.flowName === "callee-flow")!;
    assert.ok(caller && callee, ls.stdout);
  });
  after(() => workspace.dispose());

  it("`flow-run ls --json` carries each run's parameters, tags and deployment", () => {
    assert.deepEqual(callee.parameters, { n: 21 });
    assert.deepEqual(callee.tags, ["downstream"]);
    assert.equal(callee.deploymentName, "callee-flow/callee");
    assert.equal(typeof callee.deploymentId, "string");
    assert.deepEqual(caller.tags, ["nightly"]);
    assert.equal(caller.deploymentName, "caller-flow/caller");
  });

  it("`flow-run inspect --json` has the deployment, tags, parent, causal chain and the runs it caused", async () => {
    const inspect = async (id: string) => {
      const result = await workspace.run(["flow-run", "inspect", id, "--json"]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout) as RunJson;
    };
    const calleeJson = await inspect(callee.id);
    assert.equal(calleeJson.deploymentName, "callee-flow/callee");
    assert.deepEqual(calleeJson.tags, ["downstream"]);
    assert.equal(calleeJson.parentFlowRunId, caller.id);
    assert.deepEqual(
      calleeJson.chain.map((link) => `${link.kind} ${link.name}`),
      ["deployment caller-flow/caller", "flow-run caller-flow", "deployment callee-flow/callee", "flow-run callee-flow"],
    );
    assert.deepEqual(calleeJson.causedRuns, []);
    const callerJson = await inspect(caller.id);
    assert.equal(callerJson.parentFlowRunId, null);
    assert.deepEqual(callerJson.causedRuns.map((run) => [run.id, run.flowName, run.state.name]), [[callee.id, "callee-flow", "Completed"]]);
  });

  it("`flow-run inspect` prints them as text", async () => {
    const callerText = await workspace.run(["flow-run", "inspect", caller.id]);
    assert.match(callerText.stdout, /^Deployment {2}caller-flow\/caller$/m);
    assert.match(callerText.stdout, /^Tags {8}nightly$/m);
    assert.match(callerText.stdout, /^Parent run {2}-$/m);
    assert.match(callerText.stdout, /^Caused by {3}deployment caller-flow\/caller$/m);
    assert.match(callerText.stdout, new RegExp(`^Runs it caused \\(1\\)\\n {2}${callee.name} \\(callee-flow\\) Completed {2}${callee.id}  via deployment callee-flow/callee$`, "m"));
    const calleeText = await workspace.run(["flow-run", "inspect", callee.id]);
    assert.match(calleeText.stdout, new RegExp(`^Parent run {2}${caller.name} \\(${caller.id}\\)$`, "m"));
    assert.match(calleeText.stdout, /^Caused by {3}deployment caller-flow\/caller → caller-flow → deployment callee-flow\/callee$/m);
    assert.match(calleeText.stdout, /^Runs it caused \(0\)$/m);
  });

  it("`deployment inspect` shows the parameter schema", async () => {
    const result = await workspace.run(["deployment", "inspect", "callee-flow/callee"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Parameter schema$/m);
    assert.match(result.stdout, /^ {2}n {6}number, required$/m);
    assert.match(result.stdout, /^ {2}label {2}string, default "x"$/m);
  });
});
