import { displayPath } from "../../runtime/src/file-paths.js";
import type { Hover } from "vscode-languageserver";
import type { AnalysisApi } from "./analysis/analysis-api.js";
import type { AnalysisSnapshot, Neighbour } from "./analysis/index.js";
import { pathToUri } from "./file-uris.js";

/**
 * Hover on a flow, deployment or automation (its declaration, a name string or a call site): what
 * it is and, with links to each call site, its direct upstream and downstream.
 */
export function hoverAt(api: AnalysisApi, snapshot: AnalysisSnapshot, file: string, offset: number): Hover | undefined {
  const hit = api.nodeAt(snapshot, file, offset);
  if (!hit) return undefined;
  const lines = [`**${hit.kind}** \`${hit.name}\``];
  if (!hit.known) {
    lines.push("", `No ${hit.kind} of this name is declared in the workspace.`);
    return { contents: { kind: "markdown", value: lines.join("\n") }, range: hit.at.loc.range };
  }
  const node = snapshot.model.nodes.get(hit.nodeId);
  if (node) lines[0] += ` — declared at ${link(snapshot, node.at.file, node.at.loc.range.start.line)}`;
  const { upstream, downstream } = api.findUpstreamDownstream(snapshot, hit.nodeId);
  lines.push("", section(snapshot, "Upstream", upstream, "nothing runs, calls or triggers it"), "", section(snapshot, "Downstream", downstream, "it starts and waits for nothing"));
  return { contents: { kind: "markdown", value: lines.join("\n") }, range: hit.at.loc.range };
}

function section(snapshot: AnalysisSnapshot, title: string, neighbours: Neighbour[], none: string): string {
  if (neighbours.length === 0) return `${title}: ${none}.`;
  const items = neighbours.map(({ node, edges }) => {
    const sites = edges.map((e) => `${e.kind}${e.via ? ` via ${e.via}` : ""}${e.conditional ? " (conditional)" : ""} at ${link(snapshot, e.at.file, e.at.loc.range.start.line)}`);
    return `- ${node.kind} \`${node.name}\` — ${sites.join(", ")}`;
  });
  return `${title} (${neighbours.length}):\n${items.join("\n")}`;
}

function link(snapshot: AnalysisSnapshot, file: string, line: number): string {
  const label = `${displayPath(snapshot.rootDir, file)}:${line + 1}`;
  return `[${label}](${pathToUri(file)}#L${line + 1})`;
}
