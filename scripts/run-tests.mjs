// Runs every *.test.ts under runtime/, server/, client/ and scripts/ with node's test runner
// (Node 20 takes no globs after --test). Extra arguments filter files by substring; `--exclude <s>`
// leaves out the files whose path contains <s> (`npm run test:unit` is everything but client/e2e/);
// `--concurrency <n>` runs n files at once (3 by default); `--list` prints the files in the order
// they start, and runs none.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

const roots = ["runtime", "server", "client", "scripts"];
const filters = [];
const excludes = [];
let concurrencyArg;
let listOnly = false;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--exclude") excludes.push(process.argv[++i] ?? "");
  else if (process.argv[i] === "--concurrency") concurrencyArg = process.argv[++i];
  else if (process.argv[i] === "--list") listOnly = true;
  else filters.push(process.argv[i]);
}
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith(".test.ts") && (filters.length === 0 || filters.some((f) => full.includes(f))) && !excludes.some((x) => full.includes(x))) files.push(full);
  }
};
for (const root of roots) {
  try { walk(root); } catch { /* a part that does not exist yet */ }
}
// The longest files start first, so that none of them begins last and holds the run alone at its
// end (seconds each took in CI, 2026-12-07, on a busy machine). The rest keep the walk's order.
const LONGEST_FIRST = [
  "runtime/src/cli/commands/workers-cluster.test.ts", // 236 s
  "client/e2e/graph-view.test.ts", // 148 s
  "client/e2e/extension-in-code-server.test.ts", // 137 s
  "client/e2e/flow-runs.test.ts", // 131 s
  "client/e2e/deployments.test.ts", // 119 s
  "runtime/src/package/packed-package.test.ts", // 90 s
  "server/src/cli/check-cache.test.ts", // 49 s
  "runtime/src/cli/commands/seed-examples.test.ts", // 48 s
];
const rank = (file) => {
  const at = LONGEST_FIRST.findIndex((slow) => file.split(path.sep).join("/").endsWith(slow));
  return at === -1 ? LONGEST_FIRST.length : at;
};
files.sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error(`No test files matched ${filters.join(", ") || "(all)"}${excludes.length > 0 ? ` without ${excludes.join(", ")}` : ""}.`);
  process.exit(1);
}
if (listOnly) {
  console.log(files.join("\n"));
  process.exit(0);
}
// The usual reporter (spec on a terminal, TAP otherwise), then test-summary-reporter.mjs: what was
// skipped and why, and hooks that failed (they fail the run but are not counted as failed tests).
const reporters = [process.stdout.isTTY ? "spec" : "tap", path.join(import.meta.dirname, "test-summary-reporter.mjs")]
  .flatMap((reporter) => [`--test-reporter=${reporter}`, "--test-reporter-destination=stdout"]);
// A test that waits for something that never comes fails after 10 minutes (the longest, the
// PostgreSQL cluster, takes about three on a busy machine), naming itself, rather than holding the
// run forever.
// Test files at once: more than the cores (2 here), since much of a file's time is spent waiting on
// the processes it starts (servers, the CLI): with 2, a unit leg used ~1.3 of 2 cores; with 3, 1.9
// (the Node 22 leg without PostgreSQL: 6m12s on a quiet machine). In CI the gain was small (that leg
// 8m06s → 7m59s) while the 195 s PostgreSQL cluster test was its long pole. `--concurrency <n>` (or
// TRIBUTARY_TEST_CONCURRENCY) sets another number; the end-to-end suite, a code-server and a
// Chromium per file, runs 2 at once.
const concurrencySetting = concurrencyArg ?? process.env.TRIBUTARY_TEST_CONCURRENCY ?? "3";
const concurrency = Number(concurrencySetting);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`The number of test files at once must be a whole number, 1 or more; got "${concurrencySetting}" (from ${concurrencyArg !== undefined ? "--concurrency" : "TRIBUTARY_TEST_CONCURRENCY"}).`);
  process.exit(2);
}
// `tributary check` starts a check service that outlives it (runtime/src/cli/check-service/): no test
// leaves one behind unless it asks for one (TRIBUTARY_DAEMON=1 in the daemon's own tests, which stop theirs).
const env = { ...process.env, TRIBUTARY_DAEMON: process.env.TRIBUTARY_DAEMON ?? "0" };
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-timeout=600000", ...reporters, ...files], { stdio: "inherit", env });
process.exit(result.status ?? 1);
