import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { PathApi } from "../../runtime/src/file-paths.js";

/*
 * Node's URL functions do the Windows cases: VS Code's `file:///c%3A/proj/a.ts` (drive colon
 * escaped) is `c:\proj\a.ts`, `file://server/share/a.ts` is the UNC path `\\server\share\a.ts`,
 * and `#`, `%` and spaces are escaped. Which flavour follows the path implementation given (default
 * `node:path`), so tests run the Windows one on Linux with `path.win32`. (Node before 20.13 ignores
 * the `windows` option and uses its own platform's, which is the same outside tests.)
 */

/** The absolute path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string, p: PathApi = path): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri, { windows: p.sep === "\\" });
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string, p: PathApi = path): string {
  return pathToFileURL(file, { windows: p.sep === "\\" }).href;
}
