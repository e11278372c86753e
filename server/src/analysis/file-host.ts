import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";

/** How analysis reads files it was not given (imported const files, the tsconfig, package.json files). */
export interface FileHost {
  fileExists(file: string): boolean;
  readFile(file: string): string | undefined;
  directoryExists?(dir: string): boolean;
  /** The names of the folders directly in `dir` (for a workspace's `packages/*`); without it, only literal package folders are found. */
  subdirectories?(dir: string): string[];
  /** The path with symbolic links followed (node_modules links of a workspace); without it, paths are taken as they are. */
  realpath?(file: string): string;
}

/** Reads the real file system. */
export const nodeFileHost: FileHost = {
  fileExists: (file) => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  },
  readFile: (file) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  },
  directoryExists: (dir) => existsSync(dir),
  subdirectories: (dir) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? [entry.name] : []));
    } catch {
      return [];
    }
  },
  realpath: (file) => {
    try {
      return realpathSync(file);
    } catch {
      return file;
    }
  },
};
