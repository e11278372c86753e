#!/usr/bin/env node
// Installs a Node.js release line into .cache/node-<major>/ from the npm registry's
// `node-<platform>-<arch>` package (the official binaries, republished), so tests and benches can
// run on several Node versions without a system install. Idempotent: an installed binary of that
// major version is kept. Works offline when the package is in npm's cache.
//
// Usage: node scripts/install-node.mjs <major>      prints the path of the node binary
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

const major = process.argv[2];
if (!major || !/^\d+$/.test(major)) {
  process.stderr.write(`Expected a Node.js major version such as 22 or 24, got \`${major ?? ""}\`.\nUsage: node scripts/install-node.mjs <major>\n`);
  process.exit(2);
}

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "..");
const target = path.join(root, ".cache", `node-${major}`);
const isWindows = process.platform === "win32";
const binary = isWindows ? path.join(target, "bin", "node.exe") : path.join(target, "bin", "node");

function installedMajor() {
  if (!existsSync(binary)) return undefined;
  try {
    return execFileSync(binary, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}

if (installedMajor() === major) {
  process.stdout.write(`${binary}\n`);
  process.exit(0);
}

const platform = isWindows ? "win" : process.platform;
const pkg = `node-${platform}-${process.arch}@${major}`;
const npm = isWindows ? "npm.cmd" : "npm";
mkdirSync(path.dirname(target), { recursive: true });
const work = mkdtempSync(path.join(path.dirname(target), `.node-${major}-`));
try {
  process.stderr.write(`Installing ${pkg} into ${path.relative(root, target)}/ …\n`);
  execFileSync(npm, ["pack", pkg, "--pack-destination", work, "--prefer-offline", "--silent"], {
    stdio: ["ignore", "ignore", "inherit"],
    shell: isWindows,
  });
  const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack ${pkg} left no tarball in ${work}.`);
  execFileSync("tar", ["-xzf", path.join(work, tarball), "-C", work], { stdio: "inherit" });
  rmSync(target, { recursive: true, force: true });
  renameSync(path.join(work, "package"), target);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const got = installedMajor();
if (got !== major) {
  process.stderr.write(`The Node.js installed into ${target} reports major version ${got ?? "nothing"}, not ${major}.\n`);
  process.exit(1);
}
process.stdout.write(`${binary}\n`);
