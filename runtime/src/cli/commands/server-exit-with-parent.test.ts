import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { clientOfRecordedServer } from "../../orchestrator/test-support/authorized-client.js";
import { repoRoot } from "../../orchestrator/test-support/server-harness.js";
import { removeWorkspace } from "../../test-support/remove-workspace.js";

const cliBin = path.join(repoRoot, "runtime/bin/tributary.js");

/** The server as an editor starts it: stdin a pipe the editor holds. */
function startWithPipe(dir: string, extra: string[]) {
  const child = spawn(process.execPath, [cliBin, "server", "start", "--port", "0", ...extra], {
    cwd: dir,
    env: { ...process.env, TRIBUTARY_HOME: path.join(dir, ".tributary"), TRIBUTARY_API_URL: "", TRIBUTARY_API_TOKEN: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${String(code)}) before listening: ${stdout}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, listening, exited, output: () => stdout };
}

describe("tributary server start --exit-with-parent", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-exit-with-parent-"));
  after(() => removeWorkspace(dir));

  it("stops, closing its store, when the parent closes stdin", async () => {
    const server = startWithPipe(dir, ["--exit-with-parent"]);
    const url = await server.listening;
    const client = clientOfRecordedServer(path.join(dir, ".tributary", "tributary.db"));
    assert.equal((await client.fetch(`${url}/api/health`)).status, 200);
    server.child.stdin.end();
    assert.equal(await server.exited, 0);
    assert.match(server.output(), /Stopping the server: its parent closed stdin/);
    await assert.rejects(client.fetch(`${url}/api/health`), "nothing listens any more");
    assert.equal(existsSync(path.join(dir, ".tributary", "server.json")), false, "the server removed its server.json");
  });

  it("keeps running after stdin closes without the option", async () => {
    const server = startWithPipe(dir, []);
    const url = await server.listening;
    server.child.stdin.end();
    // A request answered after the close shows the server did not stop on it.
    assert.equal((await clientOfRecordedServer(path.join(dir, ".tributary", "tributary.db")).fetch(`${url}/api/health`)).status, 200);
    assert.equal(server.child.exitCode, null);
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });
});
