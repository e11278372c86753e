import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { DidChangeWatchedFilesNotification, FileChangeType, type Diagnostic } from "vscode-languageserver-protocol";
import type { CheckJsonFinding } from "./analysis/index.js";
import { copyFixture, LspTestClient, repoRoot, uriOf } from "./test-support/lsp-test-client.js";

const MONOREPOS = ["monorepo-npm", "monorepo-pnpm", "monorepo-exports-subpaths", "monorepo-project-references", "monorepo-facade-package"];
const copies = MONOREPOS.map((name) => ({ name, ...copyFixture(`test-fixtures/analysis/${name}`) }));
after(() => {
  for (const copy of copies) copy.dispose();
});

const cycleOf = (name: string) => (JSON.parse(readFileSync(path.join(repoRoot, "test-fixtures/analysis", name, "expected.json"), "utf8")) as CheckJsonFinding[]).find((f) => f.code === "TRB100")!;
const isCycle = (d: Diagnostic) => d.code === "TRB100";

test("the language server reports each monorepo's cycle across packages, with every hop in its own package's file (and flow files that import tributaryjs through a workspace package)", async () => {
  const client = await LspTestClient.start(copies.map((c) => c.dir));
  try {
    for (const { name, dir } of copies) {
      const expected = cycleOf(name);
      const [diagnostic] = (await client.diagnostics(path.join(dir, expected.file), (d) => d.some(isCycle))).filter(isCycle);
      assert.equal(diagnostic!.message, expected.message, name);
      assert.equal(diagnostic!.severity, 1, name);
      assert.deepEqual(
        diagnostic!.relatedInformation?.map((r) => ({ uri: r.location.uri, line: r.location.range.start.line + 1, column: r.location.range.start.character + 1, message: r.message })),
        expected.related.map((r) => ({ uri: uriOf(path.join(dir, r.file)), line: r.line, column: r.column, message: r.message })),
        name,
      );
    }
    const broken = path.join(copies[0]!.dir, "packages/broken/package.json");
    assert.match(await client.logged(/is not valid JSON/), new RegExp(`^Tributary: ${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: It is not valid JSON \\(.+\\)\\. Imports of this package by name are not followed\\.$`));
    assert.deepEqual(client.errors, []);
  } finally {
    if (client.isRunning) client.kill();
  }
});

test("an edit in one package clears the cycle reported in the other, and undoing it brings it back", async () => {
  const { dir } = copies[0]!;
  const ingest = path.join(dir, "packages/ingest/src/ingest.ts");
  const transform = path.join(dir, "packages/transform/src/index.ts");
  const client = await LspTestClient.start(dir);
  try {
    await client.diagnostics(ingest, (d) => d.some(isCycle));
    const text = readFileSync(transform, "utf8");
    await client.open(transform, text);
    await client.change(transform, text.replace('runDeployment("ingest/nightly"', 'runDeployment("ingest/weekly"'));
    await client.diagnostics(ingest, (d) => !d.some(isCycle));
    await client.change(transform, text);
    await client.diagnostics(ingest, (d) => d.some(isCycle));
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});

test("pnpm-workspace.yaml changed on disk: the packages it declares are read again", async () => {
  const { dir } = copies[1]!;
  const orders = path.join(dir, "apps/orders/src/main.ts");
  const declaration = path.join(dir, "pnpm-workspace.yaml");
  const text = readFileSync(declaration, "utf8");
  const changed = () => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(declaration), type: FileChangeType.Changed }] });
  const client = await LspTestClient.start(dir);
  try {
    await client.diagnostics(orders, (d) => d.some(isCycle));
    writeFileSync(declaration, 'packages:\n  - "apps/*"\n');
    await changed();
    await client.diagnostics(orders, (d) => !d.some(isCycle));
    writeFileSync(declaration, text);
    await changed();
    await client.diagnostics(orders, (d) => d.some(isCycle));
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});
