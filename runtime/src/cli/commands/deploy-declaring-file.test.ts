// A deployment belongs to the file that declares it: `tributary deploy` of files that import each
// other sees each deployment once, deploying a file never re-points a deployment it only imports,
// and `deploy <dir>` takes the flow files `check <dir>` would, with the project's include/exclude.
import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliWorkspace, repoRoot } from "../test-support/cli-workspace.js";

interface Registered {
  deployments: { name: string; status: string; record: { entrypoint: string } }[];
  automations: { name: string; status: string }[];
}

describe("tributary deploy: a deployment belongs to the file that declares it", { timeout: 300_000 }, () => {
  const workspace = new CliWorkspace();
  cpSync(path.join(repoRoot, "examples"), path.join(workspace.dir, "examples"), { recursive: true });
  after(() => workspace.dispose());

  const entrypoints = async () => {
    const result = await workspace.run(["deployment", "ls", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as { name: string; entrypoint: string }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.entrypoint]));
  };

  it("deploys files that import each other, each deployment once, from its own file", async () => {
    const result = await workspace.run(["deploy", "examples/demo-flow-dependencies.ts", "examples/data-processing-flow.ts", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const registered = JSON.parse(result.stdout) as Registered;
    assert.deepEqual(registered.deployments.map((d) => d.name), ["data-processing-flow/data-processing-demo"]);
    assert.equal(registered.deployments[0]!.record.entrypoint, "examples/data-processing-flow.ts:dataProcessing");
  });

  it("does not re-point a deployment that a deployed file only imports", async () => {
    for (const file of ["examples/demo-flow-dependencies.ts", "examples/orchestrator-flow.ts"]) {
      const result = await workspace.run(["deploy", file]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Nothing to register/, `${file} declares nothing of its own`);
    }
    assert.deepEqual(await entrypoints(), { "data-processing-flow/data-processing-demo": "examples/data-processing-flow.ts:dataProcessing" });
  });

  it("deploys a directory as check reads it, with the project's include and exclude", async () => {
    writeFileSync(path.join(workspace.dir, "tributary.config.json"), JSON.stringify({ exclude: ["examples/upstream-flow.ts"] }));
    const result = await workspace.run(["deploy", "examples", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const registered = JSON.parse(result.stdout) as Registered;
    assert.deepEqual(registered.deployments.map((d) => `${d.name} ${d.status}`).sort(), [
      "data-processing-flow/data-processing-demo unchanged",
      "downstream-flow/downstream-processing created",
    ]);
    assert.deepEqual(registered.automations.map((a) => a.name), ["downstream-after-upstream"]);
    const where = await entrypoints();
    assert.equal(where["downstream-flow/downstream-processing"], "examples/downstream-flow.ts:downstream");
    assert.equal(where["upstream-flow/upstream-data-preparation"], undefined, "the excluded file is not deployed");
  });

  it("names a directory that does not exist", async () => {
    const missing = await workspace.run(["deploy", "no-such-dir"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-dir/);
  });
});
