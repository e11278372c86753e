import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createAnalysisProject, type AnalysisProject, type AnalysisProjectOptions } from "./analysis-project.js";
import { isSourceFile, mentionsTributary } from "./source-files.js";

const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", ".tributary", ".git", "out", "coverage"]);
const READ_CONCURRENCY = 16;

/**
 * The TS/JS files under `paths` that import "tributaryjs" (a text test, no parsing), skipping
 * node_modules, dist, .tributary and hidden directories. A file named directly is always kept.
 */
export async function findFlowFiles(paths: readonly string[]): Promise<string[]> {
  const candidates: string[] = [];
  const named = new Set<string>();
  for (const p of paths) {
    const full = path.resolve(p);
    const info = await stat(full);
    if (info.isDirectory()) await walk(full, candidates);
    else if (isSourceFile(full)) named.add(full);
  }
  const found = new Set(named);
  for (let i = 0; i < candidates.length; i += READ_CONCURRENCY) {
    const batch = candidates.slice(i, i + READ_CONCURRENCY);
    const texts = await Promise.all(batch.map((f) => readFile(f, "utf8").catch(() => "")));
    batch.forEach((f, j) => {
      if (mentionsTributary(texts[j]!)) found.add(f);
    });
  }
  return [...found].sort();
}

async function walk(dir: string, into: string[]): Promise<void> {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith(".")) stack.push(full);
      } else if (entry.isFile() && isSourceFile(full)) {
        into.push(full);
      }
    }
  }
}

export type LoadWorkspaceOptions = Partial<AnalysisProjectOptions>;

/**
 * A project holding every flow file under `paths`. `rootDir` defaults to the one directory given,
 * or to the directory the paths have in common; its tsconfig.json is used when there is one.
 *
 * @example
 * const project = await loadWorkspace(["flows/"]);
 * for (const [file, findings] of project.getFindings()) …
 */
export async function loadWorkspace(paths: readonly string[], options: LoadWorkspaceOptions = {}): Promise<AnalysisProject> {
  const files = await findFlowFiles(paths.length > 0 ? paths : ["."]);
  const rootDir = options.rootDir ?? (await commonRoot(paths.length > 0 ? paths : ["."]));
  const project = createAnalysisProject({ ...options, rootDir });
  const texts = await Promise.all(files.map((f) => readFile(f, "utf8")));
  files.forEach((f, i) => project.setFileText(f, texts[i]!));
  return project;
}

async function commonRoot(paths: readonly string[]): Promise<string> {
  const dirs = await Promise.all(
    paths.map(async (p) => {
      const full = path.resolve(p);
      return (await stat(full)).isDirectory() ? full : path.dirname(full);
    }),
  );
  let root = dirs[0]!;
  for (const dir of dirs.slice(1)) {
    while (dir !== root && !dir.startsWith(root + path.sep)) root = path.dirname(root);
  }
  return root;
}
