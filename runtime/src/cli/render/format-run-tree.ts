/**
 * Draws a run tree as lines of text:
 *
 *     ✓ orchestrator-flow · crimson-otter  Completed  1.24s
 *     ├─ ✓ extract-0  Completed  12ms
 *     └─ ✗ upstream-flow · brave-heron  Failed  310ms  Task run 'load-0' failed: boom
 *
 * A run with more children than `maxChildren` shows its unfinished ones and its latest finished
 * ones, and one line that counts the rest by state.
 */
import { isFinal } from "../../states.js";
import type { StateJson } from "../flow-run-json.js";
import { runDuration } from "./format-time.js";
import type { RunTreeNode } from "./run-tree.js";

export interface TreeFormatOptions {
  now: Date;
  /** ANSI colours (only on a terminal). */
  color: boolean;
  /** The spinner frame drawn for running runs; a static mark when absent. */
  spinner?: string;
  maxChildren: number;
  /** Lines are cut to this many characters, so that a redrawn tree never wraps. */
  width?: number;
}

type Item = { node: RunTreeNode; prefix: string; childPrefix: string } | { text: string; prefix: string };

export function formatRunTree(root: RunTreeNode, options: TreeFormatOptions): string[] {
  const lines: string[] = [];
  // An explicit stack instead of recursion: fan-outs and nested subflows can be large.
  const stack: Item[] = [{ node: root, prefix: "", childPrefix: "" }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ("text" in item) {
      lines.push(fit(item.prefix + item.text, options.width));
      continue;
    }
    lines.push(fit(item.prefix + formatNode(item.node, options), options.width));
    const entries = pickChildren(item.node.children, options.maxChildren);
    for (let i = entries.length - 1; i >= 0; i--) {
      const last = i === entries.length - 1;
      const entry = entries[i]!;
      const prefix = item.childPrefix + (last ? "└─ " : "├─ ");
      if (typeof entry === "string") stack.push({ text: entry, prefix });
      else stack.push({ node: entry, prefix, childPrefix: item.childPrefix + (last ? "   " : "│  ") });
    }
  }
  return lines;
}

function formatNode(node: RunTreeNode, options: TreeFormatOptions): string {
  const label = node.kind === "flow-run" ? `${node.definitionName} · ${node.name}` : node.name;
  const duration = runDuration(node.startTime, node.endTime, options.now);
  const parts = [`${icon(node.state, options)} ${label}`, paint(node.state.name, colorOf(node.state), options.color)];
  if (duration !== "") parts.push(paint(duration, "dim", options.color));
  if (node.state.message !== undefined && node.state.type !== "COMPLETED" && node.state.type !== "RUNNING") {
    parts.push(paint(firstLine(node.state.message), "dim", options.color));
  }
  return parts.join("  ");
}

function icon(state: StateJson, options: TreeFormatOptions): string {
  const mark = ((): string => {
    switch (state.type) {
      case "COMPLETED":
        return "✓";
      case "FAILED":
      case "CRASHED":
        return "✗";
      case "CANCELLED":
      case "CANCELLING":
        return "⊘";
      case "RUNNING":
        return options.spinner ?? "●";
      case "PAUSED":
        return "‖";
      default:
        return state.name === "AwaitingRetry" ? "↻" : "○";
    }
  })();
  return paint(mark, colorOf(state), options.color);
}

type Color = "green" | "red" | "yellow" | "cyan" | "dim";
const ANSI: Record<Color, string> = { green: "\x1b[32m", red: "\x1b[31m", yellow: "\x1b[33m", cyan: "\x1b[36m", dim: "\x1b[2m" };

function colorOf(state: StateJson): Color {
  switch (state.type) {
    case "COMPLETED":
      return "green";
    case "FAILED":
    case "CRASHED":
      return "red";
    case "CANCELLED":
    case "CANCELLING":
    case "PAUSED":
      return "yellow";
    case "RUNNING":
      return "cyan";
    default:
      return "dim";
  }
}

function paint(text: string, color: Color, enabled: boolean): string {
  return enabled ? `${ANSI[color]}${text}\x1b[0m` : text;
}

/**
 * The children to draw: all of them when they fit, else the unfinished ones and the latest
 * finished ones, with one summary line where the first hidden child was.
 */
function pickChildren(children: RunTreeNode[], max: number): (RunTreeNode | string)[] {
  if (children.length <= max) return children;
  const keep = new Set<number>();
  children.forEach((child, index) => {
    if (keep.size < max && !isFinal(child.state)) keep.add(index);
  });
  for (let index = children.length - 1; index >= 0 && keep.size < max; index--) keep.add(index);
  const hidden = children.filter((_, index) => !keep.has(index));
  const entries: (RunTreeNode | string)[] = [];
  let summarised = false;
  children.forEach((child, index) => {
    if (keep.has(index)) entries.push(child);
    else if (!summarised) {
      entries.push(summarise(hidden));
      summarised = true;
    }
  });
  return entries;
}

/** `… 9,988 more: 9,980 Completed, 8 Running` */
function summarise(hidden: RunTreeNode[]): string {
  const counts = new Map<string, number>();
  for (const node of hidden) counts.set(node.state.name, (counts.get(node.state.name) ?? 0) + 1);
  const byState = [...counts].map(([name, count]) => `${count.toLocaleString("en-US")} ${name}`).join(", ");
  return `… ${hidden.length.toLocaleString("en-US")} more: ${byState}`;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0]!;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** Cuts a line to `width` visible characters, leaving ANSI sequences intact. */
function fit(line: string, width: number | undefined): string {
  // eslint-disable-next-line no-control-regex -- matching the colour sequences this file writes
  const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
  if (width === undefined || plain.length <= width) return line;
  let visible = 0;
  let out = "";
  for (let i = 0; i < line.length && visible < width - 1; i++) {
    if (line[i] === "\x1b") {
      const end = line.indexOf("m", i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    out += line[i];
    visible++;
  }
  return `${out}…${plain.length === line.length ? "" : "\x1b[0m"}`;
}
