/**
 * ResidentChecks (the check service's analysis), in this process: which of its three ways answered
 * (the last result, the kept project given the changed files, a new analysis), and that each answer
 * is the one `runCheck` prints for the same workspace.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { temporaryFolders } from "../test-support/temporary-folders.js";
import { runCheck } from "./analysis-cli.js";
import { ResidentChecks } from "./resident-checks.js";

const temp = temporaryFolders();

function write(dir: string, name: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
}

const flow = (name: string, calls: string[] = [], imports: string[] = []) =>
  [
    'import { flow } from "tributaryjs";',
    ...imports.map((other) => `import { ${other} } from "./${other}";`),
    `export const ${name} = flow("${name}", async () => {`,
    ...calls.map((call) => `  await ${call}();`),
    "});",
    "",
  ].join("\n");

/** What a check prints: stdout, stderr and the exit code. */
async function printed(run: (output: { stdout: { write(text: string): boolean }; stderr: { write(text: string): boolean } }) => Promise<number>): Promise<string> {
  let stdout = "";
  let stderr = "";
  const code = await run({ stdout: { write: (text) => ((stdout += text), true) }, stderr: { write: (text) => ((stderr += text), true) } });
  return `${code}\n${stdout}\n${stderr}`;
}

describe("ResidentChecks", () => {
  it("answers from the last result, from the kept project after edits and new or deleted files, and anew when another file or the config changes, as runCheck does", async () => {
    const cwd = temp("tributary-resident-");
    const cacheDir = path.join(temp("tributary-resident-cache-"), "cache");
    write(cwd, "a.ts", flow("a", ["b"], ["b"]));
    write(cwd, "b.ts", flow("b", ["a"], ["a"]));
    write(cwd, "notes.ts", "export const unrelated = 1;\n");
    const checks = new ResidentChecks();
    const expect = async (answer: string, format = "json") => {
      const resident = await printed((output) => checks.run({ cwd, paths: [], format, cacheDir, ...output }));
      assert.equal(checks.lastAnswer, answer);
      const alone = await printed((output) => runCheck({ cwd, paths: [], format, ...output }));
      assert.equal(resident, alone, `${answer}: the same as runCheck`);
      return resident;
    };
    assert.match(await expect("analysed"), /^1\n.*TRB100/s);
    await expect("unchanged");
    await expect("unchanged", "text");
    // Breaking the cycle: only a flow file's text changed.
    write(cwd, "b.ts", flow("b"));
    assert.match(await expect("updated"), /^0\n\[\]\n/);
    await expect("unchanged");
    // A file that does not import tributaryjs changed: discovery read it, nothing else moved.
    write(cwd, "notes.ts", "export const unrelated = 2;\n");
    await expect("updated");
    // A new flow file, then a deleted one.
    write(cwd, "c.ts", flow("c", ["a"], ["a"]));
    await expect("updated");
    rmSync(path.join(cwd, "c.ts"));
    await expect("updated");
    // A deleted file that another imports: where that import resolves changed, the workspace is read again.
    rmSync(path.join(cwd, "b.ts"));
    await expect("analysed");
    // A file a flow imports that is not a flow file: the workspace is read again.
    write(cwd, "names.ts", 'export const target = "a";\n');
    write(cwd, "d.ts", ['import { flow, waitForFlow } from "tributaryjs";', 'import { target } from "./names";', 'export const d = flow("d", async () => {', "  await waitForFlow(target);", "});", ""].join("\n"));
    await expect("updated");
    write(cwd, "names.ts", 'export const target = "nobody";\n');
    assert.match(await expect("analysed"), /TRB111/);
    // A config.
    write(cwd, "tributary.config.json", JSON.stringify({ exclude: ["b.ts"] }));
    await expect("analysed");
    await expect("unchanged");
  });
});
