/**
 * Which code a check service runs: the package's version and a hash of the size and time of the
 * built files a check goes through, and of the Node that runs them. The client sends its own; a service that differs (a rebuild,
 * an upgrade) answers "stale" and exits, so an answer never comes from other code than the CLI's.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ClientIdentity } from "./service-protocol.js";

/** The bundles under runtime/dist a check's answer depends on. */
const BUILT_FILES = ["cli/main.js", "cli/check-client.js", "cli/check-service.js", "analysis/analysis-cli.js", "analysis/analysis-parser.js"];

/** The identity of the build `cliDir` (runtime/dist/cli) belongs to. */
export function buildIdentity(cliDir: string): ClientIdentity {
  const distDir = path.dirname(cliDir);
  const hash = createHash("sha256").update(`${process.version}\0${process.arch}\0`);
  for (const file of BUILT_FILES) {
    try {
      const info = statSync(path.join(distDir, file));
      hash.update(`${file}\0${info.size}\0${info.mtimeMs}\0`);
    } catch {
      hash.update(`${file}\0missing\0`);
    }
  }
  let version = "unknown";
  try {
    version = String((JSON.parse(readFileSync(path.resolve(distDir, "../package.json"), "utf8")) as { version?: unknown }).version);
  } catch {
    // A package without its manifest: the build hash still tells builds apart.
  }
  return { version, build: hash.digest("hex").slice(0, 32) };
}
