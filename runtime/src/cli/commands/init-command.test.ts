import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CliProcess, CliWorkspace, repoRoot } from "../test-support/cli-workspace.js";
import { sqliteDriverProblem } from "../../store/sqlite-driver.js";
import { packageNameFor } from "./init-command.js";

const packageVersion = (JSON.parse(readFileSync(path.join(repoRoot, "runtime/package.json"), "utf8")) as { version: string }).version;

describe("tributary init", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("scaffolds a project in a new folder whose example flows check clean and type-check", { timeout: 5 * 60_000 }, async () => {
    const result = await workspace.run(["init", "my-project"]);
    assert.equal(result.code, 0, result.stderr);
    const project = path.join(workspace.dir, "my-project");
    const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as Record<string, any>;
    assert.equal(manifest.name, "my-project");
    assert.equal(manifest.private, true);
    assert.equal(manifest.type, "module");
    assert.deepEqual(manifest.dependencies, { tributaryjs: `^${packageVersion}` });
    assert.deepEqual(Object.keys(manifest.devDependencies).sort(), ["@types/node", "typescript"]);
    assert.equal(manifest.scripts.check, "tributary check");
    // better-sqlite3's native build is allowed only where the Node that ran init has no node:sqlite.
    assert.deepEqual(manifest.allowScripts, { "better-sqlite3": sqliteDriverProblem("node:sqlite") !== undefined, esbuild: true });
    const tsconfig = JSON.parse(readFileSync(path.join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    assert.equal(tsconfig.compilerOptions.strict, true);
    assert.equal(tsconfig.compilerOptions.noEmit, true);
    assert.equal(tsconfig.compilerOptions.module, "nodenext");
    assert.equal(tsconfig.compilerOptions.moduleResolution, "nodenext");
    assert.deepEqual(readFileSync(path.join(project, ".gitignore"), "utf8").split("\n").filter(Boolean).sort(), [".tributary/", "node_modules/"]);
    assert.deepEqual(JSON.parse(readFileSync(path.join(project, ".vscode/extensions.json"), "utf8")), { recommendations: ["tributary.tributary"] });
    assert.deepEqual(readdirSync(path.join(project, "flows")).sort(), ["downstream.ts", "upstream.ts"]);
    for (const file of ["package.json", "tsconfig.json", "flows/upstream.ts", "flows/downstream.ts", ".gitignore", ".vscode/extensions.json"]) {
      assert.match(result.stdout, new RegExp(`^  created  ${file.replace(/\./g, "\\.")}$`, "m"));
    }
    assert.match(result.stdout, /Next:\n {2}cd my-project\n {2}npm install\n {2}npx tributary run flows\/upstream\.ts\n$/);

    // The example: no finding, and the static graph links upstream to downstream through the automation.
    const check = await workspace.run(["check", "my-project", "--format", "json"]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.deepEqual(JSON.parse(check.stdout), []);
    const graph = JSON.parse((await workspace.run(["graph", "my-project"])).stdout) as { edges: { from: string; to: string; kind: string }[] };
    assert.ok(graph.edges.some((edge) => edge.kind === "triggers"), JSON.stringify(graph.edges));

    // Type-checked with the tsconfig init wrote, against the built package (as installed: node_modules/tributaryjs).
    mkdirSync(path.join(project, "node_modules/@types"), { recursive: true });
    symlinkSync(path.join(repoRoot, "runtime"), path.join(project, "node_modules/tributaryjs"));
    symlinkSync(path.join(repoRoot, "node_modules/@types/node"), path.join(project, "node_modules/@types/node"));
    symlinkSync(path.join(repoRoot, "node_modules/undici-types"), path.join(project, "node_modules/undici-types"));
    const tsc = await new CliProcess(
      spawn(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", project], { stdio: ["ignore", "pipe", "pipe"] }),
    ).result;
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });

  it("never overwrites a file: it names those it skipped and writes the others", async () => {
    const project = path.join(workspace.dir, "existing");
    mkdirSync(path.join(project, "flows"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), '{ "name": "mine" }\n');
    writeFileSync(path.join(project, "flows/upstream.ts"), "// my own upstream\n");
    writeFileSync(path.join(project, ".vscode"), "a file where init wants a folder\n");

    const result = await workspace.run(["init", "existing"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(path.join(project, "package.json"), "utf8"), '{ "name": "mine" }\n');
    assert.equal(readFileSync(path.join(project, "flows/upstream.ts"), "utf8"), "// my own upstream\n");
    assert.equal(readFileSync(path.join(project, ".vscode"), "utf8"), "a file where init wants a folder\n");
    assert.match(result.stdout, /^ {2}skipped {2}package\.json \(it exists; left as it is\)$/m);
    assert.match(result.stdout, /^ {2}skipped {2}flows\/upstream\.ts \(it exists; left as it is\)$/m);
    assert.match(result.stdout, /^ {2}skipped {2}\.vscode\/extensions\.json \(a file is in the way of its folder\)$/m);
    assert.match(result.stdout, /^ {2}created {2}flows\/downstream\.ts$/m);
    assert.ok(existsSync(path.join(project, "tsconfig.json")));
    // The package.json there lacks the dependency: the install command names it.
    assert.match(result.stdout, /^ {2}npm install tributaryjs && npm install --save-dev typescript @types\/node$/m);

    // Run again: everything is skipped, nothing changes.
    const again = await workspace.run(["init", "existing"]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /created/);
  });

  it("refuses a path that is a file with a usage error (exit 2) and writes nothing", async () => {
    writeFileSync(path.join(workspace.dir, "notes.txt"), "notes\n");
    const before = readdirSync(workspace.dir).sort();
    for (const target of ["notes.txt", "notes.txt/project"]) {
      const result = await workspace.run(["init", target]);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.match(result.stderr, /^tributary: "notes\.txt(\/project)?" (is a file|lies under the file ".*notes\.txt"), not a folder: give tributary init a folder/);
    }
    assert.deepEqual(readdirSync(workspace.dir).sort(), before);
    assert.equal(readFileSync(path.join(workspace.dir, "notes.txt"), "utf8"), "notes\n");
  });

  it("names the package after its folder, as npm allows", () => {
    assert.equal(packageNameFor("/work/My Flows!"), "my-flows");
    assert.equal(packageNameFor("/work/.hidden_project"), "hidden_project");
    assert.equal(packageNameFor("/"), "tributary-project");
  });
});
