// The esbuild binary of each platform the .vsix is built for, from the registry's
// `@esbuild/<platform>` package at the version of the installed esbuild (node_modules/esbuild), so
// that the binary matches the JavaScript API shipped beside it. Tarballs are kept in
// .cache/esbuild-binaries/: a repeat build is offline, and a first one reads npm's cache when it can.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * VS Code's target platforms that the extension is built for, each with where its esbuild package
 * keeps the binary: esbuild's lib/main.js resolves `@esbuild/<platform>/<subpath>` (esbuild.exe at
 * the package root on Windows, bin/esbuild elsewhere). The package names match VS Code's targets.
 */
export const TARGETS = {
  "linux-x64": "bin/esbuild",
  "linux-arm64": "bin/esbuild",
  "darwin-x64": "bin/esbuild",
  "darwin-arm64": "bin/esbuild",
  "win32-x64": "esbuild.exe",
  "win32-arm64": "esbuild.exe",
};

/** The version of the installed esbuild, which every shipped binary must have. */
export function esbuildVersion(root) {
  return JSON.parse(readFileSync(path.join(root, "node_modules", "esbuild", "package.json"), "utf8")).version;
}

/** The cached tarball of `@esbuild/<target>@<version>`, packed from the registry (or npm's cache) when missing. */
function tarballFor(root, target, version) {
  const cache = path.join(root, ".cache", "esbuild-binaries");
  const tarball = path.join(cache, `esbuild-${target}-${version}.tgz`);
  if (existsSync(tarball)) return tarball;
  mkdirSync(cache, { recursive: true });
  const spec = `@esbuild/${target}@${version}`;
  const pack = (extra) => execFileSync("npm", ["pack", spec, "--pack-destination", cache, "--silent", ...extra], { cwd: cache, stdio: "pipe", shell: process.platform === "win32" });
  try {
    pack(["--offline"]);
  } catch {
    try {
      pack([]);
    } catch (error) {
      throw new Error(`Could not fetch ${spec} with npm pack (needed for the ${target} .vsix): ${String(error.stderr ?? error.message).trim()}`);
    }
  }
  if (!existsSync(tarball)) throw new Error(`npm pack ${spec} did not write ${tarball}.`);
  return tarball;
}

/**
 * Lays out `@esbuild/<target>` (its package.json and binary) under `nodeModules`, as npm would have
 * installed it on that platform, replacing any other platform's package there.
 */
export function installEsbuildBinary(root, target, nodeModules) {
  const subpath = TARGETS[target];
  if (subpath === undefined) throw new Error(`No esbuild binary is known for the target "${target}"; use one of ${Object.keys(TARGETS).join(", ")}.`);
  const version = esbuildVersion(root);
  const tarball = tarballFor(root, target, version);
  const unpacked = mkdtempSync(path.join(os.tmpdir(), "tributary-esbuild-"));
  try {
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked], { stdio: "pipe" });
    const from = path.join(unpacked, "package");
    const manifest = JSON.parse(readFileSync(path.join(from, "package.json"), "utf8"));
    if (manifest.name !== `@esbuild/${target}` || manifest.version !== version) {
      throw new Error(`${tarball} holds ${manifest.name}@${manifest.version}, not @esbuild/${target}@${version}: delete it and build again.`);
    }
    if (!existsSync(path.join(from, subpath))) throw new Error(`${tarball} has no ${subpath}, where esbuild looks for its binary on ${target}.`);
    const to = path.join(nodeModules, "@esbuild");
    rmSync(to, { recursive: true, force: true });
    for (const part of ["package.json", subpath]) cpSync(path.join(from, part), path.join(to, target, part));
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}
