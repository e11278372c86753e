/**
 * Where the end-to-end tests find code-server and Chromium (installed by
 * scripts/setup-code-server.sh), and the packaged extension they install.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
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

/**
 * Packages the extension (scripts/package-extension.mjs: a production build and vsce) into
 * `folder`; answers the .vsix path. Each end-to-end file installs one: the first to need it builds
 * it (10–15 s) into .cache/e2e-vsix/, named by a fingerprint of what goes into it (every source,
 * script and manifest file's path, size and modification time), and the others copy that. Two files
 * that start together may both build it: each builds in a folder of its own and renames the result
 * into place. Packages left from other sources are removed after an hour.
 */
export function packageExtension(folder: string): string {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  const vsix = path.join(folder, `tributary-${version}.vsix`);
  const packages = path.join(ROOT, ".cache", "e2e-vsix");
  const cached = path.join(packages, `tributary-${version}-${packageFingerprint()}.vsix`);
  if (!existsSync(cached)) {
    mkdirSync(packages, { recursive: true });
    const building = mkdtempSync(path.join(packages, "building-"));
    try {
      execFileSync(process.execPath, [path.join(ROOT, "scripts", "package-extension.mjs"), "--out", path.join(building, "tributary.vsix")], { cwd: ROOT, stdio: "pipe" });
      renameSync(path.join(building, "tributary.vsix"), cached);
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
    for (const name of readdirSync(packages)) {
      const other = path.join(packages, name);
      if (name.endsWith(".vsix") && other !== cached && Date.now() - (statSync(other, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000) rmSync(other, { force: true });
    }
  }
  copyFileSync(cached, vsix);
  return vsix;
}

/** What the package is made of: the files under these paths (their size and time), hashed. */
const PACKAGE_INPUTS = ["package.json", "package-lock.json", "client/src", "client/EXTENSION-README.md", "server/src", "runtime/src", "runtime/bin", "runtime/package.json", "scripts", "syntaxes", "media", "tsconfig.json"];

function packageFingerprint(): string {
  const hash = createHash("sha256");
  const add = (relative: string) => {
    const full = path.join(ROOT, relative);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) for (const name of readdirSync(full).sort()) add(path.join(relative, name));
    else hash.update(`${relative}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  for (const input of PACKAGE_INPUTS) add(input);
  return hash.digest("hex").slice(0, 16);
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
