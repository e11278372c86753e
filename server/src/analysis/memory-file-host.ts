import path from "node:path";
import type { FileHost } from "./file-host.js";

/** A file host over a map of absolute paths to texts: for tests, and for editors' unsaved buffers. */
export function memoryFileHost(files: ReadonlyMap<string, string>): FileHost {
  return {
    fileExists: (file) => files.has(path.resolve(file)),
    readFile: (file) => files.get(path.resolve(file)),
    directoryExists: (dir) => {
      const prefix = path.resolve(dir) + path.sep;
      for (const file of files.keys()) if (file.startsWith(prefix)) return true;
      return false;
    },
    subdirectories: (dir) => {
      const prefix = path.resolve(dir) + path.sep;
      const names = new Set<string>();
      for (const file of files.keys()) if (file.startsWith(prefix) && file.indexOf(path.sep, prefix.length) > 0) names.add(file.slice(prefix.length, file.indexOf(path.sep, prefix.length)));
      return [...names];
    },
  };
}
