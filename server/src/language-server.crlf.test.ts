import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CodeActionRequest, CodeLensRequest, type CodeAction, type Diagnostic } from "vscode-languageserver-protocol";
import { copyFixture, installRepositoryPackage, LspTestClient, repoRoot, uriOf } from "./test-support/lsp-test-client.js";

// A document as an editor on Windows sends it: CRLF line endings. Its diagnostics, lenses and
// quick fixes must sit where they sit in its LF twin (LSP positions do not count the CR), and an
// edit must keep CRLF.
const LINES = [
  'import { flow, runDeployment, waitForFlow } from "tributaryjs";',
  "",
  "/* a comment",
  "   over two lines */",
  'export const consumer = flow("consumer-flow", async () => {',
  '  await waitForFlow("upstream-flw", { state: "Completed", timeoutSeconds: 60 });',
  '  await runDeployment("downstream-flow/downstream-procesing", { timeoutSeconds: 0 });',
  '  await runDeployment("downstream-flow/downstream-processing",',
  "    { parameters: { upstreamBatchId: 42 } });",
  "  await ping();",
  "});",
  "",
  'export const ping = flow("ping", async () => { await pong(); });',
  'export const pong = flow("pong", async () => {',
  "  await ping();",
  "});",
  "",
];
const LF = LINES.join("\n");
const CRLF = LINES.join("\r\n");
const NEUTRAL = 'import { flow } from "tributaryjs";\nexport const consumer = flow("consumer-flow", async () => {});\n';

const sorted = (diagnostics: Diagnostic[]) =>
  [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || String(a.code).localeCompare(String(b.code)));

describe("language server over stdio, a CRLF document", () => {
  const fixture = copyFixture("test-fixtures/lsp/workspace");
  const consumer = path.join(fixture.dir, "consumer.ts");
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start(fixture.dir);
  });
  after(() => {
    if (client.isRunning) client.kill();
    fixture.dispose();
  });

  const lenses = async () => (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(consumer) } }))!.map((l) => l.range);

  it("gets the diagnostics (related locations included) and code lenses of its LF twin, and a CRLF suppression", async () => {
    await client.diagnostics(consumer, (d) => d.length > 0);
    await client.open(consumer, LF);
    const lf = sorted(await client.diagnostics(consumer, (d) => d.some((x) => x.code === "TRB100")));
    assert.deepEqual(new Set(lf.map((d) => d.code)), new Set(["TRB100", "TRB110", "TRB111", "TRB112"]));
    const lfLenses = await lenses();

    await client.change(consumer, NEUTRAL);
    await client.diagnostics(consumer, (d) => d.length === 0);
    await client.change(consumer, CRLF);
    const crlf = sorted(await client.diagnostics(consumer, (d) => d.length > 0));
    assert.deepEqual(crlf, lf);
    assert.deepEqual(await lenses(), lfLenses);
    // A range on a line of its own: the unknown name sits at line 6, after `  await runDeployment(`.
    const unknown = crlf.find((d) => d.code === "TRB110")!;
    assert.deepEqual(unknown.range, { start: { line: 6, character: 22 }, end: { line: 6, character: 60 } });

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(consumer) }, range: unknown.range, context: { diagnostics: [unknown] } })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Change to "downstream-flow/downstream-processing"', "Suppress TRB110 on this line"]);
    const document = TextDocument.create(uriOf(consumer), "typescript", 1, CRLF);
    const renamed = TextDocument.applyEdits(document, actions[0]!.edit!.changes![uriOf(consumer)]!);
    assert.equal(renamed, CRLF.replace("downstream-procesing", "downstream-processing"));
    const suppressed = TextDocument.applyEdits(document, actions[1]!.edit!.changes![uriOf(consumer)]!);
    assert.equal(suppressed, [...LINES.slice(0, 6), "  // tributary-ignore-next-line TRB110 -- reason", ...LINES.slice(6)].join("\r\n"));

    // The suppression works in the CRLF file: TRB110 goes, the rest stays where it was (one line down).
    await client.change(consumer, suppressed);
    const after = sorted(await client.diagnostics(consumer, (d) => !d.some((x) => x.code === "TRB110")));
    const shift = (d: Diagnostic) => ({ ...d, range: { start: { ...d.range.start, line: d.range.start.line + (d.range.start.line >= 6 ? 1 : 0) }, end: { ...d.range.end, line: d.range.end.line + (d.range.end.line >= 6 ? 1 : 0) } } });
    assert.deepEqual(after.map((d) => [d.code, d.range]), lf.filter((d) => d.code !== "TRB110").map(shift).map((d) => [d.code, d.range]));
    assert.deepEqual(client.errors, []);
  });
});

describe("language server over stdio, a workspace whose path has spaces, # and %", () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), "tributary-lsp-"));
  const dir = path.join(parent, "my flows #1 100%");
  let client: LspTestClient;

  before(async () => {
    cpSync(path.join(repoRoot, "test-fixtures/lsp/workspace"), dir, { recursive: true });
    installRepositoryPackage(dir);
    client = await LspTestClient.start(dir);
  });
  after(() => {
    if (client.isRunning) client.kill();
    rmSync(parent, { recursive: true, force: true });
  });

  it("publishes each file's diagnostics under its escaped file URI, open or not", async () => {
    const consumer = path.join(dir, "consumer.ts");
    assert.match(uriOf(consumer), /my%20flows%20%231%20100%25\/consumer\.ts$/);
    const [unknown] = await client.diagnostics(consumer, (d) => d.length > 0);
    assert.equal(unknown!.code, "TRB110");
    await client.open(consumer, CRLF);
    const diagnostics = await client.diagnostics(consumer, (d) => d.some((x) => x.code === "TRB100"));
    const cycle = diagnostics.find((d) => d.code === "TRB100")!;
    assert.ok(cycle.relatedInformation!.length > 0);
    for (const related of cycle.relatedInformation!) assert.equal(related.location.uri, uriOf(consumer));
    assert.deepEqual(client.errors, []);
  });
});
