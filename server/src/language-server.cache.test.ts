import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generatedFilePath, generateWorkspace, writeWorkspace } from "../../test-fixtures/generate-workspace.js";
import { after, test } from "node:test";
import { copyFixture, LspTestClient } from "./test-support/lsp-test-client.js";

// The language server and `tributary check` share a folder's summary cache (.tributary/cache):
// a trusted workspace's first reading writes it and the next server start reads it; a workspace
// in Restricted Mode has nothing written into it.
const fixtures: { dispose(): void }[] = [];
after(() => fixtures.forEach((f) => f.dispose()));

function fixture(relative: string): string {
  const copy = copyFixture(relative, { packageInstalled: false });
  fixtures.push(copy);
  return copy.dir;
}

const analysed = /analysed (\d+) flow files in \d+ ms \((\d+) summaries from the cache, (\d+) files' facts from the cache\)/;

async function readFolder(dir: string, trusted: boolean, waitForCache: boolean): Promise<{ files: number; fromCache: number; factsFromCache: number }> {
  const client = await LspTestClient.start(dir, { workspaceTrusted: trusted });
  try {
    const [, files, fromCache, factsFromCache] = analysed.exec(await client.logged(analysed))!.map(Number);
    await client.diagnostics(path.join(dir, "downstream.ts"), (d) => d.some((x) => x.code === "TRB100"));
    if (waitForCache) assert.match(await client.logged(/kept \d+ file summaries in .*'s cache/), new RegExp(`kept ${files} file summaries`));
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
    return { files: files!, fromCache: fromCache!, factsFromCache: factsFromCache! };
  } finally {
    if (client.isRunning) client.kill();
  }
}

test("a trusted workspace: the first reading keeps every flow file's summary and facts, the next server start takes every file's facts and finds the same cycle", async () => {
  const dir = fixture("test-fixtures/analysis/run-deployment-cycle");
  const first = await readFolder(dir, true, true);
  assert.ok(first.files >= 2);
  assert.equal(first.fromCache, 0);
  assert.equal(first.factsFromCache, 0);
  assert.equal(readdirSync(path.join(dir, ".tributary", "cache", "summaries")).filter((n) => n.endsWith(".json")).length, first.files);
  const second = await readFolder(dir, true, false);
  assert.equal(second.factsFromCache, second.files, "every flow file's facts come from the cache");
  // Summaries are read only where something asks for them (the suppressions of a file with findings), from the cache.
  assert.ok(second.fromCache > 0 && second.fromCache <= second.files, String(second.fromCache));
});

test("Restricted Mode: the server reads no cache and writes nothing into the workspace", async () => {
  const dir = fixture("test-fixtures/analysis/run-deployment-cycle");
  // A cache a trusted reading wrote earlier is not read either.
  await readFolder(dir, true, true);
  const restricted = await readFolder(dir, false, false);
  assert.equal(restricted.fromCache, 0);
  const fresh = fixture("test-fixtures/analysis/run-deployment-cycle");
  await readFolder(fresh, false, false);
  assert.equal(existsSync(path.join(fresh, ".tributary")), false);
});

test("a cold start that parsed 500 files collects their garbage once, before the first diagnostics", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-lsp-collect-"));
  fixtures.push({ dispose: () => rmSync(dir, { recursive: true, force: true }) });
  writeWorkspace(dir, generateWorkspace(500));
  const client = await LspTestClient.start(dir, { workspaceTrusted: false });
  try {
    await client.diagnostics(path.join(dir, generatedFilePath(0)));
    const collected = client.logs.filter((line) => line.includes("collected the garbage"));
    assert.equal(collected.length, 1, client.logs.join("\n"));
    assert.match(collected[0]!, /collected the garbage of parsing 500 files in \d+ ms/);
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});
