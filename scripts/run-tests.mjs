// Runs every *.test.ts under runtime/, server/, client/ and test-fixtures/ with node's test runner
// (Node 20 takes no globs after --test). Extra arguments filter files by substring.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

const roots = ["runtime", "server", "client", "scripts"];
const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith(".test.ts") && (filters.length === 0 || filters.some((f) => full.includes(f)))) files.push(full);
  }
};
for (const root of roots) {
  try { walk(root); } catch { /* a part that does not exist yet */ }
}
if (files.length === 0) {
  console.error(`No test files matched ${filters.join(", ") || "(all)"}.`);
  process.exit(1);
}
// The usual reporter (spec on a terminal, TAP otherwise), then test-summary-reporter.mjs: what was
// skipped and why, and hooks that failed (they fail the run but are not counted as failed tests).
const reporters = [process.stdout.isTTY ? "spec" : "tap", path.join(import.meta.dirname, "test-summary-reporter.mjs")]
  .flatMap((reporter) => [`--test-reporter=${reporter}`, "--test-reporter-destination=stdout"]);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...reporters, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
