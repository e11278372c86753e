// The extension manifest (package.json) against the names the code uses: a lens command that
// package.json does not declare still runs, but has no title or category in the palette.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Commands } from "../../server/src/protocol.js";

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
const declared = (manifest.contributes.commands as { command: string; category?: string }[]);

describe("extension manifest", () => {
  it("declares every command the language server's lenses carry, with a category", () => {
    for (const command of Object.values(Commands)) {
      const entry = declared.find((c) => c.command === command);
      assert.ok(entry, `${command} is declared in contributes.commands`);
      assert.equal(entry.category, "Tributary");
    }
  });

  it("declares the settings the language server reads, with their defaults", () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown }>;
    assert.equal(properties["tributary.diagnostics.enable"]?.default, true);
    assert.equal(properties["tributary.codeLens.enable"]?.default, true);
    assert.equal(properties["tributary.trace.server"]?.default, "off");
  });

  it("activates on TypeScript and JavaScript only, and supports untrusted workspaces in part", () => {
    assert.ok((manifest.activationEvents as string[]).every((event) => event.startsWith("onLanguage:")));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, "limited");
    assert.match(manifest.engines.vscode, /^\^1\.(\d+)\./);
    assert.ok(Number(/^\^1\.(\d+)\./.exec(manifest.engines.vscode)![1]) <= 100);
  });
});
