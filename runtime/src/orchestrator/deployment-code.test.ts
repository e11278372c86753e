// A deployment runs only code inside the project it was registered from: registration refuses a
// workDir outside the server's project directories and an entrypoint outside its workDir (links
// followed), and the worker refuses again before a run, should the store hold such a deployment.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { FlowRunRecord } from "../store/records.js";
import type { DeploymentRecord } from "./contract.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

describe("what code a deployment may run", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), "tributary-elsewhere-"));
  const marker = path.join(elsewhere, "ran.txt");
  let server: TestServer;
  const register = (deployment: Record<string, unknown>) =>
    server.api<{ error?: { code: string; message: string } }>("POST", "/api/deployments", { deployments: [{ name: "evil/x", flowName: "evil", ...deployment }] });

  before(async () => {
    // Code outside the project that would leave a mark if it ever ran.
    writeFileSync(
      path.join(elsewhere, "evil.ts"),
      `import { flow } from "tributaryjs";\nimport { writeFileSync } from "node:fs";\nexport const evil = flow("evil", async () => { writeFileSync(${JSON.stringify(marker)}, "ran"); });\n`,
    );
    mkdirSync(path.join(workspace.dir, "sub"));
    symlinkSync(path.join(elsewhere, "evil.ts"), path.join(workspace.dir, "sub", "link.ts"));
    server = await workspace.start({ scheduler: false });
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("refuses a workDir that is not one of the server's projects", async () => {
    const response = await register({ entrypoint: "evil.ts:evil", workDir: elsewhere });
    assert.equal(response.status, 403);
    assert.equal(response.body.error?.code, "FORBIDDEN_WORKDIR");
    assert.match(response.body.error!.message, /is not a project this server runs code from.*--allow-workdir/);
  });

  it("refuses an entrypoint outside its workDir: an absolute path, `..`, or a link that leads out", async () => {
    for (const entrypoint of [`${path.join(elsewhere, "evil.ts")}:evil`, `../${path.basename(elsewhere)}/evil.ts:evil`, "sub/link.ts:evil"]) {
      const response = await register({ entrypoint, workDir: workspace.dir });
      assert.equal(response.status, 403, entrypoint);
      assert.match(response.body.error!.message, /outside its workDir/, entrypoint);
    }
    assert.equal((await server.api("GET", "/api/deployments/evil%2Fx")).status, 404, "nothing was registered");
  });

  it("accepts code inside the project, in a subdirectory too", async () => {
    writeFileSync(path.join(workspace.dir, "sub", "fine.ts"), `import { flow } from "tributaryjs";\nexport const fine = flow("fine", async () => 1);\n`);
    const response = await server.api("POST", "/api/deployments", { deployments: [{ name: "fine/x", flowName: "fine", entrypoint: "fine.ts:fine", workDir: path.join(workspace.dir, "sub") }] });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });

  it("a deployment outside the projects that is in the store anyway fails its run without running it", async () => {
    const now = new Date().toISOString();
    const planted: DeploymentRecord = {
      id: "0190a0a0-0000-7000-8000-000000000001",
      name: "evil/planted",
      flowName: "evil",
      entrypoint: "evil.ts:evil",
      workDir: elsewhere,
      schedules: [],
      parameters: {},
      tags: [],
      paused: false,
      triggers: [],
      createdAt: now,
      updatedAt: now,
    };
    await server.store.saveDeployment(planted);
    await server.subscribe();
    const created = await server.api<FlowRunRecord>("POST", "/api/deployments/evil%2Fplanted/runs", {});
    assert.equal(created.status, 201);
    const failed = await server.waitForRunState(created.body.id, "Failed");
    assert.match(JSON.stringify(failed.payload), /is not a project this server runs code from/);
    assert.equal(existsSync(marker), false, "the code never ran");
  });
});
