import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType, HoverRequest } from "vscode-languageserver-protocol";
import { copyFixture, installRepositoryPackage, LspTestClient, uriOf } from "./test-support/lsp-test-client.js";

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A project with tributaryjs installed (else TRB160 joins every flow file's diagnostics). */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-lsp-config-"));
  made.push(dir);
  installRepositoryPackage(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const FLOW_A = [
  'import { deploy, flow } from "tributaryjs";',
  'const name = process.env.FLOW_NAME ?? "dynamic";',
  "export const dynamic = flow(name, async () => 1);",
  'export const a = flow("a", async () => 1);',
  'export const aDeployment = deploy(a, { name: "manual" });',
  "",
].join("\n");
const FLOW_B = ['import { flow, runDeployment } from "tributaryjs";', 'export const b = flow("b", async () => {', '  await runDeployment("missing/deployment");', "});", ""].join("\n");

const codes = (diagnostics: { code?: string | number; severity?: DiagnosticSeverity }[]) => diagnostics.map((d) => `${String(d.code)} ${d.severity}`).sort();

test("the language server applies the folder's config, reads it again when it changes, and survives a bad one", async () => {
  const dir = workspace({
    "package.json": JSON.stringify({ name: "demo", private: true }),
    "tributary.config.json": JSON.stringify({ exclude: ["flows/generated/**"], severity: { TRB150: "off", TRB130: "error" } }),
    "flows/a.ts": FLOW_A,
    "flows/generated/b.ts": FLOW_B,
  });
  const a = path.join(dir, "flows/a.ts");
  const b = path.join(dir, "flows/generated/b.ts");
  const config = path.join(dir, "tributary.config.json");
  const client = await LspTestClient.start(dir);
  const changed = (file: string) => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(file), type: FileChangeType.Changed }] });
  try {
    assert.match(await client.logged(/analysed \d+ flow files/), /analysed 1 flow files/, "the excluded file is not part of the project");
    assert.deepEqual(codes(await client.diagnostics(a, (d) => d.length > 0)), [`TRB130 ${DiagnosticSeverity.Error}`], "TRB150 off, TRB130 an error");

    // The config changes on disk: everything is read again with the new one.
    writeFileSync(config, JSON.stringify({ severity: { TRB130: "hint" } }));
    await changed(config);
    assert.deepEqual(codes(await client.diagnostics(b, (d) => d.length > 0)), [`TRB110 ${DiagnosticSeverity.Error}`], "no longer excluded");
    assert.deepEqual(codes(await client.diagnostics(a, (d) => d.length === 2)), [`TRB130 ${DiagnosticSeverity.Hint}`, `TRB150 ${DiagnosticSeverity.Hint}`]);

    // A bad config: one diagnostic on it, a warning in the log, the folder checked with the defaults.
    writeFileSync(config, JSON.stringify({ severity: { TRB150: "fatal" } }));
    await changed(config);
    const [problem, ...more] = await client.diagnostics(config, (d) => d.length > 0);
    assert.equal(more.length, 0);
    const message = typeof problem!.message === "string" ? problem!.message : problem!.message.value;
    assert.match(message, /"severity\.TRB150" is "fatal" \(string\); use one of error, warning, info, hint, off\./);
    assert.match(await client.logged(/tributary\.config\.json: Bad Tributary configuration/), /"fatal"/);
    assert.deepEqual(codes(await client.diagnostics(a, (d) => d.some((x) => x.severity === DiagnosticSeverity.Warning))), [`TRB130 ${DiagnosticSeverity.Warning}`, `TRB150 ${DiagnosticSeverity.Hint}`]);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(a) }, position: { line: 3, character: 23 } });
    assert.ok(hover, "the server keeps answering");

    // Fixed: the config's diagnostic is cleared, and the config applies again.
    writeFileSync(config, JSON.stringify({ exclude: ["flows/generated/**"] }));
    await changed(config);
    await client.diagnostics(config, (d) => d.length === 0);
    await client.diagnostics(b, (d) => d.length === 0);
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});

test("flow files that import the package through the project's own re-export are analysed, also a new one", async () => {
  const fixture = copyFixture("test-fixtures/analysis/reexported-package");
  const client = await LspTestClient.start(fixture.dir);
  try {
    const [cycle] = await client.diagnostics(path.join(fixture.dir, "flows/downstream.ts"), (d) => d.length > 0);
    assert.equal(cycle!.code, "TRB100");
    const created = path.join(fixture.dir, "flows/created.ts");
    await client.open(created, ['import { flow, runDeployment } from "../lib/tributary";', 'export const created = flow("created", async () => {', '  await runDeployment("nowhere/at-all");', "});", ""].join("\n"));
    const [unknown] = await client.diagnostics(created, (d) => d.length > 0);
    assert.equal(unknown!.code, "TRB110");
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
    fixture.dispose();
  }
});
