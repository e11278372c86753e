// Builds the extension's .vsix files, one per platform: tributary-<platform>-<version>.vsix for
// linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64 and win32-arm64 (VS Code's
// `vsce package --target`). The root package.json is the extension manifest; the library and CLI
// are the workspace package tributaryjs (runtime/), which the extension carries in runtime/, laid
// out as an installed package: package.json, bin/, dist/ and, in runtime/node_modules/, esbuild (its
// JavaScript API and the binary of the .vsix's platform, from the registry's @esbuild/<platform>:
// scripts/esbuild-binaries.mjs) — the CLI bundles flow files with it. Nothing else native ships: the
// store runs on node:sqlite. The TypeScript compiler ships once, in
// runtime/dist/analysis/analysis-cli.js, which the language server loads at run time.
//
// The bundles are a production build (minified, no source maps) made for the package in a temporary
// stage, so the repository's own dist/ is left alone. The package's type declarations are left out:
// nothing in the extension reads them, and they would cost 46 KB of a budget of 6 MiB.
//
//   node scripts/package-extension.mjs                        all six, in the repository's root
//   node scripts/package-extension.mjs --target linux-x64     one (repeat --target for more)
//   node scripts/package-extension.mjs --out-dir <dir>        into <dir>
//   node scripts/package-extension.mjs --out <file.vsix>      one, at <file.vsix>: the --target given,
//                                                             else this machine's (the e2e tests do this)
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { installEsbuildBinary, TARGETS } from "./esbuild-binaries.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

/** Exits 2 with a message that says what to do: bad usage writes nothing. */
const usage = (message) => {
  console.error(`package-extension: ${message}`);
  process.exit(2);
};

let options;
try {
  ({ values: options } = parseArgs({ options: { target: { type: "string", multiple: true }, out: { type: "string" }, "out-dir": { type: "string" } } }));
} catch (error) {
  usage(`${error.message}. Use --target <platform>, --out <file.vsix> or --out-dir <dir>.`);
}
const here = `${process.platform}-${process.arch}`;
const targets = options.target ?? (options.out !== undefined ? [here] : Object.keys(TARGETS));
for (const target of targets) {
  if (!(target in TARGETS)) usage(`unknown target "${target}"${options.target ? "" : " (this machine's platform)"}; use one of ${Object.keys(TARGETS).join(", ")}.`);
}
if (options.out !== undefined && targets.length !== 1) usage(`--out writes one .vsix, but ${targets.length} targets were given (${targets.join(", ")}); use --out-dir for several.`);
if (options.out !== undefined && options["out-dir"] !== undefined) usage("give --out <file.vsix> or --out-dir <dir>, not both.");
const outDir = path.resolve(options["out-dir"] ?? root);
const outFile = (target) => (options.out !== undefined ? path.resolve(options.out) : path.join(outDir, `tributary-${target}-${manifest.version}.vsix`));

const stage = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-stage-"));
try {
  execFileSync(process.execPath, [path.join(root, "scripts", "build.mjs"), "--production", "--out-root", stage], { cwd: root, stdio: "inherit" });
  // The bundled tributaryjs: its package.json, bin/ and dist/ (just built), without types.
  rmSync(path.join(stage, "runtime", "dist", "types"), { recursive: true, force: true });
  for (const part of ["package.json", "bin", "LICENSE"]) cpSync(path.join(root, "runtime", part), path.join(stage, "runtime", part), { recursive: true });
  for (const folder of ["syntaxes", "media"]) {
    if (existsSync(path.join(root, folder))) cpSync(path.join(root, folder), path.join(stage, folder), { recursive: true, filter: (source) => !source.endsWith(".md") });
  }
  const nodeModules = path.join(stage, "runtime", "node_modules");
  for (const part of ["package.json", "LICENSE.md", "lib"]) {
    const from = path.join(root, "node_modules", "esbuild", part);
    if (!existsSync(from)) throw new Error(`node_modules/esbuild/${part} is missing: run \`npm ci\`.`);
    cpSync(from, path.join(nodeModules, "esbuild", part), { recursive: true, filter: (source) => !source.endsWith(".d.ts") });
  }

  const extensionManifest = { ...manifest };
  for (const key of ["private", "workspaces", "scripts", "dependencies", "devDependencies", "optionalDependencies", "allowScripts"]) delete extensionManifest[key];
  writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(extensionManifest, null, 2)}\n`);
  cpSync(path.join(root, "client", "EXTENSION-README.md"), path.join(stage, "README.md"));
  writeFileSync(path.join(stage, ".vscodeignore"), "**/*.map\n");

  mkdirSync(outDir, { recursive: true });
  const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
  for (const target of targets) {
    installEsbuildBinary(root, target, nodeModules);
    const out = outFile(target);
    mkdirSync(path.dirname(out), { recursive: true });
    execFileSync(process.execPath, [vsce, "package", "--target", target, "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", out], { cwd: stage, stdio: ["ignore", "pipe", "inherit"] });
    console.log(`Packaged ${out}`);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
