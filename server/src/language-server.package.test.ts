import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { CodeActionRequest, DidChangeWatchedFilesNotification, FileChangeType, type CodeAction, type Diagnostic } from "vscode-languageserver-protocol";
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
 * reports starts with "[workspace copy]", so a diagnostic shows which copy made it.
 */
function installMarkedPackage(dir: string, apiVersion?: number): void {
  const pkg = path.join(dir, "node_modules", "tributaryjs");
  mkdirSync(path.join(pkg, "bin"), { recursive: true });
  writeFileSync(path.join(pkg, "bin", "tributary.js"), "");
  writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "tributaryjs", version: "0.1.7", bin: { tributary: "bin/tributary.js" }, exports: { "./analysis": "./analysis.js" } }));
  const real = path.join(repoRoot, "runtime", "dist", "analysis", "analysis-cli.js");
  writeFileSync(
    path.join(pkg, "analysis.js"),
    `const real = require(${JSON.stringify(real)}).analysisApi;
exports.analysisApi = { ...real, ${apiVersion === undefined ? "" : `apiVersion: ${apiVersion}, `}createAnalysisProject(options) {
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
