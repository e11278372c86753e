import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

/**
 * A maker of temporary folders for one test file: each call makes a fresh folder under the
 * system's temporary folder, and all of them are removed when the file's tests are done.
 *
 * @example
 * const temp = temporaryFolders();
 * const dir = temp("tributary-code-cache-");
 */
export function temporaryFolders(): (prefix: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
