import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { findPackage } from "./find-package.js";

const root = mkdtempSync(path.join(os.tmpdir(), "tributary-find-package-"));
after(() => rmSync(root, { recursive: true, force: true }));

function install(dir: string, manifest: object, files: string[] = ["bin/tributary.js"]): string {
  const pkg = path.join(dir, "node_modules", "tributaryjs");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, "package.json"), JSON.stringify(manifest));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(pkg, file)), { recursive: true });
    writeFileSync(path.join(pkg, file), "");
  }
  return pkg;
}

const manifest = { name: "tributaryjs", version: "0.3.1", bin: { tributary: "./bin/tributary.js" }, exports: { ".": "./dist/index.js", "./analysis": "./dist/analysis/analysis-cli.js" } };

test("found from a folder deep inside the project, as Node walks up: version, bin and analysis paths", () => {
  const project = path.join(root, "walk-up");
  const pkg = install(project, manifest);
  const deep = path.join(project, "flows", "nested");
  mkdirSync(deep, { recursive: true });
  assert.deepEqual(findPackage(deep), {
    kind: "installed",
    pkg: { root: pkg, version: "0.3.1", cliPath: path.join(pkg, "bin", "tributary.js"), analysisPath: path.join(pkg, "dist", "analysis", "analysis-cli.js") },
  });
});

test("the nearest copy wins over one further up; a version without the analysis export has none", () => {
  const outer = path.join(root, "nearest");
  install(outer, manifest);
  const inner = path.join(outer, "packages", "app");
  const pkg = install(inner, { name: "tributaryjs", version: "1.0.0", bin: "bin/tributary.js" });
  const found = findPackage(inner);
  assert.equal(found.kind, "installed");
  assert.deepEqual(found.kind === "installed" && [found.pkg.root, found.pkg.version, found.pkg.analysisPath], [pkg, "1.0.0", undefined]);
});

test("missing when no node_modules up to the file system's root holds the package", () => {
  const lonely = path.join(root, "lonely", "flows");
  mkdirSync(lonely, { recursive: true });
  // The temporary folder's ancestors hold no tributaryjs either (os.tmpdir() is outside the repository).
  assert.deepEqual(findPackage(lonely), { kind: "missing" });
});

test("broken, naming what is wrong, when the folder holds another package, no version, or no bin file", () => {
  const other = install(path.join(root, "other"), { name: "tributary", version: "1.1.0", bin: "x.js" }, ["x.js"]);
  const result = findPackage(path.join(root, "other"));
  assert.equal(result.kind, "broken");
  assert.match(result.kind === "broken" ? result.problem : "", /names the package "tributary", not "tributaryjs"/);
  assert.equal(result.kind === "broken" && result.root, other);

  install(path.join(root, "no-version"), { name: "tributaryjs", bin: "bin/tributary.js" });
  assert.match(JSON.stringify(findPackage(path.join(root, "no-version"))), /has no version/);

  install(path.join(root, "no-bin"), manifest, []);
  assert.match(JSON.stringify(findPackage(path.join(root, "no-bin"))), /the tributary bin .* is missing/);
});
