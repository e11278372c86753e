/**
 * Bundles of deployment entrypoints, kept between runs: a flow file is bundled again only when one
 * of the files that went into its bundle changed (by modification time), so a run starts without
 * paying for esbuild each time.
 */
import { stat } from "node:fs/promises";
import { bundleFlowFile, type FlowBundle } from "../cli/run/bundle-flow-file.js";

interface Cached {
  bundle: FlowBundle;
  mtimes: Map<string, number>;
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
        if (cached && (await fresh(cached))) return cached.bundle.file;
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

async function mtimesOf(files: readonly string[]): Promise<Map<string, number>> {
  const entries = await Promise.all(
    files.map(async (file) => [file, await stat(file).then((s) => s.mtimeMs, () => -1)] as const),
  );
  return new Map(entries);
}
