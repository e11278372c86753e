import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, it } from "node:test";
import { generateWorkspace, writeWorkspace } from "../../../test-fixtures/generate-workspace.js";
import type { CheckJsonFinding, GraphJson } from "../analysis/index.js";
import { TRB_RULES } from "../analysis/trb-rules.js";
import { repoRoot, tributary } from "../test-support/tributary-command.js";

const fixture = (name: string) => path.join(repoRoot, "test-fixtures/analysis", name);

describe("tributary check", () => {
  it("prints DESIGN.md §3's JSON exactly (the fixtures' golden files) and exits 1 on errors, 0 otherwise", async () => {
    const names = ["run-deployment-cycle", "trigger-loop-automation", "unknown-names", "diamond", "recursion-guard", "unused-deployment"];
    const results = await Promise.all(names.map((name) => tributary(["check", "--format", "json"], fixture(name))));
    names.forEach((name, i) => {
      const { code, stdout, stderr } = results[i]!;
      const expected = JSON.parse(readFileSync(path.join(fixture(name), "expected.json"), "utf8")) as CheckJsonFinding[];
      assert.deepEqual(JSON.parse(stdout), expected, name);
      assert.equal(stderr, "", name);
      assert.equal(code, expected.some((f) => f.severity === "error") ? 1 : 0, `${name}: exit code`);
    });
    // Warnings only (a guarded recursion) and hints only (an unused deployment) pass.
    assert.equal(results[names.indexOf("recursion-guard")]!.code, 1, "recursion-guard has an unguarded cycle too");
    assert.equal(results[names.indexOf("unused-deployment")]!.code, 0);
  });

  it("names files relative to the current directory, and prints text like a compiler", async () => {
    const json = await tributary(["check", "run-deployment-cycle", "--format", "json"], path.join(repoRoot, "test-fixtures/analysis"));
    assert.equal((JSON.parse(json.stdout) as CheckJsonFinding[])[0]!.file, "run-deployment-cycle/downstream.ts");
    const text = await tributary(["check"], fixture("run-deployment-cycle"));
    assert.equal(text.code, 1);
    assert.equal(
      text.stdout,
      [
        "downstream.ts:5:21 - error TRB100: Dependency cycle: downstream-flow → upstream-flow → downstream-flow/downstream-processing → downstream-flow. Each run waits for the next, so none of them can finish; remove one of these calls or stop waiting on it.",
        '    downstream.ts:5:21 - flow "downstream-flow" waits for a run of flow "upstream-flow"',
        '    upstream.ts:5:35 - flow "upstream-flow" runs deployment "downstream-flow/downstream-processing" and waits for it',
        '    downstream.ts:8:37 - deployment "downstream-flow/downstream-processing" runs flow "downstream-flow"',
        "",
        "Found 1 error in 1 of 2 flow files.",
        "",
      ].join("\n"),
    );
  });

  it("passes the seed examples", async () => {
    const seeds = path.join(repoRoot, "examples");
    const [text, json] = await Promise.all([tributary(["check", seeds], repoRoot), tributary(["check", "--format", "json"], seeds)]);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    const flowFiles = readdirSync(seeds).filter((name) => name.endsWith(".ts")).length;
    assert.equal(text.stdout, `No problems found in ${flowFiles} flow files.\n`);
    assert.deepEqual(JSON.parse(json.stdout), []);
  });

  it("prints SARIF 2.1.0 with a rule per TRB code, and results pointing at real files", async () => {
    const cwd = path.join(repoRoot, "test-fixtures/analysis");
    const [sarifRun, jsonRun] = await Promise.all([tributary(["check", "--format", "sarif"], cwd), tributary(["check", "--format", "json"], cwd)]);
    assert.equal(sarifRun.code, 1);
    const sarif = JSON.parse(sarifRun.stdout) as any;
    const findings = JSON.parse(jsonRun.stdout) as CheckJsonFinding[];
    assert.equal(sarif.version, "2.1.0");
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, "tributary");
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
    const rules = run.tool.driver.rules as { id: string; name: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
    assert.deepEqual(rules.map((r) => r.id), TRB_RULES.map((r) => r.id));
    assert.deepEqual(rules.map((r) => r.id), ["TRB100", "TRB101", "TRB110", "TRB111", "TRB112", "TRB113", "TRB114", "TRB120", "TRB121", "TRB122", "TRB130", "TRB140", "TRB141", "TRB150"]);
    for (const rule of rules) {
      assert.ok(rule.name && rule.shortDescription.text, rule.id);
      assert.ok(["error", "warning", "note"].includes(rule.defaultConfiguration.level));
    }
    assert.equal(run.originalUriBaseIds["%SRCROOT%"].uri, `file://${cwd}/`);
    assert.equal(run.results.length, findings.length);
    run.results.forEach((result: any, i: number) => {
      const finding = findings[i]!;
      assert.equal(result.ruleId, finding.code);
      assert.equal(rules[result.ruleIndex]!.id, result.ruleId);
      assert.equal(result.level, { error: "error", warning: "warning", hint: "note", information: "note" }[finding.severity]);
      assert.equal(result.message.text, finding.message);
      const [location] = result.locations;
      assert.equal(location.physicalLocation.artifactLocation.uriBaseId, "%SRCROOT%");
      assert.equal(location.physicalLocation.artifactLocation.uri, finding.file);
      assert.ok(existsSync(path.join(cwd, finding.file)));
      assert.deepEqual(location.physicalLocation.region, { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn });
      assert.equal(result.relatedLocations.length, finding.related.length);
      result.relatedLocations.forEach((related: any, j: number) => {
        assert.equal(related.id, j + 1);
        assert.equal(related.message.text, finding.related[j]!.message);
        assert.equal(related.physicalLocation.region.startLine, finding.related[j]!.line);
      });
    });
  });

  it("prints the same, byte for byte, for a workspace saved with CRLF line endings", async (t) => {
    const copies = mkdtempSync(path.join(os.tmpdir(), "tributary-check-crlf-"));
    t.after(() => rmSync(copies, { recursive: true, force: true }));
    for (const name of ["run-deployment-cycle", "unknown-names", "parameters", "suppression"]) {
      const copy = path.join(copies, name);
      cpSync(fixture(name), copy, { recursive: true });
      for (const file of readdirSync(copy).filter((f) => f.endsWith(".ts"))) {
        writeFileSync(path.join(copy, file), readFileSync(path.join(copy, file), "utf8").replace(/\r?\n/g, "\r\n"));
      }
      for (const args of [["check"], ["check", "--format", "json"], ["check", "--format", "sarif"]]) {
        const [lf, crlf] = await Promise.all([tributary(args, fixture(name)), tributary(args, copy)]);
        assert.ok(lf.stdout.length > 0, `${name} ${args.join(" ")} prints something`);
        // SARIF names the checked folder itself (%SRCROOT%), which differs.
        const inCopy = lf.stdout.replaceAll(pathToFileURL(fixture(name)).href, pathToFileURL(copy).href);
        assert.deepEqual(crlf, { ...lf, stdout: inCopy }, `${name}: ${args.join(" ")}`);
      }
    }
  });

  it("exits 2 with one line on stderr on bad usage", async () => {
    const cwd = fixture("diamond");
    const results = await Promise.all([tributary(["check", "--format", "xml"], cwd), tributary(["check", "nowhere"], cwd), tributary(["graph", "--format", "svg"], cwd), tributary(["graph", "flows.ts", "missing.ts"], cwd)]);
    for (const { code, stdout, stderr } of results) {
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "");
      assert.equal(stderr.split("\n").length, 2, stderr);
      assert.match(stderr, /^tributary: /);
    }
    assert.match(results[1]!.stderr, /No such file or directory: nowhere\. Paths are relative to the current directory/);
    assert.match(results[3]!.stderr, /missing\.ts/);
  });
});

describe("tributary graph", () => {
  it("prints the JSON of DESIGN.md §3", async () => {
    const { code, stdout } = await tributary(["graph"], fixture("run-deployment-cycle"));
    assert.equal(code, 0);
    const graph = JSON.parse(stdout) as GraphJson;
    assert.deepEqual(graph.nodes.map((n) => [n.id, n.kind, n.name, n.file, n.line]), [
      ["deployment:downstream-flow/downstream-processing", "deployment", "downstream-flow/downstream-processing", "downstream.ts", 8],
      ["deployment:upstream-flow/nightly", "deployment", "upstream-flow/nightly", "upstream.ts", 9],
      ["flow:downstream-flow", "flow", "downstream-flow", "downstream.ts", 3],
      ["flow:upstream-flow", "flow", "upstream-flow", "upstream.ts", 3],
    ]);
    assert.deepEqual(graph.nodes[2]!.parameters, { type: "object", properties: {}, additionalProperties: false });
    for (const edge of graph.edges) assert.deepEqual(Object.keys(edge), ["from", "to", "kind", "conditional", "file", "line"]);
    assert.deepEqual(graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort(), [
      "deployment:downstream-flow/downstream-processing -deployment-of-> flow:downstream-flow",
      "deployment:upstream-flow/nightly -deployment-of-> flow:upstream-flow",
      "flow:downstream-flow -waits-for-> flow:upstream-flow",
      "flow:upstream-flow -run-deployment-> deployment:downstream-flow/downstream-processing",
    ]);
  });

  it("draws the cycle in Mermaid and DOT, kinds styled apart and conditional edges dashed", async () => {
    const cwd = fixture("run-deployment-cycle");
    const [mermaid, dot, guarded] = await Promise.all([tributary(["graph", "--format", "mermaid"], cwd), tributary(["graph", "--format", "dot"], cwd), tributary(["graph", "--format", "mermaid"], fixture("recursion-guard"))]);
    assert.match(mermaid.stdout, /^flowchart LR\n/);
    assert.equal(mermaid.stdout.match(/==>\|"[a-z-]+ ⟲ cycle"\|/g)?.length, 3, mermaid.stdout);
    assert.equal(mermaid.stdout.match(/linkStyle \d+ stroke:#cf222e/g)?.length, 3);
    assert.match(mermaid.stdout, /n0\[\/"deployment: downstream-flow\/downstream-processing"\/\]/);
    assert.match(guarded.stdout, /-\.->\|"subflow \(conditional\) ⟲ cycle"\|/);
    assert.match(guarded.stdout, /stroke-dasharray/);
    assert.match(dot.stdout, /^digraph tributary \{\n/);
    assert.equal(dot.stdout.match(/label="[a-z-]+ \(cycle\)", color="#cf222e"/g)?.length, 3, dot.stdout);
    assert.match(dot.stdout, /"flow:upstream-flow" -> "deployment:downstream-flow\/downstream-processing" \[label="run-deployment \(cycle\)"/);
    assert.ok(dot.stdout.trimEnd().endsWith("}"));
  });

  it("draws an automation as a node with its edges and two calls of one deployment as one edge, while the JSON keeps one edge per call", async () => {
    const cwd = fixture("graph-automation-node");
    const [mermaid, dot, json] = await Promise.all([tributary(["graph", "--format", "mermaid"], cwd), tributary(["graph", "--format", "dot"], cwd), tributary(["graph"], cwd)]);
    assert.equal(mermaid.code, 0, mermaid.stderr);
    assert.match(mermaid.stdout, /^ {2}n0\{\{"automation: after ingest #lt;ok#gt; #35;1"\}\}$/m);
    assert.match(mermaid.stdout, /^ {2}n2 -->\|"triggers"\| n0$/m);
    assert.match(mermaid.stdout, /^ {2}n0 -->\|"runs"\| n1$/m);
    assert.match(mermaid.stdout, /^ {2}n2 -->\|"run-deployment \(no wait\) ×2"\| n1$/m);
    assert.doesNotMatch(mermaid.stdout, /via automation/);
    assert.match(dot.stdout, /"automation:after ingest <ok> #1" \[label="automation: after ingest <ok> #1", shape=hexagon/);
    assert.match(dot.stdout, /"flow:ingest" -> "automation:after ingest <ok> #1" \[label="triggers"/);
    const graph = JSON.parse(json.stdout) as GraphJson;
    for (const edge of graph.edges) assert.deepEqual(Object.keys(edge), ["from", "to", "kind", "conditional", "file", "line"]);
    assert.deepEqual(graph.edges.filter((e) => e.from === "flow:ingest").map((e) => `${e.kind} ${e.to} ${e.line}`), [
      'run-deployment deployment:report "daily" [v2]/on demand (eu)/a\\b 10',
      'run-deployment deployment:report "daily" [v2]/on demand (eu)/a\\b 11',
      'triggers deployment:report "daily" [v2]/on demand (eu)/a\\b 17',
    ]);
  });
});

describe("tributary check and graph on a generated workspace", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-generated-"));
  const workspace = generateWorkspace(260);
  writeWorkspace(dir, workspace);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("finds every planted cycle and trigger loop, and the graph holds every flow", async () => {
    const [check, graph] = await Promise.all([tributary(["check", "--format", "json"], dir), tributary(["graph"], dir)]);
    assert.equal(check.code, 1);
    const findings = JSON.parse(check.stdout) as CheckJsonFinding[];
    assert.equal(findings.filter((f) => f.code === "TRB100").length, workspace.planted.cycles);
    assert.equal(findings.filter((f) => f.code === "TRB101").length, workspace.planted.triggerLoops);
    assert.equal((JSON.parse(graph.stdout) as GraphJson).nodes.filter((n) => n.kind === "flow").length, 260 * 2);
  });
});
