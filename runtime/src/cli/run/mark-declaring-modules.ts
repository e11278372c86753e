/**
 * An esbuild plugin that lets a bundled flow file tell which module made each `deploy(...)` and
 * `automation(...)` call (declarations/registry.ts): it wraps the code of every module outside
 * node_modules between a push of the module's path on a global stack and a pop.
 *
 * Scope-hoisted ES modules run one after the other (an import's code before the importer's, so
 * the push sits after the imports), and lazily wrapped ones (`require`d, CommonJS) run nested; a
 * stack covers both. The push goes on the first line so that the source map's lines stay true.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type * as esbuild from "esbuild";
import { LOADING_MODULES_KEY } from "../../declarations/registry.js";

const LOADERS: Record<string, esbuild.Loader> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" };

/** A shebang line and a "use strict" directive must stay first: the push goes after them. */
const PROLOGUE = /^(?:#![^\n]*\n)?(?:\s*(?:"use strict"|'use strict');?)?/;

export function markDeclaringModules(): esbuild.Plugin {
  const stack = `globalThis[Symbol.for(${JSON.stringify(LOADING_MODULES_KEY)})]`;
  return {
    name: "tributary-mark-declaring-modules",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: "file" }, async (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (loader === undefined || /[\\/]node_modules[\\/]/.test(args.path)) return undefined;
        const text = await readFile(args.path, "utf8");
        const prologue = PROLOGUE.exec(text)![0];
        const push = `;(${stack} ??= []).push(${JSON.stringify(args.path)});`;
        return { contents: `${prologue}${push}${text.slice(prologue.length)}\n;${stack}.pop();\n`, loader };
      });
    },
  };
}
