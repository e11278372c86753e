import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { CodeLensRequest, CompletionRequest, HoverRequest } from "vscode-languageserver-protocol";
import { GraphRequest } from "./protocol.js";
import { copyFixture, LspTestClient, uriOf } from "./test-support/lsp-test-client.js";

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.[jt]s$/.test(name) ? [full] : [];
  });
}

const SNIPPETS = ["(", ")", "{", "}", "`", '"', "'", "await ", "flow(", "runDeployment(", "deploy(", "automation(", "=>", ",", ";", "\n", "if (", "export ", "import {", "${", "\uD83D", "// tributary-ignore-next-line "];
const EDITS = 3000;
const REQUEST_EVERY = 50;

const fixture = copyFixture("test-fixtures/analysis");
after(() => fixture.dispose());

test(`${EDITS} seeded random edits as didChange: the server never exits and answers after every ${REQUEST_EVERY}`, async () => {
  const client = await LspTestClient.start(fixture.dir);
  try {
    const files = sourceFiles(fixture.dir);
    const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
    for (const [file, text] of texts) await client.open(file, text);
    const next = random(20251125);
    for (let edit = 1; edit <= EDITS; edit++) {
      const file = files[Math.floor(next() * files.length)]!;
      const text = texts.get(file)!;
      const at = Math.floor(next() * (text.length + 1));
      const cut = Math.floor(next() * 16);
      const insert = next() < 0.6 ? SNIPPETS[Math.floor(next() * SNIPPETS.length)]! : "";
      const edited = text.slice(0, at) + insert + text.slice(at + cut);
      texts.set(file, edited);
      await client.change(file, edited);
      if (edit % REQUEST_EVERY === 0) {
        const lines = edited.split("\n");
        const line = Math.floor(next() * lines.length);
        const position = { line, character: Math.floor(next() * (lines[line]!.length + 1)) };
        const textDocument = { uri: uriOf(file) };
        const [hover, lenses, completion, graph] = await Promise.all([
          client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
          client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
          client.connection.sendRequest(CompletionRequest.type, { textDocument, position }),
          client.connection.sendRequest(GraphRequest.type, { uri: textDocument.uri }),
        ]);
        assert.ok(hover === null || typeof hover === "object");
        assert.ok(Array.isArray(lenses));
        assert.ok(Array.isArray(completion));
        assert.ok(Array.isArray(graph.nodes), `edit ${edit}`);
        assert.ok(client.isRunning, `the server exited after edit ${edit}`);
      }
    }
    assert.deepEqual(client.errors, [], "no handler failed");
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});
