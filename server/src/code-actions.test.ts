import assert from "node:assert/strict";
import { test } from "node:test";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "vscode-languageserver";
import { codeActionsFor } from "./code-actions.js";

const text = ['import { flow, runDeployment } from "tributaryjs";', 'export const a = flow("a", async () => {', "\tawait runDeployment('b/dialy');", "});", ""].join("\n");
const document = TextDocument.create("file:///w/a.ts", "typescript", 1, text);
const unknown: Diagnostic = { range: { start: { line: 2, character: 21 }, end: { line: 2, character: 30 } }, message: "No deployment", code: "TRB110", source: "tributary", data: { suggestions: ["b/daily", "b/dally"] } };

test("did-you-mean fixes keep the quote; the suppression keeps the line's indentation", () => {
  const actions = codeActionsFor(document, [unknown], () => undefined);
  assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Change to "b/daily"', true], ['Change to "b/dally"', false], ["Suppress TRB110 on this line", undefined]]);
  assert.deepEqual(actions[0]!.edit!.changes![document.uri], [{ range: unknown.range, newText: "'b/daily'" }]);
  assert.deepEqual(actions[2]!.edit!.changes![document.uri], [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: "\t// tributary-ignore-next-line TRB110 -- reason\n" }]);
});

test("suggestions come from the finding when the client dropped the diagnostic's data; other sources are left alone", () => {
  const { data: _data, ...withoutData } = unknown;
  const actions = codeActionsFor(document, [withoutData, { ...unknown, source: "ts" }], () => ({ file: "/w/a.ts", range: unknown.range, severity: "error", code: "TRB110", message: "", related: [], suggestions: ["b/daily"] }));
  assert.deepEqual(actions.map((a) => a.title), ['Change to "b/daily"', "Suppress TRB110 on this line"]);
});

test("no replacement is offered where the diagnostic does not cover a string literal", () => {
  const onName = { ...unknown, range: { start: { line: 2, character: 7 }, end: { line: 2, character: 20 } } };
  assert.deepEqual(codeActionsFor(document, [onName], () => undefined).map((a) => a.title), ["Suppress TRB110 on this line"]);
});

test("in a CRLF file the suppression ends with CRLF, at the same place as in its LF twin", () => {
  const crlf = TextDocument.create("file:///w/a.ts", "typescript", 1, text.split("\n").join("\r\n"));
  const [lfSuppression] = codeActionsFor(document, [unknown], () => undefined).slice(2);
  const [crlfSuppression] = codeActionsFor(crlf, [unknown], () => undefined).slice(2);
  assert.deepEqual(crlfSuppression!.edit!.changes![crlf.uri], [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: "\t// tributary-ignore-next-line TRB110 -- reason\r\n" }]);
  const applied = TextDocument.applyEdits(crlf, crlfSuppression!.edit!.changes![crlf.uri]!);
  assert.equal(applied, TextDocument.applyEdits(document, lfSuppression!.edit!.changes![document.uri]!).split("\n").join("\r\n"));
  assert.doesNotMatch(applied, /[^\r]\n/, "no bare LF in the edited file");
});
