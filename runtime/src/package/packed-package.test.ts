/**
 * The package as a user gets it: `npm pack` of runtime/, installed with no network into a project
 * that `tributary init` made outside the repository; there it type-checks (ESM and CommonJS with
 * nodenext, bundler resolution), and its CLI runs, checks, deploys and lists runs. One pack and one
 * install, shared by every case (they take a while on a loaded machine).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { CliProcess, type CliResult } from "../cli/test-support/cli-workspace.js";
import { createInitedProject, npmEnv, type PackedProject } from "../test-support/packed-package.js";

const SETUP_TIMEOUT_MS = 20 * 60_000;
const CASE_TIMEOUT_MS = 10 * 60_000;

let project: PackedProject;

/** Runs a command in the project (`npx --no` never installs: the project's own bin or nothing). */
function inProject(command: string, args: readonly string[], options: { detached?: boolean } = {}): CliProcess {
  return new CliProcess(spawn(command, [...args], { cwd: project.dir, env: npmEnv(), stdio: ["ignore", "pipe", "pipe"], detached: options.detached === true }));
}

function tributary(...args: string[]): Promise<CliResult> {
  return inProject("npx", ["--no", "--", "tributary", ...args]).result;
}

function explain(result: CliResult): string {
  return `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

describe("the packed package tributaryjs, installed offline in a new project", { timeout: SETUP_TIMEOUT_MS + 5 * CASE_TIMEOUT_MS }, () => {
  before(async () => {
    project = await createInitedProject();
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    await project?.dispose();
  });

  it("holds only package.json, README.md, LICENSE, bin/, the built js/mjs and their types, and the dashboard's page and styles", { timeout: CASE_TIMEOUT_MS }, async () => {
    const listing = await new CliProcess(spawn("tar", ["-tzf", project.tarball], { stdio: ["ignore", "pipe", "pipe"] })).result;
    const files = listing.stdout.split("\n").filter(Boolean).map((entry) => entry.replace(/^package\//, ""));
    const allowed = /^(package\.json|README\.md|LICENSE|bin\/[^/]+\.js|dist\/(?!types\/).+\.m?js|dist\/types\/.+\.d\.m?ts|dist\/dashboard\/[^/]+\.(html|css))$/;
    assert.deepEqual(files.filter((file) => !allowed.test(file)), [], "files the package should not ship");
    for (const needed of ["package.json", "README.md", "LICENSE", "bin/tributary.js", "dist/index.js", "dist/index.mjs", "dist/cli/main.js", "dist/cli/run-child.js", "dist/cli/check-client.js", "dist/cli/check-service.js", "dist/analysis/analysis-cli.js", "dist/analysis/analysis-parser.js", "dist/analysis/analysis-parser-worker.js", "dist/types/index.d.ts", "dist/types/index.d.mts", "dist/dashboard/index.html", "dist/dashboard/dashboard.js", "dist/dashboard/dashboard.css"]) {
      assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
    }
    assert.ok(!files.some((file) => /\.test\.|\.map$|^src\/|fixtures/.test(file)), "no tests, sources, fixtures or source maps");
    // The dashboard's views fetched when first shown (the graph's layout among them) come along.
    assert.ok(files.some((file) => /^dist\/dashboard\/chunks\/dependency-graph-[^/]+\.js$/.test(file)), "the dashboard's Graph chunk");
  });

  it("type-checks the init example and flows that use every public API: ESM and CommonJS (nodenext), and bundler resolution", { timeout: CASE_TIMEOUT_MS }, async () => {
    const usage = path.join(__dirname, "consumer/api-usage.ts");
    // Every value the package exports at run time has a declared type, seen from either kind of module.
    const runtimeNames = Object.keys(createRequire(path.join(project.dir, "package.json"))("tributaryjs") as object).filter((name) => name !== "__esModule");
    assert.ok(runtimeNames.includes("flow") && runtimeNames.includes("runDeployment"), runtimeNames.join(", "));
    const everyExport = `import * as tributary from "tributaryjs";\nexport const everyExport = [${runtimeNames.map((name) => `tributary.${name}`).join(", ")}];\n`;
    const compilerOptions = { target: "ES2022", lib: ["ES2023"], types: ["node"], strict: true, noEmit: true, skipLibCheck: false };
    const setups = {
      esm: { packageType: "module", module: "nodenext", moduleResolution: "nodenext" },
      cjs: { packageType: "commonjs", module: "nodenext", moduleResolution: "nodenext" },
      bundler: { packageType: "module", module: "esnext", moduleResolution: "bundler" },
    };
    // Beside the project (inside it, `tributary check` would find each copy's flows), with its node_modules.
    const typecheck = path.join(path.dirname(project.dir), "typecheck");
    mkdirSync(typecheck, { recursive: true });
    symlinkSync(path.join(project.dir, "node_modules"), path.join(typecheck, "node_modules"));
    for (const [name, setup] of Object.entries(setups)) {
      const dir = path.join(typecheck, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: setup.packageType }));
      writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, module: setup.module, moduleResolution: setup.moduleResolution }, include: ["*.ts"] }));
      copyFileSync(usage, path.join(dir, "api-usage.ts"));
      writeFileSync(path.join(dir, "every-export.ts"), everyExport);
    }
    for (const tsconfig of ["tsconfig.json", ...Object.keys(setups).map((name) => `../typecheck/${name}/tsconfig.json`)]) {
      const result = await inProject("npx", ["--no", "--", "tsc", "-p", tsconfig]).result;
      assert.equal(result.code, 0, `tsc -p ${tsconfig}: ${explain(result)}`);
    }
    // The check is not vacuous: a wrong use of the API fails it.
    writeFileSync(path.join(typecheck, "esm/wrong.ts"), `import { flow } from "tributaryjs";\nexport const f = flow("wrong", { retries: "many" }, async () => 1);\n`);
    const wrong = await inProject("npx", ["--no", "--", "tsc", "-p", "../typecheck/esm/tsconfig.json"]).result;
    assert.equal(wrong.code, 2, explain(wrong));
    assert.match(wrong.stdout, /wrong\.ts\(2,\d+\): error TS2322/);
  });

  it("gives an ESM import and a require of tributaryjs one module instance", { timeout: CASE_TIMEOUT_MS }, async () => {
    writeFileSync(
      path.join(project.dir, "same-instance.mjs"),
      [
        'import * as esm from "tributaryjs";',
        'import { createRequire } from "node:module";',
        'const cjs = createRequire(import.meta.url)("tributaryjs");',
        "const missing = Object.keys(cjs).filter((name) => name !== '__esModule' && !(name in esm));",
        "console.log(JSON.stringify({ sameFlow: esm.flow === cjs.flow, sameError: esm.FlowRunError === cjs.FlowRunError, missing }));",
        "",
      ].join("\n"),
    );
    const result = await inProject(process.execPath, ["same-instance.mjs"]).result;
    assert.equal(result.code, 0, explain(result));
    assert.deepEqual(JSON.parse(result.stdout), { sameFlow: true, sameError: true, missing: [] });
  });

  it("runs the example with npx tributary run (downstream follows through the automation), and check reports nothing", { timeout: CASE_TIMEOUT_MS }, async () => {
    const run = await tributary("run", "flows/upstream.ts");
    assert.equal(run.code, 0, explain(run));
    assert.match(run.stdout, /upstream-flow · \S+\s+Completed/);
    assert.match(run.stdout, /downstream-flow · \S+\s+Completed/);

    const check = await tributary("check", "--format", "json");
    assert.equal(check.code, 0, explain(check));
    assert.deepEqual(JSON.parse(check.stdout), []);
  });

  it("deploys to a server it finds in .tributary/server.json, and flow-run ls lists the runs", { timeout: CASE_TIMEOUT_MS }, async () => {
    // Its own process group, so that the server (a child of npx) stops with it.
    const server = inProject("npx", ["--no", "--", "tributary", "server", "start", "--port", "0"], { detached: true });
    try {
      const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
      const recorded = JSON.parse(readFileSync(path.join(project.dir, ".tributary/server.json"), "utf8")) as { url: string };
      assert.equal(recorded.url, url);

      const deploy = await tributary("deploy", "flows/upstream.ts", "flows/downstream.ts");
      assert.equal(deploy.code, 0, explain(deploy));
      assert.match(deploy.stdout, /deployment upstream-flow\/upstream-data-preparation/);
      assert.match(deploy.stdout, /deployment downstream-flow\/downstream-processing/);
      assert.match(deploy.stdout, /automation downstream-after-upstream/);
      assert.match(deploy.stdout, new RegExp(`Registered with ${url!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));

      const listed = await tributary("deployment", "ls", "--json");
      assert.equal(listed.code, 0, explain(listed));
      assert.deepEqual((JSON.parse(listed.stdout) as { name: string }[]).map((d) => d.name).sort(), ["downstream-flow/downstream-processing", "upstream-flow/upstream-data-preparation"]);

      const runs = await tributary("flow-run", "ls", "--json");
      assert.equal(runs.code, 0, explain(runs));
      const flows = (JSON.parse(runs.stdout) as { flowName: string; state: { name: string } }[]).map((r) => `${r.flowName} ${r.state.name}`);
      assert.ok(flows.includes("upstream-flow Completed") && flows.includes("downstream-flow Completed"), flows.join(", "));
    } finally {
      process.kill(-server.child.pid!, "SIGTERM");
      await server.result;
    }
    assert.ok(!existsSync(path.join(project.dir, ".tributary/server.json")), "the stopped server removes server.json");
  });
});
