/**
 * Where the end-to-end tests find code-server and Chromium (installed by
 * scripts/setup-code-server.sh), and the packaged extension they install.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

export const ROOT = path.resolve(__dirname, "..", "..");
export const CODE_SERVER_VERSION = "4.100.3";
export const CODE_SERVER = path.join(ROOT, ".cache", "code-server", "node_modules", "code-server", "out", "node", "entry.js");
export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = path.join(ROOT, "test-artifacts", "e2e");
/**
 * The Node that runs flows in the sessions, first on code-server's PATH: code-server runs on this
 * machine's Node (20 here: no node:sqlite), and the .vsix ships no better-sqlite3, so flows run on
 * Node 24 from .cache/ (scripts/setup-code-server.sh installs it with scripts/install-node.mjs).
 */
export const FLOW_NODE_BIN = path.join(ROOT, ".cache", "node-24", "bin");

/** Why the end-to-end tests cannot run here, or undefined when they can. */
export function missingSetup(): string | undefined {
  if (!existsSync(path.join(ROOT, ".cache", "code-server", `.installed-${CODE_SERVER_VERSION}`))) return "code-server is not installed: run scripts/setup-code-server.sh";
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing: run scripts/setup-code-server.sh`;
  if (!existsSync(path.join(ROOT, "dist", "server", "main.js"))) return "the language server is not built (dist/server/main.js): run npm run build";
  if (!existsSync(path.join(FLOW_NODE_BIN, process.platform === "win32" ? "node.exe" : "node"))) return "Node 24, which runs the flows, is not in .cache/node-24: run scripts/setup-code-server.sh";
  return undefined;
}

/** Packages the built extension (scripts/package-extension.mjs) into `folder`; answers the .vsix path. */
export function packageExtension(folder: string): string {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  const vsix = path.join(folder, `tributary-${version}.vsix`);
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "package-extension.mjs"), "--out", vsix], { cwd: ROOT, stdio: "pipe" });
  return vsix;
}

/**
 * `describe` for an end-to-end suite. Without the setup, the suite is reported as one skipped test
 * of its name, saying why: node's runner counts a skipped `describe` as no test at all, so the
 * summary would not show that the end-to-end tests did not run.
 */
export function describeE2e(name: string, options: { timeout: number }, suite: () => void): void {
  const missing = missingSetup();
  if (missing !== undefined) it(name, { skip: missing }, () => undefined);
  else describe(name, options, suite);
}
