// `npm run bench extension`: the VS Code extension. The Flow Runs data path over 100,000 stored
// runs (the real server process, the extension's own API client, model and item mapping), then
// the same in a real VS Code (code-server) with activation → language client ready. The
// code-server part needs scripts/setup-code-server.sh and says so when it is missing.
import { spawnSync } from "node:child_process";
import path from "node:path";

const RUNS = 100_000;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? "meets target" : "MISSES target");

function workload(name: string, args: string[], timeout: number): Record<string, number> {
  const script = path.join(__dirname, "workloads", name);
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", timeout });
  if (result.status !== 0) throw new Error(`${name} ${args.join(" ")} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}

export function benchExtension(dir: string): void {
  const page = workload("flow-runs-page-workload.ts", [String(RUNS), dir], 600_000);
  console.log(`\nExtension — Flow Runs over ${fmt(RUNS)} stored runs (seeded in ${fmt(page.seedMs! / 1000, 1)} s), real server process, page of 50 (median of 21)`);
  console.log(`  health round trip (floor)                 ${fmt(page.healthMs!, 1).padStart(7)} ms`);
  console.log(`  connecting: the first health check         ${fmt(page.connectMs!, 1).padStart(7)} ms   (opens the HTTP connection)`);
  console.log(`  first page right after connecting          ${fmt(page.coldMs!, 1).padStart(7)} ms   target ≤ 300 ms: ${verdict(page.coldMs! <= 300)}   (API + model + tree item fields, store not warmed)`);
  console.log(`  first page again (refresh)                 ${fmt(page.warmMs!, 1).padStart(7)} ms   target ≤ 300 ms: ${verdict(page.warmMs! <= 300)}`);
  console.log(`  a page 50,000 runs deep (before cursor)    ${fmt(page.deepMs!, 1).padStart(7)} ms`);
  const ui = workload("extension-ui-workload.ts", [String(RUNS)], 900_000);
  if (ui.skipped) {
    console.log("  in VS Code: skipped, code-server is not installed (scripts/setup-code-server.sh)");
    return;
  }
  console.log(`  in VS Code (code-server 4.100.3, headless Chromium; one run, the machine shared):`);
  console.log(`    activation → language client ready       ${fmt(ui.activationMs!).padStart(7)} ms   (the extension's own log line)`);
  console.log(`    Show Flow Runs, first time → first row     ${fmt(ui.firstShowMs!).padStart(7)} ms   (includes starting the local server on the store)`);
  console.log(`    Clear Filters → first page drawn again     ${fmt(ui.reloadMs!).padStart(7)} ms   target ≤ 300 ms: ${verdict(ui.reloadMs! <= 300)}`);
}
