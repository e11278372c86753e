// Edit → publishDiagnostics latency through the real language server, and its memory after
// indexing; the workspace is trusted, so the server reads (and fills) the summary cache in
// .tributary/cache/. Usage: lsp-latency-workload.ts <workspaceDir> <edits> <pauseMs>; with 0 edits,
// only initialize → the first diagnostics. Prints one JSON line.
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { generatedFilePath } from "../../test-fixtures/generate-workspace.js";
import { LspTestClient } from "../../server/src/test-support/lsp-test-client.js";

const [dir, editsArg = "50", pauseArg = "200"] = process.argv.slice(2);
if (!dir) throw new Error("Usage: lsp-latency-workload.ts <workspaceDir> [edits] [pauseMs]");
const edits = Number(editsArg);
const pauseMs = Number(pauseArg);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const started = performance.now();
  const client = await LspTestClient.start(dir!, { workspaceTrusted: true });
  const indexed = await client.logged(/analysed \d+ flow files/);
  // The first file's diagnostics: what a user sees first.
  await client.diagnostics(path.join(dir!, generatedFilePath(0)));
  const indexMs = performance.now() - started;
  const fromCache = Number(/\((\d+) summaries from the cache/.exec(indexed)?.[1] ?? 0);
  const factsFromCache = Number(/(\d+) files' facts from the cache/.exec(indexed)?.[1] ?? 0);
  const rss = rssMb(client.child.pid!);
  if (edits === 0) {
    await client.stop();
    console.log(indexed);
    console.log(JSON.stringify({ indexMs, rssMb: rss, fromCache, factsFromCache }));
    return;
  }
  // Toggle a typo in a flow name: each edit adds or removes a TRB111, so each one is published.
  const file = path.join(dir!, generatedFilePath(250));
  const original = readFileSync(file, "utf8");
  const typo = original.replace('waitForFlow("f250-ingest"', 'waitForFlow("f250-ingestt"');
  await client.open(file, original);
  await client.diagnostics(file, (d) => d.length === 0);
  const latencies: number[] = [];
  for (let i = 0; i < edits; i++) {
    const broken = i % 2 === 0;
    const published = client.diagnostics(file, (d) => d.some((x) => x.code === "TRB111") === broken);
    const t0 = performance.now();
    await client.change(file, broken ? typo : original);
    await published;
    latencies.push(performance.now() - t0);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  const rssAfter = rssMb(client.child.pid!);
  await client.stop();
  console.log(indexed);
  console.log(JSON.stringify({ indexMs, rssMb: rss, rssAfterMb: rssAfter, fromCache, factsFromCache, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) }));
}

void main();
