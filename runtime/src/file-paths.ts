/**
 * Path questions asked all over the CLI, the analysis and the language server — is this file inside
 * that folder, how is it shown, where do these folders meet — answered with `path.relative`, which
 * on Windows ignores the case of drive letters and handles UNC paths and other drives, where a
 * `startsWith(dir + "/")` would not. Each takes the path implementation (default `node:path`), so
 * that tests run the Windows answers on Linux with `path.win32`.
 */
import path from "node:path";

/** `node:path`, `path.posix` or `path.win32`. */
export type PathApi = path.PlatformPath;

/**
 * `file` relative to `dir` with `/` separators (`""` for `dir` itself), or undefined when `file`
 * is not inside `dir` (above it, beside it, on another drive).
 *
 * @example
 * pathInside("C:\\proj", "c:\\proj\\flows\\a.ts", path.win32) // "flows/a.ts"
 */
export function pathInside(dir: string, file: string, p: PathApi = path): string | undefined {
  const relative = p.relative(dir, file);
  if (relative === ".." || relative.startsWith(`..${p.sep}`) || p.isAbsolute(relative)) return undefined;
  return relative.split(p.sep).join("/");
}

/** Whether `file` is `dir` or lies inside it. */
export function isInsideDir(file: string, dir: string, p: PathApi = path): boolean {
  return pathInside(dir, file, p) !== undefined;
}

/**
 * How a file is shown to people and written to JSON: relative to `from`, with `/` separators
 * (`../lib/a.ts` above it); on another drive, the absolute path with `/`.
 */
export function displayPath(from: string, file: string, p: PathApi = path): string {
  return p.relative(from, file).split(p.sep).join("/");
}

/**
 * The deepest folder that holds every one of `dirs` (absolute). Folders on different drives share
 * none: the first one's root is returned then.
 */
export function commonDirectory(dirs: readonly string[], p: PathApi = path): string {
  let root = dirs[0]!;
  for (const dir of dirs.slice(1)) {
    while (!isInsideDir(dir, root, p) && p.dirname(root) !== root) root = p.dirname(root);
  }
  return root;
}
