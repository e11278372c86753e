// One esbuild script, one context per output. `--production` minifies; `--watch` rebuilds;
// `--out-root <dir>` writes dist/ and runtime/dist/ under <dir> instead of the repository (the .vsix
// is packed from a production build made that way). Type checking is separate (`npm run typecheck`).
import * as esbuild from "esbuild";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");
const outRootIndex = process.argv.indexOf("--out-root");
const outRoot = outRootIndex > 0 ? path.resolve(process.argv[outRootIndex + 1] ?? "") : root;
if (outRootIndex > 0 && process.argv[outRootIndex + 1] === undefined) throw new Error("--out-root needs a folder: --out-root <dir>.");

/**
 * Code that imports "tributaryjs" (the CLI's child runner) must share the one runtime module that
 * user flow bundles load, so it is left external and pointed at the built library.
 */
const runtimeAsExternal = (fromDir) => ({
  name: "tributaryjs-external",
  setup(build) {
    build.onResolve({ filter: /^tributaryjs$/ }, () => ({
      path: "./" + path.relative(fromDir, path.join(outRoot, "runtime/dist/index.js")).split(path.sep).join("/"),
      external: true,
    }));
  },
});

/**
 * The PostgreSQL store (with the pg driver, ~200 KB) is a bundle of its own that the CLI and its
 * child runner require from runtime/dist/store/ only when a database URL is given
 * (store/open-store.ts): one copy in the package, and nothing of it loaded on SQLite.
 */
const postgresStoreAsExternal = (fromDir) => ({
  name: "postgres-store-external",
  setup(build) {
    build.onResolve({ filter: /^\.\/postgres-store\.js$/ }, (args) =>
      args.importer.endsWith(path.join("store", "open-store.ts"))
        ? { path: "./" + path.relative(fromDir, path.join(outRoot, "runtime/dist/store/postgres-store.js")).split(path.sep).join("/"), external: true }
        : undefined,
    );
  },
});

/**
 * The analysis uses only ts-morph's `ts` export (the parser). For the analysis CLI (which the language server loads), that
 * import is pointed at the very TypeScript file ts-morph bundles, so the rest of ts-morph (and its
 * dependencies) is not loaded on every `tributary check` or server start, and `ts.X` is a plain
 * property read instead of the getter of ts-morph's namespace wrapper (a hot path when parsing).
 */
const typescriptFromTsMorph = {
  name: "typescript-from-ts-morph",
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: "ts-morph", namespace: "typescript-from-ts-morph" }));
    build.onLoad({ filter: /.*/, namespace: "typescript-from-ts-morph" }, () => ({
      contents: `const ts = require("@ts-morph/common/dist/typescript.js");\nexport { ts };`,
      loader: "js",
      resolveDir: root,
    }));
  },
};

/**
 * The language server loads the analysis (and the TypeScript compiler inside it) at run time from
 * runtime/dist/analysis/analysis-cli.js, so that the extension carries that compiler once: an
 * import that would bundle it into the server fails the build, naming the importer.
 */
const noTypeScriptInServer = {
  name: "no-typescript-in-server",
  setup(build) {
    build.onResolve({ filter: /^(ts-morph|typescript|@ts-morph\/common)(\/|$)/ }, (args) => ({
      errors: [{ text: `${path.relative(root, args.importer)} imports ${args.path}: the language server must not bundle the TypeScript compiler. Reach the analysis through the AnalysisApi the server loads (server/src/analysis-copies.ts), or make the import type-only.` }],
    }));
  },
};

/**
 * The analysis CLI loads the compiler only when it parses or resolves (server/src/analysis/load-parser.ts):
 * its `require("./parser.js")` (the fallback when run from source) is pointed at the parser's own
 * bundle beside it, and any other import of the compiler fails the build, naming the importer (a
 * warm check must not load it). The same holds for the parser's worker entry.
 */
const parserAsExternal = {
  name: "parser-external",
  setup(build) {
    build.onResolve({ filter: /^\.\/parser\.js$/ }, (args) => (args.importer.endsWith(path.join("analysis", "load-parser.ts")) ? { path: "./analysis-parser.js", external: true } : undefined));
    build.onResolve({ filter: /^(ts-morph|typescript|@ts-morph\/common)(\/|$)/ }, (args) => ({
      errors: [{ text: `${path.relative(root, args.importer)} imports ${args.path}: only server/src/analysis/parser.ts (its own bundle, loaded on first use through load-parser.ts) may use the TypeScript compiler. Reach it through parser(), or make the import type-only.` }],
    }));
  },
};

/**
 * The dependency graph webview starts its layout worker from a blob of the worker's own bundle
 * (client/src/graph/webview/layout-off-thread.ts): `import source from "layout-worker-source"` is
 * that bundle as a string, built here, and rebuilt in watch mode when its files change.
 */
const layoutWorkerSource = {
  name: "layout-worker-source",
  setup(build) {
    build.onResolve({ filter: /^layout-worker-source$/ }, () => ({ path: "layout-worker-source", namespace: "layout-worker" }));
    build.onLoad({ filter: /.*/, namespace: "layout-worker" }, async () => {
      const result = await esbuild.build({
        entryPoints: [path.join(root, "client/src/graph/webview/layout-worker.ts")],
        absWorkingDir: root,
        bundle: true,
        write: false,
        metafile: true,
        platform: "browser",
        format: "iife",
        target: "es2022",
        minify: production,
        logLevel: "warning",
      });
      return { contents: `export default ${JSON.stringify(result.outputFiles[0].text)};`, loader: "js", watchFiles: Object.keys(result.metafile.inputs).map((file) => path.join(root, file)) };
    });
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
  // node:sqlite is a builtin, loaded only where the Node has it; better-sqlite3 is the optional native fallback.
  external: ["better-sqlite3", "node:sqlite", "esbuild", "vscode"],
};

/**
 * Writes the dashboard's page after each build of its script: index.html with a modulepreload link
 * for each chunk dashboard.js imports, so that the browser fetches them beside it rather than after
 * it (the first paint after a sign-in waited on that second round). Their names carry a hash.
 */
const dashboardPage = {
  name: "dashboard-page",
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0 || result.metafile === undefined) return;
      const outDir = path.join(outRoot, "runtime/dist/dashboard");
      const [, entry] = Object.entries(result.metafile.outputs).find(([file]) => path.resolve(root, file) === path.join(outDir, "dashboard.js")) ?? [];
      if (entry === undefined) throw new Error("The dashboard's build made no dashboard.js.");
      const preloads = entry.imports
        .filter((chunk) => chunk.kind === "import-statement")
        .map((chunk) => `    <link rel="modulepreload" href="/${path.relative(outDir, path.resolve(root, chunk.path)).split(path.sep).join("/")}" />`);
      const template = readFileSync(path.join(root, "runtime/src/dashboard/index.html"), "utf8");
      const script = '    <script type="module" src="/dashboard.js"></script>';
      if (!template.includes(script)) throw new Error(`runtime/src/dashboard/index.html lost its line ${script.trim()}`);
      writeFileSync(path.join(outDir, "index.html"), template.replace(script, [...preloads, script].join("\n")));
    });
  },
};

// The package tributaryjs (runtime/): the library, the CLI, its child runner and the analysis that
// `tributary check` loads are built into runtime/dist/; the extension's parts into dist/.
const entries = [
  { entryPoints: ["runtime/src/index.ts"], outfile: "runtime/dist/index.js" },
  { entryPoints: ["runtime/src/cli/main.ts"], outfile: "runtime/dist/cli/main.js", plugins: [runtimeAsExternal(path.join(outRoot, "runtime/dist/cli")), postgresStoreAsExternal(path.join(outRoot, "runtime/dist/cli"))] },
  // The check service's client, what runtime/bin/tributary.js asks first for a `check` (no commander, no analysis: it loads in a few ms),
  // and the service's process, which loads the analysis from analysis/analysis-cli.js.
  { entryPoints: ["runtime/src/cli/check-service/fast-check.ts"], outfile: "runtime/dist/cli/check-client.js" },
  { entryPoints: ["runtime/src/cli/check-service/service-main.ts"], outfile: "runtime/dist/cli/check-service.js" },
  { entryPoints: ["runtime/src/cli/run-child.ts"], outfile: "runtime/dist/cli/run-child.js", plugins: [runtimeAsExternal(path.join(outRoot, "runtime/dist/cli")), postgresStoreAsExternal(path.join(outRoot, "runtime/dist/cli"))] },
  { entryPoints: ["runtime/src/store/postgres-store.ts"], outfile: "runtime/dist/store/postgres-store.js" },
  { entryPoints: ["server/src/cli/analysis-cli.ts"], outfile: "runtime/dist/analysis/analysis-cli.js", plugins: [parserAsExternal] },
  { entryPoints: ["server/src/analysis/parser.ts"], outfile: "runtime/dist/analysis/analysis-parser.js", plugins: [typescriptFromTsMorph] },
  // The parser's worker thread: loads analysis-parser.js beside it with the code cache, as analysis-cli.js does.
  { entryPoints: ["server/src/analysis/parser-worker.ts"], outfile: "runtime/dist/analysis/analysis-parser-worker.js", plugins: [parserAsExternal] },
  { entryPoints: ["server/src/main.ts"], outfile: "dist/server/main.js", plugins: [noTypeScriptInServer] },
  { entryPoints: ["client/src/extension.ts"], outfile: "dist/client/extension.js" },
  // The graph webviews' scripts (dagre bundled in): browser code, loaded by nonce under a strict CSP.
  { entryPoints: ["client/src/graph/webview/dependency-graph-main.ts"], outfile: "dist/webview/dependency-graph.js", platform: "browser", format: "iife", target: "es2022", external: [], plugins: [layoutWorkerSource] },
  { entryPoints: ["client/src/graph/webview/run-graph-main.ts"], outfile: "dist/webview/run-graph.js", platform: "browser", format: "iife", target: "es2022", external: [] },
  // The dashboard the orchestration server serves at `/` (runtime/src/dashboard/; its CSS is copied
  // beside it, its HTML written by `dashboardPage`). An ES module split into chunks: the views with libraries of their own (graph
  // layout, schedule parsers) load when first shown, so the first view parses only its own code.
  // Minified in every build: it crosses HTTP to a browser, and a sign-in's first paint waits on it.
  {
    entryPoints: { dashboard: "runtime/src/dashboard/main.ts" },
    outdir: "runtime/dist/dashboard",
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    external: [],
    metafile: true,
    plugins: [dashboardPage],
  },
].filter((entry) => existsSync(path.join(root, Object.values(entry.entryPoints)[0])));

/** The dashboard's files that are served as they are: its styles (its page is written by `dashboardPage`). */
async function copyDashboardStatics() {
  const { cpSync, mkdirSync } = await import("node:fs");
  const to = path.join(outRoot, "runtime/dist/dashboard");
  mkdirSync(to, { recursive: true });
  cpSync(path.join(root, "runtime/src/dashboard", "dashboard.css"), path.join(to, "dashboard.css"));
}

await copyDashboardStatics();
// The dashboard's chunks are named by their content: a build removes the last one's first.
rmSync(path.join(outRoot, "runtime/dist/dashboard/chunks"), { recursive: true, force: true });
const output = (entry) => (entry.outdir !== undefined ? { outdir: path.join(outRoot, entry.outdir) } : { outfile: path.join(outRoot, entry.outfile) });
const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...common, ...entry, ...output(entry), absWorkingDir: root })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
  await writeEsmEntry();
}

/**
 * ESM consumers get runtime/dist/index.mjs: named re-exports of the one CommonJS build, so that an
 * `import` and a `require` (the CLI's child runner) share one module and one registry of flows.
 */
async function writeEsmEntry() {
  const { createRequire } = await import("node:module");
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const library = path.join(outRoot, "runtime/dist/index.js");
  const names = Object.keys(createRequire(import.meta.url)(library)).filter((name) => name !== "default" && name !== "__esModule").sort();
  const lines = [
    "// Generated by scripts/build.mjs: the ESM face of the CommonJS build (one module instance).",
    'import library from "./index.js";',
    `export const { ${names.join(", ")} } = library;`,
    "",
  ];
  writeFileSync(path.join(outRoot, "runtime/dist/index.mjs"), lines.join("\n"));
  // Its types: the same declarations, seen from an ES module.
  mkdirSync(path.join(outRoot, "runtime/dist/types"), { recursive: true });
  writeFileSync(path.join(outRoot, "runtime/dist/types/index.d.mts"), 'export * from "./index.js";\n');
}
