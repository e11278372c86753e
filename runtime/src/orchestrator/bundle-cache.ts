/**
 * Bundles of deployment entrypoints, kept between runs: a flow file is bundled again only when one
 * of the files that went into its bundle changed (by modification time), so a run starts without
 * paying for esbuild each time. Runs asking at the same moment share one check.
 */
import { statSync } from "node:fs";
import { bundleFlowFile, type FlowBundle } from "../cli/run/bundle-flow-file.js";

interface Cached {
  bundle: FlowBundle;
  mtimes: Map<string, number>;
  /**
   * The freshness check in flight: the runs that ask for the bundle while it runs share it (a
   * burst of a thousand due runs stats the sources once, not a thousand times).
   */
  checking?: Promise<boolean>;
}

export interface BundleCache {
  /** The bundle of `file` (absolute), fresh; `displayFile` names it in errors. */
  get(file: string, displayFile: string): Promise<string>;
  dispose(): Promise<void>;
}

export function bundleCache(runtimeLibrary: string): BundleCache {
  const cache = new Map<string, Promise<Cached>>();

  async function build(file: string, displayFile: string): Promise<Cached> {
    const bundle = await bundleFlowFile({ file, displayFile }, runtimeLibrary);
    return { bundle, mtimes: await mtimesOf(bundle.inputs) };
  }

  async function fresh(cached: Cached): Promise<boolean> {
    const now = await mtimesOf([...cached.mtimes.keys()]);
    return [...cached.mtimes].every(([input, mtime]) => now.get(input) === mtime);
  }

  return {
    async get(file, displayFile) {
      const pending = cache.get(file);
      if (pending) {
        const cached = await pending.catch(() => undefined);
        if (cached) {
          cached.checking ??= fresh(cached).finally(() => (cached.checking = undefined));
          if (await cached.checking) return cached.bundle.file;
          if (cache.get(file) !== pending) return this.get(file, displayFile);
        }
        if (cached) void cached.bundle.dispose();
      }
      const next = build(file, displayFile);
      cache.set(file, next);
      next.catch(() => cache.delete(file));
      return (await next).bundle.file;
    },
    async dispose() {
      const all = await Promise.allSettled(cache.values());
      cache.clear();
      for (const result of all) if (result.status === "fulfilled") await result.value.bundle.dispose();
    },
  };
}

/**
 * The modification times of the files (-1 for one that is gone). Synchronous on purpose: a stat of a
 * file the kernel has cached takes microseconds, where the promise API's round trip through the
 * thread pool cost ~0.3 ms per run in a burst of runs.
 */
async function mtimesOf(files: readonly string[]): Promise<Map<string, number>> {
  return new Map(files.map((file) => [file, statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1] as const));
}
