import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { DeploymentRecord } from "../../orchestrator/contract.js";
import type { FlowRunRecord } from "../../store/records.js";
import { CliWorkspace, repoRoot } from "../test-support/cli-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";

// A budget for the whole suite, which runs several servers and CLI commands in turn: on the shared
// 2 cores at load ~37 these suites took 105 and 148 s, past the 120 s they had. It catches a hang; every wait is on an event.
describe("tributary deploy and deployment verbs, without a server running", { timeout: 600_000 }, () => {
  const workspace = new CliWorkspace();
  workspace.addFixtures("server");
  after(() => workspace.dispose());
  const deploymentCount = () => {
    const db = openSqliteConnection(workspace.dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM deployments").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it("registers what a file declares, then reports it unchanged", async () => {
    const first = await workspace.run(["deploy", "deployed-flows.ts"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^created {3}deployment add\/default$/m);
    assert.match(first.stdout, /^created {3}deployment hang\/one-at-a-time$/m);
    assert.match(first.stdout, /^created {3}deployment add\/hourly$/m);
    const again = await workspace.run(["deploy", "deployed-flows.ts"]);
    assert.match(again.stdout, /^unchanged deployment add\/default$/m);
    assert.equal(deploymentCount(), 3);
  });

  it("refuses a file with a bad cron: one line on stderr, exit 2, nothing written", async () => {
    cpSync(path.join(repoRoot, "test-fixtures/server-bad"), path.join(workspace.dir, "bad"), { recursive: true });
    const result = await workspace.run(["deploy", "deployed-flows.ts", "bad/bad-cron.ts"]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, /^tributary: .*Invalid cron expression `61 \* \* \* \*`/);
    assert.equal(deploymentCount(), 3);
  });

  it("lists and inspects deployments, with did-you-mean for a typo", async () => {
    const listed = await workspace.run(["deployment", "ls", "--json"]);
    assert.deepEqual((JSON.parse(listed.stdout) as DeploymentRecord[]).map((d) => d.name), ["add/default", "add/hourly", "hang/one-at-a-time"]);
    const table = await workspace.run(["deployment", "ls"]);
    assert.match(table.stdout, /^add\/hourly\s+every hour\s+active/m);
    const inspected = await workspace.run(["deployment", "inspect", "add/default", "--json"]);
    const d = JSON.parse(inspected.stdout) as DeploymentRecord;
    assert.deepEqual([d.entrypoint, d.parameters, d.tags, d.workDir], ["deployed-flows.ts:add", { a: 10 }, ["math"], workspace.dir]);
    const shown = await workspace.run(["deployment", "inspect", "add/default"]);
    assert.match(shown.stdout, /^Concurrency {2}unlimited\nWork pool {4}default\nIsolation {4}shared\nTriggers {5}0$/m);
    const typo = await workspace.run(["deployment", "inspect", "add/defualt"]);
    assert.equal(typo.code, 2);
    assert.equal(typo.stderr, 'tributary: No deployment named "add/defualt". Did you mean "add/default"?\n');
  });

  it("runs a deployment in process and waits for it; pause refuses runs until resume", async () => {
    const run = await workspace.run(["deployment", "run", "add/default", "--param", "b=1", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const record = JSON.parse(run.stdout) as FlowRunRecord;
    assert.deepEqual([record.state.name, record.result, record.parameters], ["Completed", 11, { a: 10, b: 1 }]);

    assert.match((await workspace.run(["deployment", "pause", "add/default"])).stdout, /Deployment add\/default is paused\./);
    const refused = await workspace.run(["deployment", "run", "add/default"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is paused; resume it with `tributary deployment resume add\/default` first/);
    assert.match((await workspace.run(["deployment", "resume", "add/default"])).stdout, /is active/);
    const badJson = await workspace.run(["deployment", "run", "add/default", "--params", "{nope"]);
    assert.equal(badJson.code, 2);
  });

  it("registers the flow's parameter schema read from its types, and refuses a bad parameter before any run exists", async () => {
    const inspected = await workspace.run(["deployment", "inspect", "add/default", "--json"]);
    const schema = (JSON.parse(inspected.stdout) as DeploymentRecord).parameterSchema as { properties: Record<string, { type: string }> };
    assert.equal(schema.properties.a?.type, "number");
    const runsBefore = (await workspace.run(["flow-run", "ls", "--json"])).stdout;
    const wrongType = await workspace.run(["deployment", "run", "add/default", "--param", 'b="two"']);
    assert.equal(wrongType.code, 2);
    assert.match(wrongType.stderr, /^tributary: Parameter "b" must be number/);
    const unknown = await workspace.run(["deployment", "run", "add/default", "--param", "c=1"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown parameter "c"/);
    assert.equal((await workspace.run(["flow-run", "ls", "--json"])).stdout, runsBefore, "no run was created");
  });

  it("tributary run starts an ephemeral server: runDeployment, automations, and every run caused printed as a tree", async () => {
    const result = await workspace.run(["run", "orchestrated.ts:upstream"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Flow run \S+ \(upstream\) Completed/);
    assert.match(result.stdout, /└─ ✓ downstream · \S+\s+Completed/);
    assert.match(result.stdout, /Runs it caused \(1\):\n↳ upstream → automation after-upstream → deployment \S+\n✓ downstream · \S+\s+Completed/);
    const automations = await workspace.run(["automation", "ls", "--json"]);
    assert.deepEqual((JSON.parse(automations.stdout) as { name: string; enabled: boolean }[]).map((a) => [a.name, a.enabled]), [["after-upstream", true]]);
    assert.match((await workspace.run(["automation", "pause", "after-upstream"])).stdout, /Automation after-upstream is paused\./);
    const unknown = await workspace.run(["automation", "inspect", "after-upstrem"]);
    assert.equal(unknown.stderr, 'tributary: No automation named "after-upstrem". Did you mean "after-upstream"?\n');
  });
});
