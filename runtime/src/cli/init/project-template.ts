/**
 * What `tributary init` writes: a small project whose flows come from the seed examples (upstream →
 * downstream through a deployment and an automation, upstream on a schedule). The flows must pass
 * `tributary check` with no finding and type-check under the tsconfig written beside them; the
 * init and packed-package tests hold them to it.
 */

/** One file of the scaffold, by its path relative to the project folder (always with `/`). */
export interface TemplateFile {
  readonly path: string;
  readonly contents: string;
}

export interface TemplateOptions {
  /** The package name, from the folder's name. */
  readonly name: string;
  /** The version of tributaryjs to depend on (the CLI's own). */
  readonly tributaryVersion: string | undefined;
  /** The major version of the Node.js that runs the CLI, for `@types/node`. */
  readonly nodeMajor: number;
  /** Whether that Node has node:sqlite: the project's npm then need not build better-sqlite3. */
  readonly nodeHasSqlite: boolean;
}

/** The TypeScript the scaffold type-checks with: the line the CLI itself is checked with. */
const TYPESCRIPT_RANGE = "^6.0.0";

/** The command that runs the example, printed after init and written into package.json. */
export const EXAMPLE_RUN_COMMAND = "tributary run flows/upstream.ts";

export function projectTemplate(options: TemplateOptions): TemplateFile[] {
  const manifest = {
    name: options.name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      check: "tributary check",
      typecheck: "tsc",
      upstream: EXAMPLE_RUN_COMMAND,
      server: "tributary server start",
    },
    dependencies: { tributaryjs: options.tributaryVersion === undefined ? "latest" : `^${options.tributaryVersion}` },
    devDependencies: { "@types/node": `^${options.nodeMajor}.0.0`, typescript: TYPESCRIPT_RANGE },
    // npm 11 runs a dependency's install script only when allowScripts allows it. better-sqlite3's
    // fetches (or builds) its native binary: the store's fallback, needed only where Node has no
    // node:sqlite, so a project made on a Node that has it builds nothing native.
    allowScripts: { "better-sqlite3": !options.nodeHasSqlite, esbuild: true },
  };
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2023"],
      module: "nodenext",
      moduleResolution: "nodenext",
      types: ["node"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      isolatedModules: true,
      forceConsistentCasingInFileNames: true,
    },
    include: ["flows"],
  };
  return [
    { path: "package.json", contents: json(manifest) },
    { path: "tsconfig.json", contents: json(tsconfig) },
    { path: "flows/upstream.ts", contents: UPSTREAM_FLOW },
    { path: "flows/downstream.ts", contents: DOWNSTREAM_FLOW },
    { path: ".gitignore", contents: "node_modules/\n.tributary/\n" },
    { path: ".vscode/extensions.json", contents: json({ recommendations: ["tributary.tributary"] }) },
  ];
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const UPSTREAM_FLOW = `// The upstream side of a dependency: prepares a batch of rows, every two hours. When a run completes,
// the automation in downstream.ts runs the downstream deployment with its batch id.
//   npx tributary run flows/upstream.ts     runs it now (and downstream after it)
//   npx tributary check                     finds dependency problems without running anything
import { deploy, flow, getRunLogger, task } from "tributaryjs";

export const fetchSourceData = task("fetch-source-data", { retries: 2, retryDelaySeconds: 1 }, async (batchSize: number) => {
  getRunLogger().info(\`Fetching \${batchSize} source rows\`);
  return Array.from({ length: batchSize }, (_, i) => ({ row: i, amount: 100 + i }));
});

export const validateData = task("validate-data", async (rows: { row: number; amount: number }[]) => {
  const valid = rows.filter((r) => r.amount > 0);
  getRunLogger().info(\`\${valid.length} of \${rows.length} rows are valid\`);
  return valid;
});

export const upstream = flow(
  "upstream-flow",
  { description: "Prepares a batch of data for downstream processing.", tags: ["etl"] },
  async ({ batchSize = 10 }: { batchSize?: number }) => {
    const rows = await fetchSourceData(batchSize);
    const valid = await validateData(rows);
    const batchId = \`batch-\${valid.length}-\${valid.reduce((sum, r) => sum + r.amount, 0)}\`;
    getRunLogger().info(\`Prepared \${batchId}\`);
    return { batchId, rows: valid.length };
  },
);

export const upstreamDeployment = deploy(upstream, {
  name: "upstream-data-preparation",
  description: "Prepares a batch every two hours (with \`tributary server start\` running).",
  schedule: { interval: "2h" },
  parameters: { batchSize: 10 },
});
`;

const DOWNSTREAM_FLOW = `// The downstream side: processes the batch an upstream run prepared. Its deployment has no schedule:
// the automation below runs it each time an upstream run completes (an event-driven dependency).
import { automation, deploy, flow, getRunLogger, task } from "tributaryjs";

export const processBatch = task("process-batch", async (batchId: string) => {
  getRunLogger().info(\`Processing \${batchId}\`);
  return { batchId, processed: true };
});

export const publishResults = task("publish-results", async (result: { batchId: string; processed: boolean }) => {
  getRunLogger().info(\`Publishing the results of \${result.batchId}\`);
  return { ...result, published: true };
});

export const downstream = flow(
  "downstream-flow",
  { description: "Processes and publishes a batch prepared upstream.", tags: ["etl"] },
  async ({ upstreamBatchId }: { upstreamBatchId: string }) => {
    const processed = await processBatch(upstreamBatchId);
    return publishResults(processed);
  },
);

export const downstreamDeployment = deploy(downstream, {
  name: "downstream-processing",
  description: "Processes a batch; the automation below runs it after each upstream run.",
});

export const downstreamAfterUpstream = automation("downstream-after-upstream", {
  trigger: { type: "flow-run-state-change", match: { flow: "upstream-flow" }, expect: ["Completed"] },
  actions: [
    {
      type: "run-deployment",
      deployment: "downstream-flow/downstream-processing",
      parameters: { upstreamBatchId: "{{ flowRun.result.batchId }}" },
    },
  ],
});
`;
