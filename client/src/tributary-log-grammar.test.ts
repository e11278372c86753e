// The tributary-log TextMate grammar (syntaxes/) on lines as `tributary flow-run logs` prints
// them. Its expressions use only what JavaScript's RegExp shares with Oniguruma, so they are
// tried here with RegExp.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(__dirname, "../..");
const grammar = JSON.parse(readFileSync(path.join(root, "syntaxes/tributary-log.tmLanguage.json"), "utf8"));
const line = new RegExp(grammar.repository.line.match);
const message: { match: string; name: string }[] = grammar.repository.message.patterns;

describe("tributary-log grammar", () => {
  it("is the grammar package.json declares for the tributary-log language", () => {
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
    const entry = manifest.contributes.grammars.find((g: { language: string }) => g.language === "tributary-log");
    assert.equal(entry.scopeName, grammar.scopeName);
    assert.ok(existsSync(path.join(root, entry.path)));
  });

  it("splits a log line into time, level, run and message", () => {
    const match = line.exec("2026-11-25 19:20:13.608 | WARNING | task-run publish-results-0 | Retrying in 2 s");
    assert.ok(match);
    assert.equal(match[1], "2026-11-25 19:20:13.608");
    assert.equal(match[5], "WARNING");
    assert.equal(match[8], "task-run");
    assert.equal(match[9], "publish-results-0");
    assert.equal(match[11], " Retrying in 2 s");
  });

  it("tells levels apart", () => {
    const levelOf = (text: string) => [3, 4, 5, 6].find((group) => line.exec(text)?.[group] !== undefined);
    assert.equal(levelOf("2026-11-25 19:20:13.608 | DEBUG   | flow-run tidy-toucan | x"), 3);
    assert.equal(levelOf("2026-11-25 19:20:13.608 | INFO    | flow-run tidy-toucan | x"), 4);
    assert.equal(levelOf("2026-11-25 19:20:13.608 | ERROR   | flow-run tidy-toucan | x"), 6);
  });

  it("colours run ids and state names inside messages", () => {
    const scopes = (text: string) => message.filter((p) => new RegExp(p.match).test(text)).map((p) => p.name.split(".").slice(0, 2).join("."));
    assert.deepEqual(scopes("run 01a21426-be0f-7000-8374-ca2af8ca1ce1 ended Completed"), ["constant.other", "markup.inserted"]);
    assert.deepEqual(scopes("Crashed: the process is gone"), ["invalid.state"]);
    assert.deepEqual(scopes("Cancelled by the user"), ["markup.changed"]);
  });
});
