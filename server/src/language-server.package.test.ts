import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { CodeActionRequest, DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType, HoverRequest, type CodeAction, type Diagnostic } from "vscode-languageserver-protocol";
import { copyFixture, installRepositoryPackage, LspTestClient, repoRoot, uriOf } from "./test-support/lsp-test-client.js";

const fixtures: { dispose(): void }[] = [];
after(() => fixtures.forEach((f) => f.dispose()));

function fixture(relative: string, options?: { packageInstalled: boolean }): string {
  const copy = copyFixture(relative, options);
  fixtures.push(copy);
  return copy.dir;
}

const trb160 = (d: Diagnostic[]) => d.filter((x) => x.code === "TRB160");

test("TRB160: one warning on the import of a project without tributaryjs, with 'Install tributaryjs'; installing it clears the warning", async () => {
  const dir = fixture("test-fixtures/lsp/workspace", { packageInstalled: false });
  writeFileSync(path.join(dir, "package.json"), "{}");
  writeFileSync(path.join(dir, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
  const upstream = path.join(dir, "upstream.ts");
  const client = await LspTestClient.start(dir);
  try {
    await client.open(upstream);
    const warnings = trb160(await client.diagnostics(upstream, (d) => trb160(d).length > 0));
    assert.equal(warnings.length, 1);
    const [warning] = warnings;
    assert.equal(warning!.severity, 2);
    const line = readFileSync(upstream, "utf8").split("\n")[warning!.range.start.line]!;
    assert.equal(line.slice(warning!.range.start.character, warning!.range.end.character), '"tributaryjs"');
    assert.match(line, /^import .* from "tributaryjs";/);
    assert.match(String(warning!.message), new RegExp(`"tributaryjs" is not installed for this file: there is no node_modules/tributaryjs in ${dir} or a folder above it. Install it \\(\`pnpm add tributaryjs\` in ${dir}\\)`));

    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(upstream) }, range: warning!.range, context: { diagnostics: [warning!] } })) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title, a.command?.command, a.command?.arguments]), [["Install tributaryjs", "tributary.installPackage", [{ file: upstream }]]]);

    installRepositoryPackage(dir);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(path.join(dir, "pnpm-lock.yaml")), type: FileChangeType.Changed }] });
    await client.diagnostics(upstream, (d) => trb160(d).length === 0);
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});

/**
 * A workspace copy of tributaryjs whose analysis is the repository's, marked: every finding it
 * reports starts with "[workspace copy]", so a diagnostic shows which copy made it, and each time
 * its config rules are applied to a finding they append RULES_MARK, so a diagnostic shows whose
 * config rules mapped it and how many times.
 */
const RULES_MARK = " [rules of the workspace copy]";

function installMarkedPackage(dir: string, apiVersion?: number): void {
  const pkg = path.join(dir, "node_modules", "tributaryjs");
  mkdirSync(path.join(pkg, "bin"), { recursive: true });
  writeFileSync(path.join(pkg, "bin", "tributary.js"), "");
  writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "tributaryjs", version: "0.1.7", bin: { tributary: "bin/tributary.js" }, exports: { "./analysis": "./analysis.js" } }));
  const real = path.join(repoRoot, "runtime", "dist", "analysis", "analysis-cli.js");
  writeFileSync(
    path.join(pkg, "analysis.js"),
    `const real = require(${JSON.stringify(real)}).analysisApi;
class ConfigRules extends real.ConfigRules {
  apply(findings) {
    return super.apply(findings).map((f) => ({ ...f, message: f.message + ${JSON.stringify(RULES_MARK)} }));
  }
}
ConfigRules.none = new ConfigRules(undefined, {});
exports.analysisApi = { ...real, ConfigRules, ${apiVersion === undefined ? "" : `apiVersion: ${apiVersion}, `}createAnalysisProject(options) {
  const project = real.createAnalysisProject(options);
  const analyze = project.analyze.bind(project);
  project.analyze = () => {
    const snapshot = analyze();
    for (const findings of snapshot.findings.values()) for (const f of findings) if (!f.message.startsWith("[workspace copy]")) f.message = "[workspace copy] " + f.message;
    return snapshot;
  };
  return project;
} };
`,
  );
}

test("the analysis is the workspace's own tributaryjs in a trusted workspace, the bundled one in Restricted Mode or when its API version differs", async () => {
  const cases = [
    { trusted: true, apiVersion: undefined, log: /the analysis of .* uses tributaryjs 0\.1\.7 from the workspace \(.*node_modules\/tributaryjs\)\.$/, marked: true },
    { trusted: false, apiVersion: undefined, log: /uses bundled tributaryjs 0\.1\.0 \(tributaryjs 0\.1\.7 from the workspace .* is not loaded in Restricted Mode/, marked: false },
    { trusted: true, apiVersion: 99, log: /uses bundled tributaryjs 0\.1\.0 \(.* speaks analysis API version 99, this language server 1\)/, marked: false },
  ];
  for (const c of cases) {
    const dir = fixture("test-fixtures/analysis/run-deployment-cycle", { packageInstalled: false });
    installMarkedPackage(dir, c.apiVersion);
    const client = await LspTestClient.start(dir, { workspaceTrusted: c.trusted });
    try {
      await client.logged(c.log);
      const [cycle] = await client.diagnostics(path.join(dir, "downstream.ts"), (d) => d.some((x) => x.code === "TRB100"));
      assert.equal(String(cycle!.message).startsWith("[workspace copy] "), c.marked, `${JSON.stringify(c)}: ${cycle!.message}`);
      assert.deepEqual(client.errors, []);
      assert.equal(await client.stop(), 0);
    } finally {
      if (client.isRunning) client.kill();
    }
  }
});

const message = (d: Diagnostic) => (typeof d.message === "string" ? d.message : (d.message as { value: string }).value);
const occurrences = (text: string, part: string) => text.split(part).length - 1;

test("a folder's config applies, once, to the findings of the workspace's copy, with that copy's rules and globs", async () => {
  const dir = fixture("test-fixtures/analysis/run-deployment-cycle", { packageInstalled: false });
  installMarkedPackage(dir);
  writeFileSync(path.join(dir, "tributary.config.json"), JSON.stringify({ exclude: ["generated/**"], severity: { TRB100: "warning" } }));
  mkdirSync(path.join(dir, "generated"));
  const excluded = path.join(dir, "generated", "broken.ts");
  writeFileSync(excluded, 'import { runDeployment } from "tributaryjs";\nawait runDeployment("nowhere/at-all");\n');
  const client = await LspTestClient.start(dir, { workspaceTrusted: true });
  try {
    await client.logged(/the analysis of .* uses tributaryjs 0\.1\.7 from the workspace/);
    assert.match(await client.logged(/analysed \d+ flow files/), /analysed 2 flow files/, "the excluded file is not part of the project");
    const [cycle, ...more] = await client.diagnostics(path.join(dir, "downstream.ts"), (d) => d.some((x) => x.code === "TRB100"));
    assert.equal(more.length, 0);
    assert.equal(cycle!.severity, DiagnosticSeverity.Warning, "the config's severity");
    assert.ok(message(cycle!).startsWith("[workspace copy] "), message(cycle!));
    assert.equal(occurrences(message(cycle!), RULES_MARK), 1, `the copy's rules, applied once: ${message(cycle!)}`);
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});

test("a package.json change that both reconfigures a folder and installs its tributaryjs reads the folder once: new copy, new config, TRB160 gone", async () => {
  const dir = fixture("test-fixtures/analysis/run-deployment-cycle", { packageInstalled: false });
  const manifest = path.join(dir, "package.json");
  writeFileSync(manifest, JSON.stringify({ name: "demo", private: true, tributary: { severity: { TRB100: "warning" } } }));
  const downstream = path.join(dir, "downstream.ts");
  const client = await LspTestClient.start(dir, { workspaceTrusted: true });
  const reads = () => client.logs.filter((line) => /analysed \d+ flow files/.test(line)).length;
  try {
    const before = await client.diagnostics(downstream, (d) => d.some((x) => x.code === "TRB100") && d.some((x) => x.code === "TRB160"));
    assert.equal(before.find((x) => x.code === "TRB100")!.severity, DiagnosticSeverity.Warning);
    assert.ok(!message(before.find((x) => x.code === "TRB100")!).startsWith("[workspace copy]"), "the bundled copy while none is installed");
    await client.logged(/the analysis of .* uses bundled tributaryjs/);
    assert.equal(reads(), 1);

    installMarkedPackage(dir);
    writeFileSync(manifest, JSON.stringify({ name: "demo", private: true, dependencies: { tributaryjs: "^0.1.0" }, tributary: { severity: { TRB100: "info" } } }));
    writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: "demo", lockfileVersion: 3, packages: {} }));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [manifest, path.join(dir, "package-lock.json")].map((file) => ({ uri: uriOf(file), type: FileChangeType.Changed as FileChangeType })),
    });
    const after = await client.diagnostics(downstream, (d) => d.some((x) => x.code === "TRB100" && x.severity === DiagnosticSeverity.Information));
    assert.deepEqual(after.map((x) => x.code), ["TRB100"], "TRB160 cleared");
    assert.ok(message(after[0]!).startsWith("[workspace copy] "), message(after[0]!));
    assert.equal(occurrences(message(after[0]!), RULES_MARK), 1);
    await client.logged(/the analysis of .* uses tributaryjs 0\.1\.7 from the workspace/);
    // A request answers after every reading under way: by then each one has logged its count.
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(downstream) }, position: { line: 4, character: 25 } });
    assert.equal(reads(), 2, client.logs.join("\n"));
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  } finally {
    if (client.isRunning) client.kill();
  }
});
