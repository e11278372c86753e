import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";
import { DidChangeWorkspaceFoldersNotification } from "vscode-languageserver-protocol";
import { GraphRequest } from "./protocol.js";
import { copyFixture, LspTestClient, uriOf } from "./test-support/lsp-test-client.js";

const cycle = copyFixture("test-fixtures/analysis/run-deployment-cycle");
const loop = copyFixture("test-fixtures/analysis/trigger-loop-automation");
after(() => {
  cycle.dispose();
  loop.dispose();
});

test("each workspace folder is its own project; a folder removed has its diagnostics cleared", async () => {
  const client = await LspTestClient.start([cycle.dir, loop.dir]);
  try {
    const [inCycle] = await client.diagnostics(path.join(cycle.dir, "downstream.ts"), (d) => d.length > 0);
    assert.equal(inCycle!.code, "TRB100");
    const [inLoop] = await client.diagnostics(path.join(loop.dir, "flow-a.ts"), (d) => d.length > 0);
    assert.equal(inLoop!.code, "TRB101");
    const graph = await client.connection.sendRequest(GraphRequest.type, { uri: uriOf(path.join(loop.dir, "flow-b.ts")) });
    assert.ok(graph.nodes.some((n) => n.id === "flow:flow-a"));
    assert.ok(!graph.nodes.some((n) => n.id === "flow:upstream-flow"), "the other folder's flows are not in this graph");

    await client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [{ uri: uriOf(cycle.dir), name: "cycle" }] } });
    await client.diagnostics(path.join(cycle.dir, "downstream.ts"), (d) => d.length === 0);
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});
