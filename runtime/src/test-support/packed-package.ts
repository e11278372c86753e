/**
 * For tests of the package as a user gets it: `npm pack` of runtime/ (after `npm run build`), and
 * an install of that tarball into a project outside the repository with no network.
 *
 * Offline, npm can only install what its cache holds, and `npm ci` cached tarballs but no registry
 * metadata (the repository's lockfile records no `resolved` URLs), so npm cannot resolve a range
 * offline. The project therefore gets a package-lock.json: the entries of the repository's own
 * lockfile for everything the package and the type checker need, at the versions `npm ci`
 * installed (and cached). better-sqlite3's install script (`prebuild-install || node-gyp rebuild`)
 * then runs as it does for a user, except that prebuild-install finds its prebuilt binary in a
 * local folder: a tarball of the binary `npm ci` produced (downloaded or compiled), so neither the
 * network nor a compiler and Node's headers are needed (offline, prebuild-install fails and
 * node-gyp compiles SQLite from source: minutes on a loaded machine, and only where the headers
 * of the running Node are at hand — `nodedir` in ~/.npmrc here).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { removeWorkspace } from "./remove-workspace.js";
import { sqliteDriverProblem } from "../store/sqlite-driver.js";

const run = promisify(execFile);

export const repoRoot = path.resolve(__dirname, "../../..");
const runtimeDir = path.join(repoRoot, "runtime");
const cliBin = path.join(runtimeDir, "bin/tributary.js");

/** What the installed project needs besides the package: the type checker, at the repository's versions. */
const TYPE_CHECKER = ["typescript", "@types/node"];
/** The install scripts the project allows (npm 11 runs a dependency's only when `allowScripts` names it). */
const ALLOWED_SCRIPTS = { "better-sqlite3": true, esbuild: true };

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Packs runtime/ into `outDir`; resolves to the tarball's path. Build first (`npm run build`). */
export async function packTributaryjs(outDir: string): Promise<string> {
  for (const built of ["dist/index.js", "dist/index.mjs", "dist/cli/main.js", "dist/types/index.d.ts"]) {
    if (!existsSync(path.join(runtimeDir, built))) throw new Error(`runtime/${built} is missing: run \`npm run build\` first.`);
  }
  mkdirSync(outDir, { recursive: true });
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", outDir], { cwd: runtimeDir, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack printed no tarball:\n${stdout}`);
  return path.join(outDir, packed.filename);
}

/**
 * Installs `tarball` into the project at `projectDir` (which has a package.json) with no network:
 * tributaryjs from the tarball, typescript and @types/node as devDependencies. Resolves to npm's output.
 */
export async function installPacked(projectDir: string, tarball: string): Promise<string> {
  const repoLock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const packageManifest = JSON.parse(readFileSync(path.join(runtimeDir, "package.json"), "utf8")) as LockEntry & { name: string; version: string };
  const tarballSpec = `file:${path.relative(projectDir, tarball).split(path.sep).join("/")}`;

  const manifestPath = path.join(projectDir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown> & {
    name?: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const devDependencies = Object.fromEntries(TYPE_CHECKER.map((name) => [name, lockedVersion(repoLock.packages, name)]));
  manifest.dependencies = { ...manifest.dependencies, tributaryjs: tarballSpec };
  manifest.devDependencies = { ...manifest.devDependencies, ...devDependencies };
  manifest.allowScripts = { ...(manifest.allowScripts as object | undefined), ...ALLOWED_SCRIPTS };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

  const packages: Record<string, LockEntry> = {
    "": { name: manifest.name, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies },
    "node_modules/tributaryjs": {
      version: packageManifest.version,
      resolved: tarballSpec,
      integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
      license: packageManifest.license,
      dependencies: packageManifest.dependencies,
      optionalDependencies: packageManifest.optionalDependencies,
      bin: packageManifest.bin,
      engines: packageManifest.engines,
    },
  };
  // better-sqlite3, optional, comes along flagged optional (it is devOptional in the repository's lock).
  copyClosure(repoLock.packages, Object.keys({ ...packageManifest.dependencies, ...packageManifest.optionalDependencies }), packages, false);
  copyClosure(repoLock.packages, TYPE_CHECKER, packages, true);
  writeFileSync(path.join(projectDir, "package-lock.json"), `${JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);

  // prebuild-install reads its options through `rc`, which finds a .prebuild-installrc in the
  // install script's folder or above it: the project's (an environment variable would be dropped by
  // the shell npm runs scripts in, as its name holds a "-", or warned about by npm as unknown config).
  const prebuilds = await localPrebuilds(path.dirname(tarball), repoLock.packages);
  writeFileSync(path.join(projectDir, ".prebuild-installrc"), `${JSON.stringify({ "local-prebuilds": prebuilds }, null, 2)}\n`);
  // Where Node has node:sqlite the store needs no native module: the optional better-sqlite3 is
  // left out, which shows that, and keeps the local prebuild (Node 20's binary) out of this Node.
  const withNodeSqlite = sqliteDriverProblem("node:sqlite") === undefined;
  const { stdout, stderr } = await run("npm", ["install", "--offline", "--no-audit", "--no-fund", ...(withNodeSqlite ? ["--omit=optional"] : [])], {
    cwd: projectDir,
    env: npmEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const binary = path.join(projectDir, "node_modules/better-sqlite3/build/Release/better_sqlite3.node");
  if (!withNodeSqlite && !existsSync(binary)) throw new Error(`npm install left no better-sqlite3 binary in ${projectDir}:\n${stdout}\n${stderr}`);
  if (withNodeSqlite && existsSync(path.join(projectDir, "node_modules/better-sqlite3"))) {
    throw new Error(`npm install --omit=optional installed better-sqlite3 in ${projectDir}:\n${stdout}\n${stderr}`);
  }
  return `${stdout}${stderr}`;
}

export interface PackedProject {
  /** The project folder, in the system's temporary folder. */
  readonly dir: string;
  /** The tarball installed there. */
  readonly tarball: string;
  /** Removes the project (and the tarball when this made it) once no process uses it. */
  dispose(): Promise<void>;
}

/**
 * A project as a new user gets it: `tributary init` (the built CLI of this repository) in a new
 * temporary folder, then the packed package installed there with no network. Give a `tarball` to
 * share one pack between projects; otherwise one is packed for this project.
 */
export async function createInitedProject(options: { tarball?: string } = {}): Promise<PackedProject> {
  const root = mkdtempSync(path.join(os.tmpdir(), "tributary-packed-"));
  try {
    const tarball = options.tarball ?? (await packTributaryjs(path.join(root, "pack")));
    const dir = path.join(root, "my-flows");
    await run(process.execPath, [cliBin, "init", dir], { cwd: root, env: npmEnv() });
    await installPacked(dir, tarball);
    return { dir, tarball, dispose: () => removeWorkspace(root) };
  } catch (error) {
    await removeWorkspace(root);
    throw error;
  }
}

/**
 * The environment for npm and the CLI: without what an enclosing `npm test` or `npm run` exports
 * (its workspace, prefix, package), which would aim the child npm at the repository; the cache and
 * the user config stay, so that the install reads the cache `npm ci` filled. Tributary's own
 * settings go too, but TRIBUTARY_DAEMON: the test runner's "0" keeps the project's checks from
 * starting a check service that would outlive the test.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !/^npm_config_(cache|userconfig)$/i.test(key)) continue;
    if (/^TRIBUTARY_/.test(key) && key !== "TRIBUTARY_DAEMON") continue;
    env[key] = value;
  }
  return env;
}

function lockedVersion(packages: Record<string, LockEntry>, name: string): string {
  const version = packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`The repository's package-lock.json has no ${name}: run \`npm ci\`.`);
  return version;
}

/**
 * Copies from the repository's lockfile the entries of `names` and of everything they depend on,
 * found as Node finds them (the nearest node_modules up from the dependent), at the same paths.
 */
function copyClosure(from: Record<string, LockEntry>, names: readonly string[], into: Record<string, LockEntry>, dev: boolean): void {
  const queue = names.map((name) => ({ name, from: "" }));
  for (let item = queue.shift(); item; item = queue.shift()) {
    const location = findInstalled(from, item.from, item.name);
    if (!location) {
      if (item.from === "") throw new Error(`The repository's package-lock.json has no ${item.name}: run \`npm ci\`.`);
      continue; // an optional or peer dependency the repository does not install
    }
    if (into[location]) continue;
    const { dev: _dev, devOptional, peer: _peer, ...entry } = from[location]!;
    into[location] = { ...entry, ...(dev ? { dev: true } : {}), ...(devOptional && !dev ? { optional: true } : {}) };
    const dependencies = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const name of Object.keys(dependencies)) queue.push({ name, from: location });
  }
}

function findInstalled(packages: Record<string, LockEntry>, dependent: string, name: string): string | undefined {
  for (let base = dependent; ; ) {
    const location = `${base === "" ? "" : `${base}/`}node_modules/${name}`;
    if (packages[location]) return location;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

/**
 * A folder holding better-sqlite3's prebuilt binary as prebuild-install names and unpacks it
 * (`<name>-v<version>-node-v<abi>-<platform>-<arch>.tar.gz` holding build/Release/*.node), made
 * from the binary in the repository's node_modules.
 */
async function localPrebuilds(beside: string, packages: Record<string, LockEntry>): Promise<string> {
  const version = lockedVersion(packages, "better-sqlite3");
  const source = path.join(repoRoot, "node_modules/better-sqlite3");
  if (!existsSync(path.join(source, "build/Release/better_sqlite3.node"))) {
    throw new Error("node_modules/better-sqlite3/build/Release/better_sqlite3.node is missing: run `npm ci`.");
  }
  const folder = path.join(beside, "prebuilds");
  mkdirSync(folder, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run("tar", ["-czf", path.join(folder, name), "-C", source, "build/Release/better_sqlite3.node"]);
  return folder;
}
