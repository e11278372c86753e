/**
 * Bundles a flow file with esbuild into one CommonJS file that the child runner can `require`.
 * `"tributaryjs"` stays an external require of the built runtime, so the user's flows and the child
 * runner share one runtime module (one store, one event bus); node built-ins stay external too.
 * The source map is inline so that stack traces point at the user's file. Each module's code is
 * marked, so that a declaration is known by the file that made it (mark-declaring-modules.ts).
 * The flow's own calls of the global timer functions go through `RUN_TIMERS_SHIM` (esbuild's
 * `inject`): in a runner shared by many runs they are tracked per run and cleared when it ends
 * (shared-runner.ts); anywhere else they are the globals, unchanged.
 */
import * as esbuild from "esbuild";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { markDeclaringModules } from "./mark-declaring-modules.js";
import type { RunTarget } from "./run-target.js";

export interface FlowBundle {
  /** The bundled file to `require`. */
  file: string;
  /** The source files that went into the bundle (absolute paths), to tell when it is stale. */
  inputs: string[];
  /** Removes the bundle's temporary folder. */
  dispose(): Promise<void>;
}

export async function bundleFlowFile(target: RunTarget, runtimeLibrary: string): Promise<FlowBundle> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tributary-run-"));
  const file = path.join(dir, `${path.basename(target.file, path.extname(target.file))}.bundle.js`);
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const shim = path.join(dir, "run-timers.mjs");
    await writeFile(shim, RUN_TIMERS_SHIM);
    const result = await esbuild.build({
      inject: [shim],
      entryPoints: [target.file],
      outfile: file,
      write: false,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
      metafile: true,
      plugins: [tributaryAsRuntime(runtimeLibrary), markDeclaringModules()],
    });
    for (const output of result.outputFiles) await writeFile(output.path, output.contents);
    const inputs = Object.keys(result.metafile.inputs)
      .map((input) => path.resolve(input))
      .filter((input) => input !== shim);
    return { file, inputs, dispose };
  } catch (error) {
    await dispose();
    throw bundleError(target, error);
  }
}

/**
 * Replaces the flow's global `setTimeout`, `setInterval`, `setImmediate` and their `clear…`: each
 * asks the hooks a shared runner installs (`Symbol.for("tributary.runTimers")`), or, without them,
 * calls the global. `util.promisify` keeps working on them.
 */
const RUN_TIMERS_SHIM = `const hooks = () => globalThis[Symbol.for("tributary.runTimers")];
const promisified = Symbol.for("nodejs.util.promisify.custom");
const via = (name) => {
  const f = function (...args) {
    const h = hooks();
    return h !== undefined ? h[name](...args) : globalThis[name](...args);
  };
  if (globalThis[name][promisified] !== undefined) f[promisified] = globalThis[name][promisified];
  return f;
};
const setTimeout = via("setTimeout");
const setInterval = via("setInterval");
const setImmediate = via("setImmediate");
const clearTimeout = via("clearTimeout");
const clearInterval = via("clearInterval");
const clearImmediate = via("clearImmediate");
export { setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate };
`;

function tributaryAsRuntime(runtimeLibrary: string): esbuild.Plugin {
  return {
    name: "tributary-runtime",
    setup(build) {
      build.onResolve({ filter: /^tributaryjs$/ }, () => ({ path: runtimeLibrary, external: true }));
    },
  };
}

function bundleError(target: RunTarget, error: unknown): Error {
  const failure = error as Partial<esbuild.BuildFailure>;
  const first = failure.errors?.[0];
  if (first === undefined) return error as Error;
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
  const more = failure.errors!.length > 1 ? ` (and ${failure.errors!.length - 1} more errors)` : "";
  return new UsageError(`Could not bundle ${target.displayFile}: ${where}${first.text}${more}. Fix it and run again.`);
}
