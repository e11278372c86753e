import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { CheckJsonFinding } from "../analysis/index.js";
import { repoRoot, tributary } from "../test-support/tributary-command.js";

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  // TRB130 (a name that is not static) and TRB150 (a deployment nothing runs).
  "flows/a.ts": [
    'import { deploy, flow } from "tributaryjs";',
    'const name = process.env.FLOW_NAME ?? "dynamic";',
    "export const dynamic = flow(name, async () => 1);",
    'export const a = flow("a", async () => 1);',
    'export const aDeployment = deploy(a, { name: "manual" });',
    "",
  ].join("\n"),
  // TRB110, but excluded.
  "flows/generated/b.ts": ['import { flow, runDeployment } from "tributaryjs";', 'export const b = flow("b", async () => {', '  await runDeployment("missing/deployment");', "});", ""].join("\n"),
  // TRB111, but not included.
  "scripts/c.ts": ['import { flow, waitForFlow } from "tributaryjs";', 'export const c = flow("c", async () => {', '  await waitForFlow("nobody");', "});", ""].join("\n"),
};

const CONFIG = { include: ["flows/**"], exclude: ["flows/generated/**"], severity: { TRB150: "off", TRB130: "error" } };

/** A project outside the repository (whose own config must not apply), with `files` over {@link FILES}. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-check-config-"));
  made.push(dir);
  for (const [name, text] of Object.entries({ ...FILES, ...files })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const codes = (stdout: string) => (JSON.parse(stdout) as CheckJsonFinding[]).map((f) => `${f.file} ${f.code} ${f.severity}`);

describe("tributary check with a project config", () => {
  it("reports nothing at the repository's root (its tributary.config.json excludes the broken fixtures)", async () => {
    const [text, json, sarif] = await Promise.all([tributary(["check"], repoRoot), tributary(["check", "--format", "json"], repoRoot), tributary(["check", "--format", "sarif"], repoRoot)]);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /^No problems found in \d+ flow files\.\n$/);
    assert.equal(text.stderr, "");
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), []);
    assert.deepEqual((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results, []);
  });

  for (const where of ["tributary.config.json", "package.json"] as const) {
    it(`applies include, exclude and severities from ${where} (text, json and sarif)`, async () => {
      const dir = project(
        where === "package.json"
          ? { "package.json": JSON.stringify({ name: "demo", private: true, tributary: CONFIG }) }
          : { "package.json": JSON.stringify({ name: "demo", private: true }), "tributary.config.json": JSON.stringify(CONFIG) },
      );
      const json = await tributary(["check", "--format", "json"], dir);
      // TRB150 is off, TRB130 raised to an error; flows/generated and scripts are left out.
      assert.deepEqual(codes(json.stdout), ["flows/a.ts TRB130 error"]);
      assert.equal(json.code, 1, "a finding raised to error fails the check");
      const sarif = await tributary(["check", "--format", "sarif"], dir);
      const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] }).runs[0]!.results;
      assert.deepEqual(results.map((r) => `${r.ruleId} ${r.level}`), ["TRB130 error"]);
      const text = await tributary(["check"], path.join(dir, "flows"));
      assert.match(text.stdout, /a\.ts:2:\d+ - error TRB130/, "the config is found from a subfolder too");
      assert.match(text.stdout, /Found 1 error in 1 of 1 flow file\.\n$/);
    });
  }

  it("checks a file or an excluded folder named on the command line, with the configured severities", async () => {
    const dir = project({ "tributary.config.json": JSON.stringify(CONFIG) });
    const named = await tributary(["check", "scripts/c.ts", "--format", "json"], dir);
    assert.deepEqual(codes(named.stdout), ["scripts/c.ts TRB111 error"]);
    const excluded = await tributary(["check", "flows/generated", "--format", "json"], dir);
    assert.deepEqual(codes(excluded.stdout), ["flows/generated/b.ts TRB110 error"]);
    const severityOnly = project({ "tributary.config.json": JSON.stringify({ severity: { TRB110: "warning", TRB111: "off" } }) });
    const all = await tributary(["check", "--format", "json"], severityOnly);
    assert.deepEqual(codes(all.stdout), ["flows/a.ts TRB130 warning", "flows/a.ts TRB150 hint", "flows/generated/b.ts TRB110 warning"]);
    assert.equal(all.code, 0, "warnings and hints only pass");
  });

  const BAD: [string, Record<string, string>, RegExp][] = [
    ["an unknown level", { "tributary.config.json": '{ "severity": { "TRB150": "fatal" } }' }, /^tributary: Bad configuration in tributary\.config\.json: "severity\.TRB150" is "fatal" \(string\); use one of error, warning, info, hint, off\.\n$/],
    ["an unknown code", { "tributary.config.json": '{ "severity": { "TRB999": "off" } }' }, /tributary\.config\.json: "TRB999" in "severity" is not a Tributary code; use one of TRB100, /],
    ["a misspelt field in package.json", { "package.json": '{ "name": "demo", "tributary": { "includes": ["flows/**"] } }' }, /Bad configuration in package\.json: Unknown field "tributary\.includes"; the fields are include, exclude and severity\./],
    ["a string where globs go", { "tributary.config.json": '{ "include": "flows/**" }' }, /tributary\.config\.json: "include" is "flows\/\*\*" \(string\); it must be an array of globs/],
    ["JSON that does not parse", { "tributary.config.json": '{ "exclude": [' }, /Bad configuration in tributary\.config\.json: tributary\.config\.json is not valid JSON \(/],
    ["both files", { "package.json": '{ "name": "demo", "tributary": {} }', "tributary.config.json": "{}" }, /tributary\.config\.json: Both tributary\.config\.json and the "tributary" key of package\.json configure this project; keep one of them/],
  ];
  for (const [what, files, expected] of BAD) {
    it(`refuses ${what} with exit code 2 and one line naming the file, the field and the value`, async () => {
      const dir = project(files);
      for (const format of ["text", "json", "sarif"]) {
        const result = await tributary(["check", "--format", format], dir);
        assert.equal(result.code, 2, `${format}: ${result.stderr}`);
        assert.match(result.stderr, expected);
        assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
        assert.equal(result.stdout, "", "nothing half-written");
      }
    });
  }
});
