// Builds tributary-<version>.vsix. The root package.json is the extension manifest; the library and
// CLI are the workspace package tributaryjs (runtime/), which the extension carries as its bundled
// copy in runtime/ — laid out as an installed package: package.json, bin/, dist/ and, in
// runtime/node_modules/, the two native pieces esbuild cannot bundle: better-sqlite3 (its JS and the
// built better_sqlite3.node, with `bindings`) and esbuild with its binary (the CLI bundles flow
// files). The .vsix therefore holds this machine's binaries: it is a linux-x64 package.
// The extension is staged in .cache/vsix-stage/ and packaged there with
// `vsce package --no-dependencies`: esbuild has bundled every other JS dependency.
// Run after `npm run build` (`npm run package` does both). `--out <file.vsix>` writes elsewhere
// (the end-to-end tests do, so that parallel runs never share a stage).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const outIndex = process.argv.indexOf("--out");
const out = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : path.join(root, `tributary-${manifest.version}.vsix`);
const stage = outIndex > 0 ? `${out}.stage` : path.join(root, ".cache", "vsix-stage");

const required = ["dist/client/extension.js", "dist/server/main.js", "runtime/dist/analysis/analysis-cli.js", "runtime/dist/cli/main.js", "runtime/dist/cli/run-child.js", "runtime/dist/index.js"];
for (const file of required) {
  if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm run package does).`);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const notMaps = (source) => !source.endsWith(".map");
cpSync(path.join(root, "dist"), path.join(stage, "dist"), { recursive: true, filter: notMaps });
// The bundled tributaryjs: its package.json, bin/ and dist/ (types included: the extension does not
// read them, but the copy is then the package as npm would install it).
for (const part of ["package.json", "bin", "dist", "LICENSE"]) {
  cpSync(path.join(root, "runtime", part), path.join(stage, "runtime", part), { recursive: true, filter: notMaps });
}
for (const folder of ["syntaxes", "media"]) {
  if (existsSync(path.join(root, folder))) cpSync(path.join(root, folder), path.join(stage, folder), { recursive: true, filter: (source) => !source.endsWith(".md") });
}

/** Copies node_modules/<name> (only `parts` of it) to the stage's runtime/node_modules/<name>. */
const ship = (name, parts) => {
  for (const part of parts) {
    const from = path.join(root, "node_modules", name, part);
    if (!existsSync(from)) throw new Error(`node_modules/${name}/${part} is missing: run \`npm ci\`.`);
    cpSync(from, path.join(stage, "runtime", "node_modules", name, part), { recursive: true });
  }
};
ship("better-sqlite3", ["package.json", "LICENSE", "lib", "build/Release/better_sqlite3.node"]);
ship("bindings", ["package.json", "LICENSE.md", "bindings.js"].filter((part) => existsSync(path.join(root, "node_modules/bindings", part))));
ship("file-uri-to-path", ["package.json", "LICENSE", "index.js"]);
ship("esbuild", ["package.json", "LICENSE.md", "lib"]);
ship(`@esbuild/${process.platform}-${process.arch}`, ["package.json", "bin"]);

const extensionManifest = { ...manifest };
for (const key of ["private", "workspaces", "scripts", "dependencies", "devDependencies", "allowScripts"]) delete extensionManifest[key];
writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(extensionManifest, null, 2)}\n`);
cpSync(path.join(root, "client", "EXTENSION-README.md"), path.join(stage, "README.md"));
writeFileSync(path.join(stage, ".vscodeignore"), "**/*.map\n");

const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
execFileSync(process.execPath, [vsce, "package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", out], { cwd: stage, stdio: "inherit" });
if (outIndex > 0) rmSync(stage, { recursive: true, force: true });
console.log(`Packaged ${out}`);
