/**
 * The six .vsix files (scripts/package-extension.mjs, built once into a temporary folder) unpacked
 * and checked: each carries the esbuild binary of its own platform where esbuild looks for it,
 * nothing else native, a manifest that declares its target platform, the TypeScript compiler once,
 * and stays small. Needs the @esbuild/<platform> tarballs (.cache/esbuild-binaries/, else npm's
 * cache or the registry) and, for the language server's run, the repository's build.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import yauzl from "yauzl";
import { copyFixture, LspTestClient } from "../server/src/test-support/lsp-test-client.js";
import { nativeBinaryOf, type NativeBinary } from "./native-binary.js";

const ROOT = path.resolve(__dirname, "..");
const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };

/** Each VS Code target, the binary its esbuild package ships, and where esbuild's lib/main.js resolves it. */
const EXPECTED: Record<string, { binary: NativeBinary; subpath: string }> = {
  "linux-x64": { binary: { format: "ELF", cpu: "x64" }, subpath: "bin/esbuild" },
  "linux-arm64": { binary: { format: "ELF", cpu: "arm64" }, subpath: "bin/esbuild" },
  "darwin-x64": { binary: { format: "Mach-O", cpu: "x64" }, subpath: "bin/esbuild" },
  "darwin-arm64": { binary: { format: "Mach-O", cpu: "arm64" }, subpath: "bin/esbuild" },
  "win32-x64": { binary: { format: "PE", cpu: "x64" }, subpath: "esbuild.exe" },
  "win32-arm64": { binary: { format: "PE", cpu: "arm64" }, subpath: "esbuild.exe" },
};

/**
 * Everything besides the esbuild binary, compressed as the .vsix stores it: the minified bundles
 * with the TypeScript compiler once (~1.03 MB of it) and the manifest — 1.62 MiB when written. A
 * second copy of the compiler (~1 MB more) or an unminified build would exceed it.
 */
// 1.75 MiB until the PostgreSQL store (runtime/dist/store/postgres-store.js with pg, loaded only for a
// database URL) and the result views came in: 1.754 MiB on 2026-12-06. 1.85 MiB until the web
// dashboard came into the runtime the extension carries (runtime/dist/dashboard/: its script with
// the schedule and graph code it shares, its page and styles; the servers the extension starts
// serve it): 1.88 MiB on 2026-12-07.
const OWN_CONTENT_LIMIT = 1.95 * 1024 * 1024;
/**
 * The whole .vsix. The esbuild binary alone takes 4.3 MB (linux-arm64) to 4.8 MB (win32-x64) of it
 * and the TypeScript compiler 1.03 MB: the arm64 packages stay under 6 MiB, the x64 ones not (6.2–6.3
 * MiB; win32-x64 6.50 MiB with the dashboard, 2026-12-07).
 */
const VSIX_LIMIT = 6.6 * 1024 * 1024;

interface Unpacked {
  file: string;
  size: number;
  /** Entry name → its unix mode and compressed size. */
  entries: Map<string, { mode: number; compressedSize: number }>;
  dir: string;
}

/** Unpacks a .vsix (a zip) into `dir`, keeping each entry's mode and compressed size. */
function unpack(file: string, dir: string): Promise<Unpacked> {
  const entries: Unpacked["entries"] = new Map();
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      zip.on("error", reject);
      zip.on("end", () => resolve({ file, size: statSync(file).size, entries, dir }));
      zip.on("entry", (entry: yauzl.Entry) => {
        entries.set(entry.fileName, { mode: (entry.externalFileAttributes >>> 16) & 0o7777, compressedSize: entry.compressedSize });
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            const to = path.join(dir, entry.fileName);
            mkdirSync(path.dirname(to), { recursive: true });
            writeFileSync(to, Buffer.concat(chunks));
            chmodSync(to, entries.get(entry.fileName)!.mode || 0o644);
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const work = mkdtempSync(path.join(os.tmpdir(), "tributary-vsix-test-"));
const unpacked = new Map<string, Unpacked>();

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "package-extension.mjs"), "--out-dir", work], { cwd: ROOT, stdio: "pipe" });
  for (const target of Object.keys(EXPECTED)) {
    const file = path.join(work, `tributary-${target}-${version}.vsix`);
    unpacked.set(target, await unpack(file, path.join(work, target)));
  }
}, { timeout: 600_000 });
after(() => rmSync(work, { recursive: true, force: true }));

const vsixOf = (target: string): Unpacked => {
  const found = unpacked.get(target);
  assert.ok(found, `tributary-${target}-${version}.vsix was built`);
  return found;
};
const read = (vsix: Unpacked, name: string): Buffer => readFileSync(path.join(vsix.dir, name));

for (const [target, expected] of Object.entries(EXPECTED)) {
  describe(`tributary-${target}-${version}.vsix`, () => {
    it(`carries esbuild's ${expected.binary.format} ${expected.binary.cpu} binary where esbuild's own lookup finds it`, () => {
      const vsix = vsixOf(target);
      const name = `extension/runtime/node_modules/@esbuild/${target}/${expected.subpath}`;
      assert.ok(vsix.entries.has(name), `${name} is in the package`);
      assert.deepEqual(nativeBinaryOf(read(vsix, name)), expected.binary);
      // esbuild's lib/main.js finds its binary with require.resolve("@esbuild/<platform>/<subpath>").
      const esbuildMain = path.join(vsix.dir, "extension/runtime/node_modules/esbuild/lib/main.js");
      assert.equal(createRequire(esbuildMain).resolve(`@esbuild/${target}/${expected.subpath}`), path.join(vsix.dir, name));
      const esbuildVersion = (JSON.parse(read(vsix, "extension/runtime/node_modules/esbuild/package.json").toString()) as { version: string }).version;
      const binaryVersion = (JSON.parse(read(vsix, `extension/runtime/node_modules/@esbuild/${target}/package.json`).toString()) as { version: string }).version;
      assert.equal(binaryVersion, esbuildVersion, "the binary's package has the version of the esbuild API beside it");
      if (!target.startsWith("win32")) assert.equal(vsix.entries.get(name)!.mode & 0o111, 0o111, `${name} is executable`);
    });

    it("holds nothing else native", () => {
      const vsix = vsixOf(target);
      const binary = `extension/runtime/node_modules/@esbuild/${target}/${expected.subpath}`;
      const others = [...vsix.entries.keys()].filter((name) => !name.endsWith("/") && name !== binary && (/\.(node|so|dylib|dll|exe)$/.test(name) || nativeBinaryOf(read(vsix, name)) !== undefined));
      assert.deepEqual(others, []);
      assert.deepEqual([...vsix.entries.keys()].filter((name) => /\/node_modules\/(better-sqlite3|bindings|file-uri-to-path)\//.test(name)), []);
    });

    it("declares its target platform, and its manifest has no development fields", () => {
      const vsix = vsixOf(target);
      assert.match(read(vsix, "extension.vsixmanifest").toString(), new RegExp(`<Identity [^>]*TargetPlatform="${target}"`));
      const manifest = JSON.parse(read(vsix, "extension/package.json").toString()) as Record<string, unknown>;
      for (const key of ["private", "workspaces", "scripts", "dependencies", "devDependencies", "optionalDependencies", "allowScripts"]) {
        assert.equal(manifest[key], undefined, `extension/package.json has no "${key}"`);
      }
      assert.equal(manifest.main, "./dist/client/extension.js");
    });

    it("carries the TypeScript compiler once, in the parser bundle beside the analysis the language server loads", () => {
      const vsix = vsixOf(target);
      // A message key of the compiler's diagnostics: minifying keeps it.
      const withCompiler = [...vsix.entries.keys()].filter((name) => name.endsWith(".js") && read(vsix, name).includes("Identifier_expected_1003"));
      // In the parser's own bundle, which the analysis loads from beside it only when it parses or resolves.
      assert.deepEqual(withCompiler, ["extension/runtime/dist/analysis/analysis-parser.js"]);
      assert.ok(read(vsix, "extension/runtime/dist/analysis/analysis-cli.js").includes("analysis-parser.js"));
      // The language server (dist/server/main.js) loads the analysis from ../../runtime/dist/analysis/.
      assert.ok(vsix.entries.has(path.posix.normalize("extension/dist/server/../../runtime/dist/analysis/analysis-cli.js")));
      assert.ok(read(vsix, "extension/dist/server/main.js").length < 600_000, "the language server's bundle is small without the compiler");
    });

    it(`stays small: at most ${(OWN_CONTENT_LIMIT / 2 ** 20).toFixed(1)} MiB besides the esbuild binary, ${(VSIX_LIMIT / 2 ** 20).toFixed(1)} MiB in all`, () => {
      const vsix = vsixOf(target);
      const binary = vsix.entries.get(`extension/runtime/node_modules/@esbuild/${target}/${expected.subpath}`)!;
      const own = [...vsix.entries.values()].reduce((sum, entry) => sum + entry.compressedSize, 0) - binary.compressedSize;
      assert.ok(own <= OWN_CONTENT_LIMIT, `${own} bytes besides the esbuild binary`);
      assert.ok(vsix.size <= VSIX_LIMIT, `${vsix.size} bytes`);
    });
  });
}

describe("the package of this machine's platform, unpacked", () => {
  const here = `${process.platform}-${process.arch}`;
  const skip = here in EXPECTED ? false : `no .vsix is built for ${here}`;

  it("bundles a file with its esbuild", { skip }, () => {
    const vsix = vsixOf(here);
    const script = `const esbuild = require(${JSON.stringify(path.join(vsix.dir, "extension/runtime/node_modules/esbuild"))});
      process.stdout.write(esbuild.transformSync("const answer: number = 42", { loader: "ts" }).code);`;
    assert.equal(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }), "const answer = 42;\n");
  });

  it("runs the language server, which finds its analysis in the bundled package and publishes diagnostics", { skip, timeout: 60_000 }, async () => {
    const vsix = vsixOf(here);
    const fixture = copyFixture("test-fixtures/lsp/workspace");
    const client = await LspTestClient.start(fixture.dir, undefined, path.join(vsix.dir, "extension/dist/server/main.js"));
    try {
      const [finding] = await client.diagnostics(path.join(fixture.dir, "consumer.ts"), (d) => d.length > 0);
      assert.equal(finding!.code, "TRB110");
      assert.match(await client.logged(/the analysis of .* uses /), /bundled tributaryjs/);
      assert.deepEqual(client.errors, []);
      assert.equal(await client.stop(), 0);
    } finally {
      if (client.isRunning) client.kill();
      fixture.dispose();
    }
  });
});

describe("bad usage of scripts/package-extension.mjs", () => {
  const script = path.join(ROOT, "scripts", "package-extension.mjs");
  const cases = [
    { args: ["--target", "linux-mips64"], says: /unknown target "linux-mips64"; use one of linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64/ },
    { args: ["--target", "linux-x64", "--target", "win32-x64", "--out", "one.vsix"], says: /--out writes one \.vsix, but 2 targets were given \(linux-x64, win32-x64\); use --out-dir/ },
    { args: ["--platform", "linux-x64"], says: /Unknown option '--platform'.*Use --target <platform>/ },
  ];
  for (const { args, says } of cases) {
    it(`refuses ${args.join(" ")} with exit 2, writing nothing`, () => {
      const out = path.join(work, "bad-usage");
      const result = spawnSync(process.execPath, [script, ...args, ...(args.includes("--out") ? [] : ["--out-dir", out])], { cwd: work, encoding: "utf8" });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, says);
      assert.equal(existsSync(out) || existsSync(path.join(work, "one.vsix")), false);
    });
  }
});
