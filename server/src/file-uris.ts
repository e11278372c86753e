import { fileURLToPath, pathToFileURL } from "node:url";

/** The absolute path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}
