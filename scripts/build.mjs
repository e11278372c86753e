// One esbuild script, one context per output. `--production` minifies; `--watch` rebuilds.
// Type checking is separate (`npm run typecheck`).
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/**
 * Code that imports "tributary" (the CLI's child runner, later the extension's) must share the one
 * runtime module that user flow bundles load, so it is left external and pointed at the built library.
 */
const runtimeAsExternal = (fromDir) => ({
  name: "tributary-external",
  setup(build) {
    build.onResolve({ filter: /^tributary$/ }, () => ({
      path: "./" + path.relative(fromDir, path.join(root, "dist/runtime/index.js")).split(path.sep).join("/"),
      external: true,
    }));
  },
});

/**
 * The analysis uses only ts-morph's `ts` export (the parser). For the analysis CLI and the language server, that
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

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
  external: ["better-sqlite3", "esbuild", "vscode"],
};

const entries = [
  { entryPoints: ["runtime/src/index.ts"], outfile: "dist/runtime/index.js" },
  { entryPoints: ["runtime/src/cli/main.ts"], outfile: "dist/cli/main.js", plugins: [runtimeAsExternal(path.join(root, "dist/cli"))] },
  { entryPoints: ["runtime/src/cli/run-child.ts"], outfile: "dist/cli/run-child.js", plugins: [runtimeAsExternal(path.join(root, "dist/cli"))] },
  { entryPoints: ["server/src/main.ts"], outfile: "dist/server/main.js", plugins: [typescriptFromTsMorph] },
  { entryPoints: ["server/src/cli/analysis-cli.ts"], outfile: "dist/server/analysis-cli.js", plugins: [typescriptFromTsMorph] },
  { entryPoints: ["client/src/extension.ts"], outfile: "dist/client/extension.js" },
  // The graph webviews' scripts (dagre bundled in): browser code, loaded by nonce under a strict CSP.
  { entryPoints: ["client/src/graph/webview/dependency-graph-main.ts"], outfile: "dist/webview/dependency-graph.js", platform: "browser", format: "iife", target: "es2022", external: [] },
  { entryPoints: ["client/src/graph/webview/run-graph-main.ts"], outfile: "dist/webview/run-graph.js", platform: "browser", format: "iife", target: "es2022", external: [] },
].filter((entry) => existsSync(path.join(root, entry.entryPoints[0])));

const contexts = await Promise.all(entries.map((entry) => esbuild.context({ ...common, ...entry, absWorkingDir: root })));
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
