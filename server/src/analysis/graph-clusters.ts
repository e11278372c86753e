/**
 * The overview of a big dependency graph: the nodes of a folder drawn as one node of that folder,
 * with the edges between folders aggregated and counted, until the folder is expanded. A folder
 * stands for every node whose file lies in it or below it; the folders drawn are the children of
 * the deepest folder all nodes share, and below each expanded folder, its children. A folder whose
 * nodes all lie in one subfolder is skipped over (`packages/a/src/flows` is one step, as VS Code's
 * compact folders show it); a folder with too many nodes of its own (a flat folder of hundreds of
 * files) is split into ranges of its files. Cycles stay visible: a folder holding a hop of a reported cycle, and
 * an aggregated edge standing for one, carry that cycle. Pure: no DOM, no Node.
 */
import type { GraphView, ViewEdge, ViewNode } from "./graph-view-model.js";

/** The id of a folder's node: `folder:` and the folder's path relative to the graph's root (`.` for the root). */
export function folderNodeId(folder: string): string {
  return `folder:${folder}`;
}

/** The folder of a node's file (relative, forward slashes); `.` for a file at the root. */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? "." : file.slice(0, slash);
}

interface FolderTree {
  path: string;
  children: Map<string, FolderTree>;
  /** Nodes whose file lies directly in this folder. */
  own: number;
  /** Nodes in this folder and below. */
  total: number;
}

/** The deepest folder every node's file lies in, as path segments. */
function commonFolder(folders: readonly string[][]): string[] {
  if (folders.length === 0) return [];
  const first = folders[0]!;
  let length = first.length;
  for (const segments of folders) {
    let i = 0;
    while (i < length && i < segments.length && segments[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

/** A folder holding more nodes than this of its own draws its files in ranges, as folders of their own. */
const RANGES_ABOVE = 100;
/** At most about this many ranges of a folder, of at least `MIN_RANGE` files each. */
const RANGES = 20;
const MIN_RANGE = 5;

/**
 * The path segments each node is filed under: its file's folder, and for a folder with more than
 * {@link RANGES_ABOVE} nodes of its own (a flat folder of hundreds of flow files), the range of
 * file names its file falls in (`f0.ts … f24.ts`, in natural order), so that even a workspace
 * without folders has an overview.
 */
function nodeSegments(nodes: readonly ViewNode[]): { segmentsOf: Map<string, string[]>; ranges: Set<string> } {
  const byFolder = new Map<string, { count: number; files: Set<string> }>();
  for (const n of nodes) {
    const folder = folderOf(n.file);
    const entry = byFolder.get(folder) ?? byFolder.set(folder, { count: 0, files: new Set() }).get(folder)!;
    entry.count++;
    entry.files.add(n.file);
  }
  const rangeOf = new Map<string, string>();
  for (const { count, files } of byFolder.values()) {
    if (count <= RANGES_ABOVE || files.size < 2) continue;
    const sorted = [...files].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const size = Math.max(MIN_RANGE, Math.ceil(sorted.length / RANGES));
    for (let i = 0; i < sorted.length; i += size) {
      const chunk = sorted.slice(i, i + size);
      const name = chunk.length === 1 ? baseName(chunk[0]!) : `${baseName(chunk[0]!)} … ${baseName(chunk.at(-1)!)}`;
      for (const file of chunk) rangeOf.set(file, name);
    }
  }
  const segmentsOf = new Map<string, string[]>();
  const ranges = new Set<string>();
  for (const n of nodes) {
    const folder = folderOf(n.file);
    const range = rangeOf.get(n.file);
    const segments = [...(folder === "." ? [] : folder.split("/")), ...(range !== undefined ? [range] : [])];
    if (range !== undefined) ranges.add(segments.join("/"));
    segmentsOf.set(n.id, segments);
  }
  return { segmentsOf, ranges };
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

function buildTree(nodes: readonly ViewNode[]): { root: FolderTree; segmentsOf: Map<string, string[]>; ranges: Set<string> } {
  const { segmentsOf, ranges } = nodeSegments(nodes);
  const base = commonFolder([...segmentsOf.values()]);
  const root: FolderTree = { path: base.length === 0 ? "." : base.join("/"), children: new Map(), own: 0, total: 0 };
  for (const segments of segmentsOf.values()) {
    let at = root;
    at.total++;
    for (let i = base.length; i < segments.length; i++) {
      const name = segments[i]!;
      let child = at.children.get(name);
      if (child === undefined) {
        child = { path: segments.slice(0, i + 1).join("/"), children: new Map(), own: 0, total: 0 };
        at.children.set(name, child);
      }
      child.total++;
      at = child;
    }
    at.own++;
  }
  return { root, segmentsOf, ranges };
}

/** Skips folders that hold nothing of their own and a single subfolder. */
function compact(tree: FolderTree): FolderTree {
  let at = tree;
  while (at.own === 0 && at.children.size === 1) at = at.children.values().next().value!;
  return at;
}

/**
 * What a node is drawn as: itself when every folder between the root and its file is expanded,
 * else the node of the first folder on that path that is not.
 */
interface Placement {
  /** Node id → the id of the node it is drawn as (itself, or its folder's). */
  of: Map<string, string>;
  /** Drawn node id → the expanded folder it is drawn in, for nodes below one. */
  within: Map<string, string>;
  /** The folders drawn as nodes, by path. */
  folders: Map<string, FolderTree>;
  /** The expanded folders that hold something drawn. */
  opened: Set<string>;
  /** The folders that are ranges of a folder's files. */
  ranges: Set<string>;
}

function representatives(nodes: readonly ViewNode[], expandedFolders: ReadonlySet<string>, reveal: string | undefined): Placement {
  const { root, segmentsOf, ranges } = buildTree(nodes);
  // The folders that hold the node to reveal are opened, with those asked for.
  const expanded = new Set(expandedFolders);
  const revealed = reveal === undefined ? undefined : segmentsOf.get(reveal);
  for (let i = 1; i <= (revealed?.length ?? 0); i++) expanded.add(revealed!.slice(0, i).join("/"));
  const of = new Map<string, string>();
  const folders = new Map<string, FolderTree>();
  const opened = new Set<string>();
  const within = new Map<string, string>();
  for (const n of nodes) {
    const segments = segmentsOf.get(n.id)!;
    const own = segments.length === 0 ? "." : segments.join("/");
    let at = root;
    let drawnAs = n.id;
    while (at.path !== own) {
      const depth = at.path === "." ? 0 : at.path.split("/").length;
      const next = compact(at.children.get(segments[depth]!)!);
      if (!expanded.has(next.path)) {
        drawnAs = folderNodeId(next.path);
        folders.set(next.path, next);
        break;
      }
      opened.add(next.path);
      at = next;
    }
    of.set(n.id, drawnAs);
    if (at !== root) within.set(drawnAs, at.path);
  }
  return { of, within, folders, opened, ranges };
}

/**
 * The view with collapsed folders drawn as nodes. Nodes and edges that no collapsed folder holds
 * are kept as they are; the nodes of a folder become one node, `▸ n nodes`; the edges between two
 * drawn nodes of which at least one is a folder become one edge that counts the edges it stands
 * for (its style kept when they share one, `aggregate` otherwise); edges inside a folder are not
 * drawn, and their cycles are the folder's.
 */
export function clusterByFolder(view: GraphView, expanded: ReadonlySet<string>, reveal?: string): GraphView & { folders: string[]; expandedFolders: string[] } {
  const { of, within, folders, opened, ranges } = representatives(view.nodes, expanded, reveal);
  const members = new Map<string, ViewNode[]>();
  const nodes: ViewNode[] = [];
  for (const n of view.nodes) {
    const drawnAs = of.get(n.id)!;
    if (drawnAs === n.id) {
      const folder = within.get(n.id);
      nodes.push(folder === undefined ? n : { ...n, within: folder });
      continue;
    }
    const list = members.get(drawnAs);
    if (list === undefined) members.set(drawnAs, [n]);
    else list.push(n);
  }
  const folderCycles = new Map<string, Set<number>>();
  const addCycles = (id: string, cycles: readonly number[]) => {
    if (cycles.length === 0) return;
    const set = folderCycles.get(id) ?? folderCycles.set(id, new Set()).get(id)!;
    for (const c of cycles) set.add(c);
  };
  for (const [id, list] of members) for (const n of list) addCycles(id, n.cycles);

  const edges: ViewEdge[] = [];
  const aggregated = new Map<string, { edge: ViewEdge; parts: ViewEdge[] }>();
  for (const e of view.edges) {
    const from = of.get(e.from)!;
    const to = of.get(e.to)!;
    if (from === e.from && to === e.to) {
      edges.push(e);
      continue;
    }
    if (from === to) {
      addCycles(from, e.cycles);
      continue;
    }
    const key = `${from}\n${to}`;
    const group = aggregated.get(key);
    if (group === undefined) {
      const edge: ViewEdge = { ...e, id: `agg:${from}->${to}`, from, to, cycles: [...e.cycles] };
      aggregated.set(key, { edge, parts: [e] });
      edges.push(edge);
    } else group.parts.push(e);
  }
  for (const { edge, parts } of aggregated.values()) summarise(edge, parts);

  const folderNodes: ViewNode[] = [...members].map(([id, list]) => {
    const folder = folders.get(id.slice("folder:".length))!;
    const parent = within.get(id);
    return {
      ...(parent !== undefined ? { within: parent } : {}),
      id,
      kind: "folder",
      name: folder.path,
      // A range of files reads as their names, a folder with its slash.
      label: ranges.has(folder.path) ? folder.path : `${folder.path}/`,
      file: folder.path,
      line: 0,
      matched: list.some((n) => n.matched),
      cycles: [...(folderCycles.get(id) ?? [])].sort((a, b) => a - b),
      folder: { path: folder.path, nodes: list.length, expanded: false },
    };
  });
  folderNodes.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  return { ...view, nodes: [...folderNodes, ...nodes], edges, folders: folderNodes.map((n) => n.name), expandedFolders: [...opened].sort() };
}

/** Counts, style, cycles and label of an edge that stands for several. */
function summarise(edge: ViewEdge, parts: readonly ViewEdge[]): void {
  const byLabel = new Map<string, number>();
  let calls = 0;
  const cycles = new Set<number>();
  for (const p of parts) {
    calls += p.calls;
    for (const c of p.cycles) cycles.add(c);
    const what = p.label.replace(/ ×\d+$/, "");
    byLabel.set(what, (byLabel.get(what) ?? 0) + p.calls);
  }
  edge.calls = calls;
  edge.cycles = [...cycles].sort((a, b) => a - b);
  edge.conditional = parts.every((p) => p.conditional);
  edge.aggregate = parts.length;
  if (parts.length === 1) return;
  if (parts.some((p) => p.style !== edge.style)) edge.style = "aggregate";
  const kinds = [...byLabel].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  edge.label = kinds.length === 1 ? `${kinds[0]![0]} ×${calls}` : `${calls} edges: ${kinds.map(([what, n]) => `${n} ${what}`).join(", ")}`;
}
