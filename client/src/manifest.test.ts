// The extension manifest (package.json) against the names the code uses: a lens command that
// package.json does not declare still runs, but has no title or category in the palette.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Commands } from "../../server/src/protocol.js";
import { flowRunFields } from "./flow-runs/run-item-fields.js";
import type { FlowRunRecord } from "./server/tributary-api.js";

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
const declared = (manifest.contributes.commands as { command: string; category?: string }[]);

/**
 * The `when` clauses of the item menus, evaluated as VS Code does for the forms they use: terms
 * joined by `&&`, each `key == value`, `key =~ /regex/` or a bare key that must be truthy.
 */
function holds(when: string, context: Record<string, string | boolean>): boolean {
  return when.split(" && ").every((term) => {
    const match = /^(\S+) (==|=~) (.+)$/.exec(term.trim());
    if (!match) return context[term.trim()] === true;
    const [, key, operator, operand] = match;
    const value = String(context[key!] ?? "");
    if (operator === "==") return value === operand;
    const regex = /^\/(.*)\/$/.exec(operand!)!;
    return new RegExp(regex[1]!).test(value);
  });
}

/** The commands the Flow Runs view offers on a flow run in `state` (its context menu and inline). */
function itemCommands(state: FlowRunRecord["state"]): string[] {
  const run: FlowRunRecord = { id: "0199aaaa-0000-7000-8000-000000000001", name: "brisk-otter", flowName: "f", state, parameters: {}, tags: [], runCount: 1, createdAt: state.timestamp };
  const context = { view: "tributary.flowRuns", viewItem: flowRunFields(run, new Date(state.timestamp)).contextValue, isWorkspaceTrusted: true };
  const entries = manifest.contributes.menus["view/item/context"] as { command: string; when: string }[];
  return [...new Set(entries.filter((entry) => holds(entry.when, context)).map((entry) => entry.command))];
}

describe("extension manifest", () => {
  it("declares every command the language server's lenses carry, with a category", () => {
    for (const command of Object.values(Commands)) {
      const entry = declared.find((c) => c.command === command);
      assert.ok(entry, `${command} is declared in contributes.commands`);
      assert.equal(entry.category, "Tributary");
    }
  });

  it("offers Resume on a paused flow run, and on no other", () => {
    const at = "2026-11-25T10:00:00.000Z";
    const paused = itemCommands({ type: "PAUSED", name: "Paused", timestamp: at });
    assert.ok(paused.includes("tributary.flowRun.resume"), paused.join(", "));
    assert.ok(paused.includes("tributary.flowRun.cancel"), "a paused run can be cancelled too");
    for (const [type, name] of [["RUNNING", "Running"], ["SCHEDULED", "AwaitingConcurrencySlot"], ["COMPLETED", "Completed"], ["FAILED", "Failed"]] as const) {
      assert.ok(!itemCommands({ type, name, timestamp: at }).includes("tributary.flowRun.resume"), `no Resume on a ${name} run`);
    }
    assert.ok(declared.some((c) => c.command === "tributary.flowRun.resume"));
  });

  it("offers Open Result and Copy Result on a completed flow run only", () => {
    const at = "2026-11-25T10:00:00.000Z";
    const completed = itemCommands({ type: "COMPLETED", name: "Completed", timestamp: at });
    for (const command of ["tributary.flowRun.openResult", "tributary.flowRun.copyResult"]) {
      assert.ok(completed.includes(command), completed.join(", "));
      assert.ok(!itemCommands({ type: "FAILED", name: "Failed", timestamp: at }).includes(command), `no ${command} on a failed run`);
      assert.equal(declared.find((c) => c.command === command)?.category, "Tributary");
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
