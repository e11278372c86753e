/**
 * The built language server (dist/server/main.js) carries no analysis of its own: it loads the
 * bundled package's (runtime/dist/analysis/analysis-cli.js, from ../../runtime beside dist/). Without
 * that file it must say so, and what to do, rather than fail later on every request.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "./test-support/lsp-test-client.js";

const layout = mkdtempSync(path.join(os.tmpdir(), "tributary-server-alone-"));
after(() => rmSync(layout, { recursive: true, force: true }));

test("a server without the bundled package beside it exits at start, naming the missing analysis and the fix", async () => {
  const main = path.join(layout, "dist", "server", "main.js");
  cpSync(path.join(repoRoot, "dist", "server", "main.js"), main);
  const child = spawn(process.execPath, [main, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.notEqual(code, 0);
  assert.ok(stderr.includes(`The language server cannot load its analysis from ${path.join(layout, "runtime", "dist", "analysis", "analysis-cli.js")}`), stderr);
  assert.match(stderr, /Reinstall the Tributary extension \(in a checkout of the repository: run `npm run build`\)/);
});
