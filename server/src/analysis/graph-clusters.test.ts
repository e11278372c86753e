import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { generateWorkspace, writeWorkspace } from "../../../test-fixtures/generate-workspace.js";
import type { GraphDetailsJson } from "./graph-details.js";
import { toGraphDetails } from "./graph-details.js";
import { toGraphView } from "./graph-view-model.js";
import { loadWorkspace } from "./load-workspace.js";

type Details = GraphDetailsJson;
const flow = (name: string, file: string): Details["nodes"][number] => ({ id: `flow:${name}`, kind: "flow", name, file, line: 1 });
const call = (from: string, to: string, file: string, line: number, kind: Details["edges"][number]["kind"] = "subflow"): Details["edges"][number] => ({ from: `flow:${from}`, to: `flow:${to}`, kind, conditional: false, file, line, column: 3, waiting: true });

/**
 * etl/load.ts and etl/clean.ts; packages/core/src/{a,b}.ts (one step: nothing else under packages);
 * main.ts at the root. A cycle inside etl (load ⇄ clean), and calls between the folders.
 */
function sample(): Details {
  const nodes = [flow("load", "etl/load.ts"), flow("clean", "etl/clean.ts"), flow("a", "packages/core/src/a.ts"), flow("b", "packages/core/src/b.ts"), flow("main", "main.ts")];
  const edges = [
    call("main", "load", "main.ts", 4),
    call("main", "a", "main.ts", 5),
    call("load", "clean", "etl/load.ts", 6),
    call("clean", "load", "etl/clean.ts", 7),
    call("load", "a", "etl/load.ts", 8),
    call("clean", "b", "etl/clean.ts", 9, "run-deployment"),
    call("clean", "b", "etl/clean.ts", 10, "run-deployment"),
  ];
  const hop = (file: string, line: number) => ({ file, line, column: 3, message: "hop" });
  const cycles: Details["cycles"] = [{ code: "TRB100", severity: "error", message: "Dependency cycle: load → clean → load", file: "etl/load.ts", line: 6, hops: [hop("etl/load.ts", 6), hop("etl/clean.ts", 7)] }];
  return { root: "/w", nodes, edges, cycles };
}

describe("the graph's overview by folder", () => {
  test("draws each folder as a node with its count, skips folders with one subfolder and nothing else, and keeps root files' nodes", () => {
    const view = toGraphView(sample(), { folders: { above: 0, expanded: new Set() } });
    assert.deepEqual(
      view.nodes.map((n) => [n.id, n.kind, n.folder?.nodes]),
      [
        ["folder:etl", "folder", 2],
        ["folder:packages/core/src", "folder", 2],
        ["flow:main", "flow", undefined],
      ],
    );
    assert.deepEqual(view.folders, ["etl", "packages/core/src"]);
    assert.deepEqual(view.expandedFolders, []);
  });

  test("aggregates the edges between drawn nodes with counts, drops those inside a folder, and keeps cycles red on the folder", () => {
    const view = toGraphView(sample(), { folders: { above: 0, expanded: new Set() } });
    assert.deepEqual(
      view.edges.map((e) => [e.from, e.to, e.style, e.label, e.aggregate, e.calls]).sort(),
      [
        ["flow:main", "folder:etl", "subflow", "subflow", 1, 1],
        ["flow:main", "folder:packages/core/src", "subflow", "subflow", 1, 1],
        ["folder:etl", "folder:packages/core/src", "aggregate", "3 edges: 2 run-deployment, 1 subflow", 2, 3],
      ],
    );
    // The cycle lies inside etl: its folder is drawn on it, and no edge between folders is.
    assert.deepEqual(view.nodes.find((n) => n.id === "folder:etl")!.cycles, [0]);
    assert.deepEqual(view.nodes.find((n) => n.id === "folder:packages/core/src")!.cycles, []);
    assert.ok(view.edges.every((e) => e.cycles.length === 0));
  });

  test("an edge between folders that is a hop of a cycle carries the cycle", () => {
    const graph = sample();
    graph.cycles[0]!.hops.push({ file: "etl/load.ts", line: 8, column: 3, message: "hop" });
    const view = toGraphView(graph, { folders: { above: 0, expanded: new Set() } });
    assert.deepEqual(view.edges.find((e) => e.from === "folder:etl" && e.to === "folder:packages/core/src")!.cycles, [0]);
    assert.deepEqual(view.nodes.find((n) => n.id === "folder:packages/core/src")!.cycles, [0], "a's node is a hop's end");
  });

  test("an expanded folder draws its nodes and their own edges, and the rest stays folded", () => {
    const view = toGraphView(sample(), { folders: { above: 0, expanded: new Set(["etl"]) } });
    assert.deepEqual(view.nodes.map((n) => n.id), ["folder:packages/core/src", "flow:load", "flow:clean", "flow:main"]);
    assert.deepEqual(view.expandedFolders, ["etl"]);
    const edges = view.edges.map((e) => `${e.from} -${e.label}-> ${e.to} ${JSON.stringify(e.cycles)}`).sort();
    assert.deepEqual(edges, [
      "flow:clean -run-deployment ×2-> folder:packages/core/src []",
      "flow:clean -subflow-> flow:load [0]",
      "flow:load -subflow-> flow:clean [0]",
      "flow:load -subflow-> folder:packages/core/src []",
      "flow:main -subflow-> flow:load []",
      "flow:main -subflow-> folder:packages/core/src []",
    ]);
  });

  test("a flat folder of many files is drawn as ranges of its files, in natural order; a range opens like a folder", () => {
    // 150 files in one folder, a flow each, each calling the next.
    const nodes = Array.from({ length: 150 }, (_, i) => flow(`f${i}`, `flows/f${i}.ts`));
    const edges = Array.from({ length: 149 }, (_, i) => call(`f${i}`, `f${i + 1}`, `flows/f${i}.ts`, 3));
    const graph: Details = { root: "/w", nodes, edges, cycles: [] };
    const view = toGraphView(graph, { folders: { above: 100, expanded: new Set() } });
    // 150 files in ranges of 8 (150 / 20, rounded up): 19 ranges, the last of 6, in natural order.
    assert.equal(view.nodes.length, 19);
    assert.deepEqual(view.nodes.slice(0, 3).map((n) => [n.id, n.label, n.folder?.nodes]), [
      ["folder:flows/f0.ts … f7.ts", "flows/f0.ts … f7.ts", 8],
      ["folder:flows/f8.ts … f15.ts", "flows/f8.ts … f15.ts", 8],
      ["folder:flows/f16.ts … f23.ts", "flows/f16.ts … f23.ts", 8],
    ]);
    assert.ok(view.nodes.some((n) => n.id === "folder:flows/f144.ts … f149.ts" && n.folder?.nodes === 6));
    assert.equal(view.nodes.reduce((sum, n) => sum + n.folder!.nodes, 0), 150);
    // f7 → f8 crosses from the first range to the second.
    assert.ok(view.edges.some((e) => e.from === "folder:flows/f0.ts … f7.ts" && e.to === "folder:flows/f8.ts … f15.ts" && e.calls === 1));
    const opened = toGraphView(graph, { folders: { above: 100, expanded: new Set(["flows/f8.ts … f15.ts"]) } });
    const drawn = opened.nodes.filter((n) => n.kind === "flow");
    assert.deepEqual(drawn.map((n) => [n.id, n.within]), Array.from({ length: 8 }, (_, i) => [`flow:f${i + 8}`, "flows/f8.ts … f15.ts"]));
  });

  test("reveal opens every folder that holds the node, and says which in expandedFolders", () => {
    const view = toGraphView(sample(), { folders: { above: 0, expanded: new Set(), reveal: "flow:b" } });
    assert.deepEqual(view.expandedFolders, ["packages/core/src"]);
    assert.deepEqual(view.nodes.find((n) => n.id === "flow:b")?.within, "packages/core/src");
    assert.ok(view.nodes.some((n) => n.id === "folder:etl"), "the other folders stay folded");
  });

  test("a graph at or below the threshold is drawn whole", () => {
    const flat = toGraphView(sample());
    const small = toGraphView(sample(), { folders: { above: 5, expanded: new Set() } });
    assert.deepEqual(small, flat);
    assert.equal(small.folders, undefined);
  });

  test("the generated 500-file workspace: an overview of its 20 folders with every cycle on one, and all expanded is the whole graph", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-overview-"));
    try {
      writeWorkspace(dir, generateWorkspace(500));
      const project = await loadWorkspace([dir], { rootDir: dir });
      const graph = toGraphDetails(project.analyze(), dir);
      const whole = toGraphView(graph, { expandedFlows: new Set() });
      assert.ok(whole.nodes.length > 1000, `${whole.nodes.length} nodes`);
      const overview = toGraphView(graph, { expandedFlows: new Set(), folders: { above: 300, expanded: new Set() } });
      assert.equal(overview.nodes.length, 20);
      assert.ok(overview.nodes.every((n) => n.kind === "folder" && n.folder!.nodes > 0));
      assert.equal(overview.nodes.reduce((sum, n) => sum + n.folder!.nodes, 0), whole.nodes.length, "every node is in one folder");
      const onFolders = new Set(overview.nodes.flatMap((n) => n.cycles));
      assert.deepEqual([...onFolders].sort((a, b) => a - b), graph.cycles.map((_, i) => i));
      const all = toGraphView(graph, { expandedFlows: new Set(), folders: { above: 300, expanded: new Set(overview.folders) } });
      assert.deepEqual(new Set(all.nodes.map((n) => n.id)), new Set(whole.nodes.map((n) => n.id)));
      assert.equal(all.edges.length, whole.edges.length);
      assert.deepEqual(all.expandedFolders, overview.folders);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
