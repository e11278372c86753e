// Builds tributary-<version>.vsix. The root package.json is both the "tributary" library and the
// extension manifest, and its `main` is the library's, so the extension is staged in
// .cache/vsix-stage/ with a manifest whose `main` is the extension, then packaged there with
// `vsce package --no-dependencies`: esbuild has bundled every JS dependency into dist/.
// Two native pieces cannot be bundled and are shipped beside dist/ in dist/node_modules/, where
// Node finds them from dist/cli and dist/runtime: better-sqlite3 (its JS and the built
// better_sqlite3.node, with `bindings`) and esbuild with its binary (the CLI bundles flow files).
// The .vsix therefore holds this machine's binaries: it is a linux-x64 package.
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

const required = ["dist/client/extension.js", "dist/server/main.js", "dist/server/analysis-cli.js", "dist/cli/main.js", "dist/cli/run-child.js", "dist/runtime/index.js"];
for (const file of required) {
  if (!existsSync(path.join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm run package does).`);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(path.join(root, "dist"), path.join(stage, "dist"), { recursive: true, filter: (source) => !source.endsWith(".map") && !source.includes(`${path.sep}types`) });
for (const folder of ["syntaxes", "media"]) {
  if (existsSync(path.join(root, folder))) cpSync(path.join(root, folder), path.join(stage, folder), { recursive: true, filter: (source) => !source.endsWith(".md") });
}

/** Copies node_modules/<name> (only `parts` of it) to the stage's dist/node_modules/<name>. */
const ship = (name, parts) => {
  for (const part of parts) {
    const from = path.join(root, "node_modules", name, part);
    if (!existsSync(from)) throw new Error(`node_modules/${name}/${part} is missing: run \`npm ci\`.`);
    cpSync(from, path.join(stage, "dist", "node_modules", name, part), { recursive: true });
  }
};
ship("better-sqlite3", ["package.json", "LICENSE", "lib", "build/Release/better_sqlite3.node"]);
ship("bindings", ["package.json", "LICENSE.md", "bindings.js"].filter((part) => existsSync(path.join(root, "node_modules/bindings", part))));
ship("file-uri-to-path", ["package.json", "LICENSE", "index.js"]);
ship("esbuild", ["package.json", "LICENSE.md", "lib"]);
ship(`@esbuild/${process.platform}-${process.arch}`, ["package.json", "bin"]);

const extensionManifest = { ...manifest, main: "./dist/client/extension.js" };
for (const key of ["private", "types", "exports", "bin", "scripts", "dependencies", "devDependencies", "allowScripts"]) delete extensionManifest[key];
writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(extensionManifest, null, 2)}\n`);
cpSync(path.join(root, "client", "EXTENSION-README.md"), path.join(stage, "README.md"));
writeFileSync(path.join(stage, ".vscodeignore"), "**/*.map\n**/*.d.ts\n");

const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
execFileSync(process.execPath, [vsce, "package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", out], { cwd: stage, stdio: "inherit" });
if (outIndex > 0) rmSync(stage, { recursive: true, force: true });
console.log(`Packaged ${out}`);
