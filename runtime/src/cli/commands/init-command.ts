/**
 * `tributary init [dir]`: scaffolds a project in `dir` (default: the current directory), created
 * when missing — package.json, tsconfig.json, example flows, .gitignore, the extension recommended.
 * It never overwrites a file: one that exists is skipped and named. Then it prints what to run next.
 */
import { mkdirSync, statSync, writeFileSync, type Stats } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import type { CliContext } from "../cli-context.js";
import { EXAMPLE_RUN_COMMAND, projectTemplate, type TemplateFile } from "../init/project-template.js";
import { sqliteDriverProblem } from "../../store/sqlite-driver.js";
import { readPackageVersion } from "../package-version.js";

export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("Create a Tributary project: package.json, tsconfig.json and example flows (never overwrites a file).")
    .argument("[dir]", "the project folder, created when missing", ".")
    .action((dir: string) => {
      initProject(ctx, dir);
    });
}

type Outcome = { file: TemplateFile; written: true } | { file: TemplateFile; written: false; reason: string };

function initProject(ctx: CliContext, dir: string): void {
  const projectDir = path.resolve(ctx.cwd, dir);
  checkProjectDir(dir, projectDir);
  mkdirSync(projectDir, { recursive: true });
  const files = projectTemplate({
    name: packageNameFor(projectDir),
    tributaryVersion: readPackageVersion(ctx),
    nodeMajor: Number(process.versions.node.split(".")[0]),
    nodeHasSqlite: sqliteDriverProblem("node:sqlite") === undefined,
  });
  const outcomes = files.map((file) => writeNew(projectDir, file));

  const shown = path.relative(ctx.cwd, projectDir) || ".";
  ctx.stdout.write(`Tributary project in ${shown === "." ? "the current directory" : shown}:\n`);
  for (const outcome of outcomes) {
    ctx.stdout.write(outcome.written ? `  created  ${outcome.file.path}\n` : `  skipped  ${outcome.file.path} (${outcome.reason})\n`);
  }
  const manifestWritten = outcomes.some((o) => o.written && o.file.path === "package.json");
  ctx.stdout.write("\nNext:\n");
  if (shown !== ".") ctx.stdout.write(`  cd ${shellWord(shown)}\n`);
  // A package.json that was there already lacks the dependency; the install must add it.
  ctx.stdout.write(manifestWritten ? "  npm install\n" : "  npm install tributaryjs && npm install --save-dev typescript @types/node\n");
  ctx.stdout.write(`  npx ${EXAMPLE_RUN_COMMAND}\n`);
}

/** The folder must be a folder, or not exist yet (nor be under a file): checked before anything is written. */
function checkProjectDir(given: string, projectDir: string): void {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    const stats = statIfAny(dir);
    if (stats?.isDirectory()) return;
    if (stats) {
      const what = dir === projectDir ? `"${given}" is a file` : `"${given}" lies under the file "${dir}"`;
      throw new UsageError(`${what}, not a folder: give tributary init a folder to create the project in (it is created when missing).`);
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** Writes a file that does not exist yet; a file already there (or in the way of its folder) is left as it is. */
function writeNew(projectDir: string, file: TemplateFile): Outcome {
  const target = path.join(projectDir, ...file.path.split("/"));
  const folder = statIfAny(path.dirname(target));
  if (folder && !folder.isDirectory()) return { file, written: false, reason: "a file is in the way of its folder" };
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    // "wx": never overwrite, even a file that appeared since the check.
    writeFileSync(target, file.contents, { flag: "wx" });
    return { file, written: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return { file, written: false, reason: "it exists; left as it is" };
    if (code === "ENOTDIR") return { file, written: false, reason: "a file is in the way of its folder" };
    throw error;
  }
}

/** What is at `file`, or undefined when nothing is (also when a file stands where a folder on its path should be). */
function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** An npm package name from the folder's name: lower case, URL-safe, not starting with `.` or `_`. */
export function packageNameFor(projectDir: string): string {
  const name = path
    .basename(projectDir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+/, "")
    .replace(/-+$/, "")
    .slice(0, 214);
  return name === "" || name === "node_modules" || name === "favicon.ico" ? "tributary-project" : name;
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
