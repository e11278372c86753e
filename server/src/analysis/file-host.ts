import { existsSync, readFileSync, statSync } from "node:fs";

/** How analysis reads files it was not given (imported const files, the tsconfig). */
export interface FileHost {
  fileExists(file: string): boolean;
  readFile(file: string): string | undefined;
  directoryExists?(dir: string): boolean;
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
};
