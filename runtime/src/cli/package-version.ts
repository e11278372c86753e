/** The version of the tributaryjs package this CLI belongs to. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CliContext } from "./cli-context.js";

/** The package's version, or `undefined` when its package.json cannot be read. */
export function readPackageVersion(ctx: CliContext): string | undefined {
  try {
    // The CLI is built into runtime/dist/cli, two folders below the package.json of tributaryjs.
    const manifest = JSON.parse(readFileSync(path.resolve(ctx.cliDir, "../../package.json"), "utf8")) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}
