import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { CheckJsonFinding } from "../analysis/index.js";
import { repoRoot, tributary } from "../test-support/tributary-command.js";

const MONOREPOS = ["monorepo-npm", "monorepo-pnpm", "monorepo-exports-subpaths", "monorepo-project-references"];
const fixture = (name: string) => path.join(repoRoot, "test-fixtures/analysis", name);
const expected = (name: string) => JSON.parse(readFileSync(path.join(fixture(name), "expected.json"), "utf8")) as CheckJsonFinding[];

const copies: string[] = [];
after(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture to change: links added, declarations removed. */
function copyOf(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tributary-${name}-`));
  copies.push(dir);
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

/** A relative link, as npm, yarn and pnpm make them. */
function link(dir: string, from: string, to: string): void {
  const at = path.join(dir, from);
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(path.relative(path.dirname(at), path.join(dir, to)), at, "junction");
}

describe("tributary check on monorepos", () => {
  it("finds the cycle across packages in each monorepo fixture (npm, pnpm, exports subpaths, project references): the golden JSON, exit 1", async () => {
    const results = await Promise.all(MONOREPOS.map((name) => tributary(["check", "--format", "json"], fixture(name))));
    MONOREPOS.forEach((name, i) => {
      const { code, stdout, stderr } = results[i]!;
      const findings = JSON.parse(stdout) as CheckJsonFinding[];
      assert.deepEqual(findings, expected(name), name);
      assert.equal(code, 1, `${name}: exit code`);
      const cycle = findings.find((f) => f.code === "TRB100");
      assert.ok(cycle, `${name}: a TRB100`);
      const packagesOnPath = new Set(cycle.related.map((r) => r.file.split("/").slice(0, 2).join("/")));
      assert.ok(packagesOnPath.size >= 2, `${name}: the cycle's path crosses packages (${[...packagesOnPath].join(", ")})`);
      if (name !== "monorepo-npm") assert.equal(stderr, "", name);
    });
  });

  it("prints the path through both packages, and names a package.json it cannot read without failing the rest", async () => {
    const { code, stdout, stderr } = await tributary(["check"], fixture("monorepo-npm"));
    assert.equal(code, 1);
    assert.equal(
      stdout,
      [
        "packages/ingest/src/ingest.ts:5:9 - error TRB100: Dependency cycle: ingest → transform → ingest/nightly → ingest. Each run waits for the next, so none of them can finish; remove one of these calls or stop waiting on it.",
        '    packages/ingest/src/ingest.ts:5:9 - flow "ingest" calls flow "transform" as a subflow and waits for it',
        '    packages/transform/src/index.ts:5:23 - flow "transform" runs deployment "ingest/nightly" and waits for it',
        '    packages/ingest/src/ingest.ts:8:24 - deployment "ingest/nightly" runs flow "ingest"',
        'packages/transform/src/index.ts:9:23 - error TRB110: No deployment is named "ingest/nighty". Did you mean "ingest/nightly"?',
        "",
        "Found 2 errors in 2 of 3 flow files.",
        "",
      ].join("\n"),
    );
    assert.match(stderr, /^tributary: packages\/broken\/package\.json: It is not valid JSON \(.+\)\. Imports of this package by name are not followed\.\n$/);
  });

  it("takes files importing a workspace package that re-exports tributaryjs (`@acme/kit`) for flow files", async () => {
    const { code, stdout } = await tributary(["check", "--format", "json"], fixture("monorepo-facade-package"));
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), expected("monorepo-facade-package"));
  });

  it("checking one package still follows its imports into the others", async () => {
    const { code, stdout } = await tributary(["check", "--format", "json", "packages/core"], fixture("monorepo-project-references"));
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), expected("monorepo-project-references"));
  });

  it("checking one package, the deployments and flows of the others are known: no false TRB110, and the cycle from this side", async () => {
    const { code, stdout } = await tributary(["check", "--format", "json"], path.join(fixture("monorepo-npm"), "packages/transform"));
    assert.equal(code, 1);
    const findings = JSON.parse(stdout) as CheckJsonFinding[];
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`),
      [
        "src/index.ts:5 TRB100 Dependency cycle: transform → ingest/nightly → ingest → transform. Each run waits for the next, so none of them can finish; remove one of these calls or stop waiting on it.",
        'src/index.ts:9 TRB110 No deployment is named "ingest/nighty". Did you mean "ingest/nightly"?',
      ],
    );
    assert.deepEqual(findings[0]!.related.map((r) => `${r.file}:${r.line}`), ["src/index.ts:5", "../ingest/src/ingest.ts:8", "../ingest/src/ingest.ts:5"]);
  });

  it("follows node_modules links as npm makes them when package.json declares no workspaces", async () => {
    const dir = copyOf("monorepo-npm");
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "acme-pipelines", private: true }));
    const unlinked = await tributary(["check", "--format", "json"], dir);
    assert.deepEqual((JSON.parse(unlinked.stdout) as CheckJsonFinding[]).map((f) => f.code), ["TRB110"], "without the declaration or links, no package is followed");
    link(dir, "node_modules/@acme/ingest", "packages/ingest");
    link(dir, "node_modules/@acme/transform", "packages/transform");
    const { code, stdout } = await tributary(["check", "--format", "json"], dir);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), expected("monorepo-npm"));
  });

  it("follows each package's own node_modules links as pnpm makes them, without pnpm-workspace.yaml", async () => {
    const dir = copyOf("monorepo-pnpm");
    rmSync(path.join(dir, "pnpm-workspace.yaml"));
    link(dir, "apps/orders/node_modules/shared-flows", "libs/shared/flows");
    link(dir, "libs/shared/flows/node_modules/orders-app", "apps/orders");
    const { code, stdout } = await tributary(["check", "--format", "json"], dir);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout), expected("monorepo-pnpm"));
  });
});
