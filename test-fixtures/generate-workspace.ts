/**
 * Writes a workspace of generated flow code for benchmarks and scale tests: per file 2 flows,
 * 4 tasks and a deployment (~50 lines), subflow calls into other files, runDeployment strings,
 * an automation every 10th file, a subflow cycle every 100th and a trigger loop every 250th.
 * Files sit in folders of 25 (`flows/area-00/f0.ts` … `flows/area-19/f499.ts`), as a big workspace's
 * do, so that the graph view's overview has folders to draw.
 *
 *   npx tsx test-fixtures/generate-workspace.ts <outDir> [--files 500]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface GeneratedWorkspace {
  /** Path relative to the workspace root → text. */
  files: Map<string, string>;
  /** How many dependency cycles (TRB100) and trigger loops (TRB101) were planted. */
  planted: { cycles: number; triggerLoops: number };
}

/** Files per folder. */
const FOLDER_SIZE = 25;

function folderOfFile(i: number): string {
  return `area-${String(Math.floor(i / FOLDER_SIZE)).padStart(2, "0")}`;
}

/** The path of the generated file `i`, relative to the workspace's root. */
export function generatedFilePath(i: number): string {
  return `flows/${folderOfFile(i)}/f${i}.ts`;
}

/** The import specifier of file `j` from file `i`. */
function specifier(i: number, j: number): string {
  return folderOfFile(i) === folderOfFile(j) ? `./f${j}` : `../${folderOfFile(j)}/f${j}`;
}

export function generateWorkspace(fileCount = 500): GeneratedWorkspace {
  const files = new Map<string, string>();
  let cycles = 0;
  let triggerLoops = 0;
  for (let i = 0; i < fileCount; i++) {
    const lower = i > 0 ? (i * 7919) % i : -1;
    // A subflow into a later file, whose own subflow comes back: a cycle i → i+1 → i.
    const cycleBack = i % 100 === 99 && i > 0 ? i - 1 : -1;
    const cycleStart = i % 100 === 98 && i + 1 < fileCount;
    if (cycleStart) cycles++;
    const loop = i % 250 === 249 && i > 0;
    if (loop) triggerLoops++;
    const imports = new Set<number>();
    if (lower >= 0) imports.add(lower);
    if (cycleBack >= 0) imports.add(cycleBack);
    if (cycleStart) imports.add(i + 1);
    const target = i > 1 ? (i * 31) % (i - 1) : 0;
    const lines = [
      `import { flow, task, deploy, automation, runDeployment, waitForFlow } from "tributaryjs";`,
      ...[...imports].sort((a, b) => a - b).map((j) => `import { ingest${j}, report${j} } from "${specifier(i, j)}";`),
      ``,
      `const DEPLOY_NAME = "daily";`,
      ``,
      `export const extract${i} = task("f${i}-extract", { retries: 2 }, async (batch: number) => ({ batch, rows: batch * 10 }));`,
      `export const clean${i} = task("f${i}-clean", async (rows: number) => rows - 1);`,
      `export const enrich${i} = task("f${i}-enrich", async (rows: number) => rows + 1);`,
      `export const store${i} = task("f${i}-store", { cacheExpirationSeconds: 60 }, async (rows: number) => {`,
      `  return { stored: rows };`,
      `});`,
      ``,
      `export const ingest${i} = flow("f${i}-ingest", { tags: ["etl"] }, async ({ batch = 1, mode }: { batch?: number; mode?: "full" | "delta" }) => {`,
      `  const first = await extract${i}(batch);`,
      `  const cleaned = await clean${i}(first.rows);`,
      `  if (mode === "full") {`,
      `    await enrich${i}.submit(cleaned);`,
      `  }`,
      ...(lower >= 0 ? [`  await ingest${lower}({ batch });`] : []),
      ...(cycleStart ? [`  await report${i + 1}({ day: "today" });`] : []),
      `  const parts = await store${i}.map([1, 2, 3]).result();`,
      `  return { rows: cleaned, parts };`,
      `});`,
      ``,
      `export const report${i} = flow("f${i}-report", async ({ day, verbose = false }: { day: string; verbose?: boolean }) => {`,
      `  const rows = await extract${i}(day.length);`,
      `  for (const n of [1, 2]) {`,
      `    await clean${i}(rows.rows + n);`,
      `  }`,
      ...(i > 1 ? [`  await runDeployment("f${target}-report/" + DEPLOY_NAME, { parameters: { day }, timeoutSeconds: 0 });`] : []),
      ...(cycleBack >= 0 ? [`  await ingest${cycleBack}({ batch: 2 });`] : []),
      ...(loop ? [`  await runDeployment("f${i}-ingest/on-report", { timeoutSeconds: 0 });`] : []),
      `  if (verbose) {`,
      `    await waitForFlow("f${i}-ingest", { state: "Completed", timeoutSeconds: 60 });`,
      `  }`,
      `  return { day, rows };`,
      `});`,
      ``,
      `export const reportDeployment${i} = deploy(report${i}, {`,
      `  name: DEPLOY_NAME,`,
      `  schedule: { cron: "${i % 60} * * * *", timezone: "UTC" },`,
      `  parameters: { day: "today" },`,
      `});`,
      ``,
      ...(loop
        ? [
            `export const ingestOnReport${i} = deploy(ingest${i}, { name: "on-report" });`,
            `export const loop${i} = automation("f${i}-loop", {`,
            `  trigger: { type: "flow-run-state-change", match: { flow: "f${i}-ingest" }, expect: ["Completed"] },`,
            `  actions: [{ type: "run-deployment", deployment: "f${i}-report/daily", parameters: { day: "{{ flowRun.name }}" } }],`,
            `});`,
          ]
        : []),
      ...(i % 10 === 0
        ? [
            `export const after${i} = automation("f${i}-after-ingest", {`,
            `  trigger: { type: "flow-run-state-change", match: { flow: "f${i}-ingest" }, expect: ["Completed", "Failed"] },`,
            `  actions: [{ type: "run-deployment", deployment: "f${i}-report/daily", parameters: { day: "{{ flowRun.name }}" } }],`,
            `});`,
          ]
        : []),
      ``,
      `// Padding comments keep files near the size the measurements in MEASURED.md used.`,
      `// The flows above: f${i}-ingest (tags etl), f${i}-report (deployment f${i}-report/daily).`,
      ``,
    ];
    files.set(generatedFilePath(i), lines.join("\n"));
  }
  files.set("tsconfig.json", JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "Preserve", moduleResolution: "Bundler", noEmit: true } }, null, 2));
  return { files, planted: { cycles, triggerLoops } };
}

export function writeWorkspace(outDir: string, workspace: GeneratedWorkspace): void {
  for (const [relative, text] of workspace.files) {
    const full = path.join(outDir, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

if (require.main === module) {
  const [outDir, ...rest] = process.argv.slice(2);
  if (!outDir) {
    console.error("Usage: generate-workspace <outDir> [--files N]");
    process.exit(2);
  }
  const flag = rest.indexOf("--files");
  const count = flag >= 0 ? Number(rest[flag + 1]) : 500;
  if (!Number.isInteger(count) || count < 1) {
    console.error(`Expected --files to be a positive integer, got ${rest[flag + 1]}.`);
    process.exit(2);
  }
  const workspace = generateWorkspace(count);
  writeWorkspace(outDir, workspace);
  console.log(`Wrote ${count} flow files to ${outDir} (${workspace.planted.cycles} cycles, ${workspace.planted.triggerLoops} trigger loops planted).`);
}
