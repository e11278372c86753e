import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { memoryFileHost } from "./memory-file-host.js";
import { workspaceModuleResolver } from "./module-resolver.js";
import { packageNameOf, readPnpmWorkspacePackages, readWorkspaceLayout, sourceOfOutput } from "./workspace-packages.js";

const root = path.resolve("/repo");
const at = (relative: string) => path.join(root, relative);
const hostOf = (files: Record<string, string>) => memoryFileHost(new Map(Object.entries(files).map(([file, text]) => [at(file), text])));
const names = (layout: ReturnType<typeof readWorkspaceLayout>) => [...layout.packages.values()].map((p) => `${p.name} ${path.relative(root, p.dir)}`);

test("pnpm-workspace.yaml: block and flow lists, quotes and comments; no list is undefined", () => {
  assert.deepEqual(readPnpmWorkspacePackages(`# all of them\npackages:\n  - "apps/*"   # the apps\n  - 'libs/**'\n\n  - "!**/test/**"\ncatalog:\n  react: ^19\n`), ["apps/*", "libs/**", "!**/test/**"]);
  assert.deepEqual(readPnpmWorkspacePackages(`packages: ["apps/*", 'libs/*']\r\n`), ["apps/*", "libs/*"]);
  assert.deepEqual(readPnpmWorkspacePackages(`packages:\n- apps/*\n`), ["apps/*"]);
  assert.equal(readPnpmWorkspacePackages(`catalog:\n  react: ^19\n`), undefined);
  assert.equal(readPnpmWorkspacePackages(`packages:\n  apps: 1\n`), undefined);
});

test("package names of specifiers: scoped, subpaths; none for relative, absolute and node: ones", () => {
  assert.equal(packageNameOf("@acme/flows/load"), "@acme/flows");
  assert.equal(packageNameOf("shared-flows"), "shared-flows");
  assert.equal(packageNameOf("shared-flows/sub/path"), "shared-flows");
  for (const s of ["./a", "../a", "/abs", "node:fs", "#internal", "@scope"]) assert.equal(packageNameOf(s), undefined, s);
});

test("npm/yarn workspaces: globs with ! left out; a broken package.json is a problem naming it, the others are still read", () => {
  const host = hostOf({
    "package.json": JSON.stringify({ workspaces: { packages: ["packages/*", "tools/cli", "!packages/skip-*"] } }),
    "packages/a/package.json": JSON.stringify({ name: "@x/a" }),
    "packages/b/package.json": `{ "name": "@x/b", `,
    "packages/skip-me/package.json": JSON.stringify({ name: "@x/skipped" }),
    "packages/no-name/package.json": "{}",
    "packages/not-a-package/src/index.ts": "",
    "tools/cli/package.json": JSON.stringify({ name: "x-cli" }),
  });
  const layout = readWorkspaceLayout(at("packages/a/src"), undefined, host);
  assert.equal(layout.root, root);
  assert.deepEqual(names(layout).sort(), ["@x/a packages/a", "x-cli tools/cli"]);
  assert.equal(layout.problems.length, 1);
  assert.equal(layout.problems[0]!.file, at("packages/b/package.json"));
  assert.match(layout.problems[0]!.message, /^It is not valid JSON \(.+\)\. Imports of this package by name are not followed\.$/);
});

test("a root package.json that is not JSON is a problem, and the search goes on above it", () => {
  const host = memoryFileHost(
    new Map([
      [path.resolve("/outer/package.json"), JSON.stringify({ workspaces: ["inner/pkgs/*"] })],
      [path.resolve("/outer/inner/package.json"), "not json"],
      [path.resolve("/outer/inner/pkgs/a/package.json"), JSON.stringify({ name: "a" })],
    ]),
  );
  const layout = readWorkspaceLayout(path.resolve("/outer/inner"), undefined, host);
  assert.equal(layout.root, path.resolve("/outer"));
  assert.deepEqual([...layout.packages.keys()], ["a"]);
  assert.deepEqual(layout.problems.map((p) => p.file), [path.resolve("/outer/inner/package.json")]);
});

test("a broken package.json both declared and referenced is one problem", () => {
  const host = hostOf({
    "package.json": JSON.stringify({ workspaces: ["packages/*"] }),
    "tsconfig.json": JSON.stringify({ references: [{ path: "packages/a" }] }),
    "packages/a/package.json": "{",
    "packages/a/tsconfig.json": "{}",
  });
  assert.deepEqual(readWorkspaceLayout(root, at("tsconfig.json"), host).problems.map((p) => p.file), [at("packages/a/package.json")]);
});

test("project references: each referenced project's package, and where it builds to", () => {
  const host = hostOf({
    "tsconfig.json": JSON.stringify({ files: [], references: [{ path: "./packages/core" }] }),
    "packages/core/tsconfig.json": JSON.stringify({ compilerOptions: { composite: true, rootDir: "src", outDir: "dist" }, references: [{ path: "../jobs/tsconfig.build.json" }] }),
    "packages/core/package.json": JSON.stringify({ name: "@r/core" }),
    "packages/jobs/tsconfig.build.json": JSON.stringify({ compilerOptions: { rootDir: "lib", outDir: "out", declarationDir: "types" } }),
    "packages/jobs/package.json": JSON.stringify({ name: "@r/jobs" }),
    "packages/jobs/lib/index.ts": "",
  });
  const layout = readWorkspaceLayout(root, at("tsconfig.json"), host);
  assert.deepEqual(names(layout), ["@r/core packages/core", "@r/jobs packages/jobs"]);
  const exists = (f: string) => host.fileExists(f);
  assert.equal(sourceOfOutput(at("packages/jobs/out/index.js"), layout.outputs, exists), at("packages/jobs/lib/index.ts"));
  assert.equal(sourceOfOutput(at("packages/jobs/types/index.d.ts"), layout.outputs, exists), at("packages/jobs/lib/index.ts"));
  assert.equal(sourceOfOutput(at("packages/jobs/out/missing.js"), layout.outputs, exists), undefined);
  assert.equal(sourceOfOutput(at("packages/jobs/lib/index.ts"), layout.outputs, exists), undefined);
});

test("imports by package name: exports subpaths followed, a subpath exported as null and installed dependencies are not", () => {
  const host = hostOf({
    "package.json": JSON.stringify({ workspaces: ["packages/*"] }),
    "packages/app/package.json": JSON.stringify({ name: "app" }),
    "packages/app/src/main.ts": "",
    "packages/lib/package.json": JSON.stringify({ name: "@x/lib", exports: { "./flows/*": "./src/flows/*.ts", "./internal/*": null } }),
    "packages/lib/src/flows/load.ts": "",
    "packages/lib/src/internal/secret.ts": "",
    // A dependency installed from the registry that ships TypeScript sources: not the workspace's code.
    "node_modules/ext-flows/package.json": JSON.stringify({ name: "ext-flows", main: "index.ts" }),
    "node_modules/ext-flows/index.ts": "",
  });
  const resolver = workspaceModuleResolver(root, false, host);
  const from = at("packages/app/src/main.ts");
  assert.deepEqual(resolver.resolve("@x/lib/flows/load", from), { kind: "file", file: at("packages/lib/src/flows/load.ts") });
  assert.deepEqual(resolver.resolve("@x/lib/internal/secret", from), { kind: "external", specifier: "@x/lib/internal/secret" });
  assert.deepEqual(resolver.resolve("@x/lib", from), { kind: "external", specifier: "@x/lib" });
  assert.deepEqual(resolver.resolve("ext-flows", from), { kind: "external", specifier: "ext-flows" });
});
