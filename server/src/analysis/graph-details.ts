import { displayPath } from "../../../runtime/src/file-paths.js";
import type { AnalysisSnapshot } from "./analysis-snapshot.js";
import { toGraphJson, type GraphJson } from "./dependency-graph.js";
import { automationId } from "./workspace-model.js";

/** The codes of the findings a graph view draws as cycles. */
export const CYCLE_CODES = ["TRB100", "TRB101"] as const;

/** One TRB100/TRB101 finding as the graph view needs it: its message and the call site of every hop. */
export interface GraphCycleJson {
  code: (typeof CYCLE_CODES)[number];
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  hops: { file: string; line: number; column: number; message: string }[];
}

/**
 * The graph with what a picture of it needs beyond `tributary graph --format json`: whether each
 * edge waits (a fire-and-forget `runDeployment` is drawn apart), which automation or deployment a
 * `triggers` edge comes from (`automation`: the node id of the automation that made it, when that
 * automation is a node), the column of each call site, and the reported cycles (suppressed ones are
 * not reported, so not drawn). The JSON of `tributary graph` stays as it was.
 */
export interface GraphDetailsJson {
  /** The absolute folder every `file` is relative to. */
  root: string;
  nodes: Omit<GraphJson["nodes"][number], "parameters">[];
  edges: (GraphJson["edges"][number] & { column: number; waiting: boolean; via?: string; automation?: string })[];
  cycles: GraphCycleJson[];
}

/** `file`s are relative to `relativeTo`, with forward slashes, as in {@link toGraphJson}. */
export function toGraphDetails(snapshot: AnalysisSnapshot, relativeTo: string): GraphDetailsJson {
  const rel = (absolute: string) => displayPath(relativeTo, absolute);
  const graph = toGraphJson(snapshot.model, relativeTo);
  const nodes = graph.nodes.map(({ parameters: _parameters, ...node }) => node);
  const edges = snapshot.model.edges.map((edge, i) => ({
    ...graph.edges[i]!,
    column: edge.at.loc.range.start.character + 1,
    waiting: edge.waiting,
    ...(edge.via !== undefined ? { via: edge.via } : {}),
    ...(edge.automation !== undefined && snapshot.model.nodes.has(automationId(edge.automation)) ? { automation: automationId(edge.automation) } : {}),
  }));
  const cycles: GraphCycleJson[] = [];
  for (const findings of snapshot.findings.values()) {
    for (const f of findings) {
      if (!(CYCLE_CODES as readonly string[]).includes(f.code)) continue;
      cycles.push({
        code: f.code as GraphCycleJson["code"],
        severity: f.severity === "error" ? "error" : "warning",
        message: f.message,
        file: rel(f.file),
        line: f.range.start.line + 1,
        hops: f.related.map((r) => ({ file: rel(r.file), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
      });
    }
  }
  cycles.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { root: relativeTo, nodes, edges, cycles };
}
