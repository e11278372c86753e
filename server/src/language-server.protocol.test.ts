import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CodeActionRequest,
  CodeLensRequest,
  CodeLensResolveRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type Location,
  type MarkupContent,
  type Position,
} from "vscode-languageserver-protocol";
import { GraphDetailsRequest, GraphRequest } from "./protocol.js";
import { copyFixture, LspTestClient, uriOf } from "./test-support/lsp-test-client.js";

/** The position of the first `needle` in `text` (0-based), plus `shift` characters. */
function positionOf(text: string, needle: string, shift = 0): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the text`);
  const before = text.slice(0, offset + shift);
  const line = before.split("\n").length - 1;
  return { line, character: offset + shift - (before.lastIndexOf("\n") + 1) };
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);

describe("language server over stdio", () => {
  const fixture = copyFixture("test-fixtures/lsp/workspace");
  const file = (name: string) => path.join(fixture.dir, name);
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start(fixture.dir);
  });
  after(() => {
    if (client.isRunning) client.kill();
    fixture.dispose();
  });

  it("publishes diagnostics for every flow file of the folder, open or not", async () => {
    const [consumer] = await client.diagnostics(file("consumer.ts"), (d) => d.length > 0);
    assert.equal(consumer!.code, "TRB110");
    assert.equal(consumer!.source, "tributary");
    assert.equal(consumer!.severity, 1);
    assert.deepEqual(consumer!.range, { start: { line: 4, character: 22 }, end: { line: 4, character: 60 } });
    assert.deepEqual(consumer!.data, { suggestions: ["downstream-flow/downstream-processing"] });
    assert.deepEqual(await client.diagnostics(file("upstream.ts")), []);
    assert.deepEqual(client.errors, []);
  });

  it("re-publishes an edited file: a trigger loop appears with a related location per hop, and goes away", async () => {
    const downstream = file("downstream.ts");
    const original = readFileSync(downstream, "utf8");
    await client.open(downstream);
    const looping = original.replace("const rows = await load(upstreamBatchId);", 'const rows = await load(upstreamBatchId);\n  await runDeployment("upstream-flow/upstream-data-preparation");').replace("import { flow, task, deploy, automation }", "import { flow, task, deploy, automation, runDeployment }");
    await client.change(downstream, looping);
    const found = await client.diagnostics(downstream, (d) => codes(d).includes("TRB101"));
    const loop = found.find((d) => d.code === "TRB101")!;
    assert.match(loop.message as string, /upstream-flow → downstream-flow\/downstream-processing → downstream-flow → upstream-flow\/upstream-data-preparation → upstream-flow|downstream-flow → upstream-flow\/upstream-data-preparation → upstream-flow → downstream-flow\/downstream-processing → downstream-flow/);
    assert.ok((loop.relatedInformation ?? []).length >= 4, "one related location per hop");
    for (const related of loop.relatedInformation!) assert.ok(related.location.uri.startsWith("file://"));
    await client.change(downstream, original);
    await client.diagnostics(downstream, (d) => d.length === 0);
  });

  it("lists code lenses without commands and resolves them lazily", async () => {
    const upstream = file("upstream.ts");
    await client.open(upstream);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uriOf(upstream) } });
    assert.ok(lenses);
    assert.equal(lenses.length, 5);
    assert.ok(lenses.every((l) => l.command === undefined));
    const resolved = await Promise.all(lenses.map((l) => client.connection.sendRequest(CodeLensResolveRequest.type, l)));
    const byTitle = new Map(resolved.map((l) => [l.command!.title, l.command!]));
    assert.deepEqual(byTitle.get("▶ Run flow"), { title: "▶ Run flow", command: "tributary.runFlow", arguments: [{ file: upstream, exportName: "upstream", flowName: "upstream-flow" }] });
    const withParameters = byTitle.get("Run with parameters…")!;
    assert.equal(withParameters.command, "tributary.runFlowWithParameters");
    assert.deepEqual((withParameters.arguments![0] as { parameterSchema: unknown }).parameterSchema, { type: "object", properties: { batchSize: { type: "number", default: 10 } }, additionalProperties: false });
    const neighbours = resolved.find((l) => l.command!.command === "tributary.showDependencyGraph")!.command!;
    assert.match(neighbours.title, /^↑\d+ upstream · ↓\d+ downstream$/);
    assert.deepEqual(neighbours.arguments, [{ focus: "flow:upstream-flow" }]);
    const schema = (withParameters.arguments![0] as { parameterSchema: unknown }).parameterSchema;
    assert.deepEqual(byTitle.get("▶ Run deployment")!.arguments, [{ deploymentName: "upstream-flow/upstream-data-preparation", parameterSchema: schema }]);
    assert.ok(byTitle.has("⏱ every 2 hours"), [...byTitle.keys()].join(", "));
  });

  it("hovers a deployment name string with its upstream and downstream, and goes to its deploy() call", async () => {
    const upstream = file("upstream.ts");
    const text = readFileSync(upstream, "utf8");
    const position = positionOf(text, '"downstream-flow/downstream-processing"', 5);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(upstream) }, position });
    const markdown = (hover!.contents as MarkupContent).value;
    assert.match(markdown, /^\*\*deployment\*\* `downstream-flow\/downstream-processing`/);
    assert.match(markdown, /Upstream \(1\):\n- flow `upstream-flow` — run-deployment at \[upstream\.ts:9\]\(file:\/\/\S*\/upstream\.ts#L9\), triggers via automation "downstream-after-upstream" at \[downstream\.ts:14\]/);
    assert.match(markdown, /Downstream \(1\):\n- flow `downstream-flow` — deployment-of at \[downstream\.ts:10\]/);

    const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(upstream) }, position })) as Location[];
    const downstreamText = readFileSync(file("downstream.ts"), "utf8");
    assert.deepEqual(definition, [{ uri: uriOf(file("downstream.ts")), range: { start: positionOf(downstreamText, "deploy(downstream"), end: positionOf(downstreamText, '"downstream-processing" })', 26) } }]);
  });

  it("completes deployment and flow names inside their strings", async () => {
    const consumer = file("consumer.ts");
    const text = readFileSync(consumer, "utf8").replace('await waitForFlow("upstream-flow"', 'await waitForFlow("ups"').replace('"downstream-flow/downstream-procesing"', '"downstream-flow/"');
    await client.open(consumer, text);
    const labels = async (needle: string, shift: number) => {
      const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf(consumer) }, position: positionOf(text, needle, shift) })) as CompletionItem[];
      return items.map((i) => i.label);
    };
    assert.deepEqual(await labels('"downstream-flow/"', 17), ["downstream-flow/downstream-processing", "upstream-flow/upstream-data-preparation"]);
    assert.deepEqual(await labels('"ups"', 4), ["consumer-flow", "downstream-flow", "reporting-flow", "upstream-flow"]);
    assert.deepEqual(await labels("async () =>", 3), []);
    await client.change(consumer, readFileSync(consumer, "utf8"));
  });

  it("offers did-you-mean and suppression quick fixes, and the suppression silences the finding", async () => {
    const consumer = file("consumer.ts");
    const [diagnostic] = await client.diagnostics(consumer, (d) => codes(d).join() === "TRB110");
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(consumer) }, range: diagnostic!.range, context: { diagnostics: [diagnostic!] } })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Change to "downstream-flow/downstream-processing"', "Suppress TRB110 on this line"]);
    assert.deepEqual(actions[0]!.edit!.changes![uriOf(consumer)], [{ range: diagnostic!.range, newText: '"downstream-flow/downstream-processing"' }]);
    const [insert] = actions[1]!.edit!.changes![uriOf(consumer)]!;
    assert.deepEqual(insert, { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: "  // tributary-ignore-next-line TRB110 -- reason\n" });
    const lines = readFileSync(consumer, "utf8").split("\n");
    lines.splice(4, 0, insert!.newText.slice(0, -1));
    await client.change(consumer, lines.join("\n"));
    await client.diagnostics(consumer, (d) => d.length === 0);
  });

  it("answers tributary/graph with the graph JSON of DESIGN.md §3", async () => {
    const graph = await client.connection.sendRequest(GraphRequest.type, {});
    assert.deepEqual(graph.nodes.map((n) => n.id), ["automation:downstream-after-upstream", "deployment:downstream-flow/downstream-processing", "deployment:upstream-flow/upstream-data-preparation", "flow:consumer-flow", "flow:downstream-flow", "flow:reporting-flow", "flow:upstream-flow", "task:extract", "task:load"]);
    const edge = graph.edges.find((e) => e.kind === "run-deployment")!;
    assert.deepEqual(Object.keys(edge).sort(), ["conditional", "file", "from", "kind", "line", "to"]);
    assert.deepEqual(edge, { from: "flow:upstream-flow", to: "deployment:downstream-flow/downstream-processing", kind: "run-deployment", conditional: false, file: "upstream.ts", line: 9 });
    assert.deepEqual(await client.connection.sendRequest(GraphRequest.type, { uri: uriOf(file("upstream.ts")) }), graph);
  });

  it("answers tributary/graphDetails with the same graph, whether each edge waits, and the reported cycles", async () => {
    const [graph, details] = await Promise.all([client.connection.sendRequest(GraphRequest.type, {}), client.connection.sendRequest(GraphDetailsRequest.type, {})]);
    assert.deepEqual(details.nodes.map((n) => n.id), graph.nodes.map((n) => n.id));
    assert.deepEqual(details.edges.map(({ from, to, kind, conditional, file, line }) => ({ from, to, kind, conditional, file, line })), graph.edges);
    const runDeployment = details.edges.find((e) => e.kind === "run-deployment")!;
    assert.equal(runDeployment.waiting, false, "upstream.ts runs the deployment with timeoutSeconds: 0");
    assert.ok(details.edges.filter((e) => e.kind === "triggers").every((e) => typeof e.via === "string"));
    assert.ok(Array.isArray(details.cycles));
  });

  it("follows a constants file that flow files import, as edited and then as saved on disk", async () => {
    const targets = file("targets.ts");
    const reporting = file("reporting.ts");
    assert.deepEqual(await client.diagnostics(reporting), []);
    await client.open(targets);
    await client.change(targets, readFileSync(targets, "utf8").replace('"upstream-flow"', '"upstreem-flow"'));
    const [unknown] = await client.diagnostics(reporting, (d) => d.length > 0);
    assert.equal(unknown!.code, "TRB111");
    assert.match(unknown!.message as string, /Did you mean "upstream-flow"\?/);
    await client.close(targets);
    await client.diagnostics(reporting, (d) => d.length === 0);
    writeFileSync(targets, 'export const REPORT_AFTER = "nobody-flow";\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(targets), type: FileChangeType.Changed }] });
    await client.diagnostics(reporting, (d) => d.length === 1);
  });

  it("follows a flow's parameter type into the file it is imported from: editing the type re-checks the parameters", async () => {
    const types = file("load-params.ts");
    const flows = file("typed-load.ts");
    writeFileSync(types, "export interface LoadParams { table: string; region: string }\n");
    writeFileSync(flows, [
      'import { flow, deploy, runDeployment } from "tributaryjs";',
      'import type { LoadParams } from "./load-params";',
      'export const typedLoad = flow("typed-load", async (params: LoadParams) => params);',
      'export const manual = deploy(typedLoad, { name: "manual" });',
      'export const caller = flow("typed-load-caller", async () => { await runDeployment("typed-load/manual", { parameters: { table: "t" } }); });',
      "",
    ].join("\n"));
    const changes = [types, flows].map((f) => ({ uri: uriOf(f), type: FileChangeType.Created as FileChangeType }));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    const [missing] = await client.diagnostics(flows, (d) => d.length > 0);
    assert.equal(missing!.code, "TRB112");
    assert.equal(missing!.message, 'Flow "typed-load" requires the parameter "region", not given here.');
    // Edited in the editor (not a flow file: the flows that import it are re-checked), then closed unsaved.
    await client.open(types);
    await client.change(types, "export interface LoadParams { table: string; region?: string }\n");
    await client.diagnostics(flows, (d) => d.length === 0);
    await client.close(types);
    assert.deepEqual(codes(await client.diagnostics(flows, (d) => d.length > 0)), ["TRB112"]);
  });

  it("reads files changed on disk that are not open", async () => {
    const added = file("added.ts");
    writeFileSync(added, 'import { flow, waitForFlow } from "tributaryjs";\nexport const added = flow("added-flow", async () => {\n  await waitForFlow("nobody-flow");\n});\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(added), type: FileChangeType.Created }] });
    assert.deepEqual(codes(await client.diagnostics(added, (d) => d.length > 0)), ["TRB111"]);
  });

  it("pulls settings per resource again after a configuration change: diagnostics can be turned off", async () => {
    client.settings = { diagnostics: { enable: false } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.diagnostics(file("added.ts"), (d) => d.length === 0);
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.diagnostics(file("added.ts"), (d) => d.length === 1);
  });

  it("logged no error and ends on shutdown and exit", async () => {
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  });
});
