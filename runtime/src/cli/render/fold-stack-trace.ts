/**
 * A stack trace as a person reads it: the frames of the user's code first, their files relative to
 * the current directory, and the engine's frames (tributaryjs, node internals, other packages in
 * node_modules) folded into one line. The store keeps the full trace; this runs when printing it.
 *
 *     Failed: Error: cannot parse row "bad"
 *         at parseRow (flows/etl.ts:4:28)
 *         at Object.fn (flows/etl.ts:8:65)
 *         … 8 frames in tributaryjs and node internals (--verbose shows them)
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { displayPath, isInsideDir, type PathApi } from "../../file-paths.js";

/** Where a frame's code lives. */
export type FrameOrigin = "user" | "tributary" | "node_modules" | "node";

export interface FoldOptions {
  /** User files are shown relative to this folder. */
  cwd: string;
  /** Folders of the tributaryjs package that ran (a checkout's `runtime/`); `node_modules/tributaryjs` counts anyway. */
  tributaryRoots: readonly string[];
  /** `path.win32` to read Windows paths. @default node:path */
  pathApi?: PathApi;
  /**
   * What shows the folded frames, named in the fold line (`… 8 frames in tributaryjs (--verbose shows them)`):
   * the editor's log document names the CLI command. @default "--verbose"
   */
  showsAll?: string;
}

const FRAME = /^\s+at /;

/** How the folded frames of each origin are named, in the order the fold line lists them. */
const FOLDED_NAMES: [Exclude<FrameOrigin, "user">, string][] = [
  ["tributary", "tributaryjs"],
  ["node_modules", "node_modules"],
  ["node", "node internals"],
];

/**
 * Every run of `    at …` lines in `text` with the user's frames kept (first, in their order, paths
 * relative to `cwd`) and the others counted in one line; lines that are not frames stay as they are.
 *
 * @example
 * foldStackTrace("Error: boom\n    at f (/p/a.ts:1:7)\n    at node:internal/x:1:1", { cwd: "/p", tributaryRoots: [] })
 * // "Error: boom\n    at f (a.ts:1:7)\n    … 1 frame in node internals (--verbose shows it)"
 */
export function foldStackTrace(text: string, options: FoldOptions): string {
  const out: string[] = [];
  let frames: string[] = [];
  const flush = () => {
    if (frames.length > 0) out.push(...foldFrames(frames, options));
    frames = [];
  };
  for (const line of text.split("\n")) {
    if (FRAME.test(line)) {
      frames.push(line);
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  return out.join("\n");
}

function foldFrames(frames: readonly string[], options: FoldOptions): string[] {
  const indent = /^\s*/.exec(frames[0]!)![0];
  const kept: string[] = [];
  const folded = new Map<FrameOrigin, number>();
  for (const frame of frames) {
    const { origin, shown } = classifyFrame(frame, options);
    if (origin === "user") kept.push(shown);
    else folded.set(origin, (folded.get(origin) ?? 0) + 1);
  }
  const count = [...folded.values()].reduce((a, b) => a + b, 0);
  if (count === 0) return kept;
  const names = FOLDED_NAMES.filter(([origin]) => folded.has(origin)).map(([, name]) => name);
  const where = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return [...kept, `${indent}… ${count} frame${count === 1 ? "" : "s"} in ${where} (${options.showsAll ?? "--verbose"} shows ${count === 1 ? "it" : "them"})`];
}

/**
 * Where one `    at …` line's code lives, and the line as shown: a user frame with its file
 * relative to `cwd`, any other frame as it came.
 */
export function classifyFrame(frame: string, options: FoldOptions): { origin: FrameOrigin; shown: string } {
  const p = options.pathApi ?? path;
  const body = frame.replace(FRAME, "");
  const inParens = /\(([^()]*)\)$/.exec(body);
  const location = inParens ? inParens[1]! : body;
  const { file, position } = splitPosition(location);
  const absolute = toAbsoluteFile(file, p);
  if (absolute === undefined) return { origin: "node", shown: frame };
  const segments = absolute.split(/[\\/]/);
  const modules = segments.lastIndexOf("node_modules");
  if (modules >= 0 && segments[modules + 1] === "tributaryjs") return { origin: "tributary", shown: frame };
  if (options.tributaryRoots.some((root) => isInsideDir(absolute, root, p))) return { origin: "tributary", shown: frame };
  if (modules >= 0) return { origin: "node_modules", shown: frame };
  const relative = `${displayPath(options.cwd, absolute, p)}${position}`;
  const indent = /^\s*at /.exec(frame)![0];
  return { origin: "user", shown: inParens ? `${indent}${body.slice(0, inParens.index)}(${relative})` : `${indent}${relative}` };
}

/** `/a/b.ts:4:28` → the file and `:4:28`. */
function splitPosition(location: string): { file: string; position: string } {
  const match = /^(.*?)((?::\d+){1,2})$/.exec(location);
  return match ? { file: match[1]!, position: match[2]! } : { file: location, position: "" };
}

/** An absolute file path, or undefined for what is not one (`node:fs`, `native`, `<anonymous>`, `evalmachine…`). */
function toAbsoluteFile(file: string, p: PathApi): string | undefined {
  if (file.startsWith("file://")) {
    try {
      return fileURLToPath(file, { windows: p.sep === "\\" });
    } catch {
      return undefined;
    }
  }
  return p.isAbsolute(file) ? file : undefined;
}
