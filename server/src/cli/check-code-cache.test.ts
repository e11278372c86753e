import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { tributary } from "../test-support/tributary-command.js";
import { temporaryFolders } from "../test-support/temporary-folders.js";

// The TypeScript parser (its own 10 MB bundle) is loaded with V8's code cache, kept in the user's
// cache folder: the first check after a build makes it, the next ones read it, on the parser's
// worker thread and in process alike; a corrupt one is ignored and made again, with the same
// findings; nothing of it goes into the workspace or the check's own cache folder.
const temp = temporaryFolders();

/** A workspace whose check finds TRB110 (an unknown deployment) and TRB150 (a deployment nothing runs), and a user of its own. */
function setUp() {
  const dir = temp("tributary-check-code-cache-");
  mkdirSync(path.join(dir, "flows"));
  writeFileSync(path.join(dir, "flows", "a.ts"), 'import { deploy, flow } from "tributaryjs";\nexport const a = flow("a", async () => 1);\nexport const nightly = deploy(a, { name: "nightly" });\n');
  writeFileSync(path.join(dir, "flows", "b.ts"), 'import { flow, runDeployment } from "tributaryjs";\nexport const b = flow("b", async () => {\n  await runDeployment("nowhere/at-all");\n});\n');
  const home = temp("tributary-cache-home-");
  const caches = temp("tributary-check-caches-");
  return { dir, home, caches, codeCacheDir: path.join(home, "tributary", "code-cache"), env: { XDG_CACHE_HOME: home, TRIBUTARY_CACHE_DIR: caches } };
}

type Setup = ReturnType<typeof setUp>;

async function check(setup: Setup, ...flags: string[]) {
  const result = await tributary(["check", "flows", "--format", "json", "--verbose", ...flags], setup.dir, setup.env);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(codes(result.stdout), ["TRB110", "TRB150"], result.stderr);
  return result;
}

/** Edits a flow file (a comment), so that the next check parses it. */
const edit = (setup: Setup) => appendFileSync(path.join(setup.dir, "flows", "b.ts"), `// edited ${Date.now()}-${Math.random()}\n`);

const codes = (stdout: string) => (JSON.parse(stdout) as { code: string }[]).map((f) => f.code).sort();
const entries = (setup: Setup) => readdirSync(setup.codeCacheDir).filter((name) => name.endsWith(".v8cache"));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const WORKER_READ = /a parser worker was started; 1 parsed on it, its parser loaded with its code cache/;

describe("tributary check: the parser loaded with V8's code cache", () => {
  it("makes the cache in the user's cache folder once, then reads it on the worker thread and in process", async () => {
    const setup = setUp();
    const first = await check(setup);
    // (The main thread loads the parser too, to resolve imports: whichever stores the cache first, the other may read it.)
    assert.match(first.stderr, /a parser worker was started; 2 parsed on it, its parser loaded (without a code cache \(one is made for the next time\)|with its code cache)/);
    const [entry] = entries(setup);
    assert.ok(entry, `an entry in ${setup.codeCacheDir}`);
    const stored = statSync(path.join(setup.codeCacheDir, entry));
    if (process.platform !== "win32") assert.equal(stored.mode & 0o777, 0o600);

    edit(setup);
    const edited = await check(setup);
    assert.match(edited.stderr, WORKER_READ);
    const noCache = await check(setup, "--no-cache");
    assert.match(noCache.stderr, /the TypeScript parser was loaded in process with its code cache/);
    assert.equal(noCache.stdout, edited.stdout);

    assert.deepEqual(entries(setup), [entry], "the same entry, read");
    const reused = statSync(path.join(setup.codeCacheDir, entry));
    assert.deepEqual([reused.ino, reused.mtimeMs], [stored.ino, stored.mtimeMs], "and not written again");
  });

  it("ignores a corrupt cache: the same findings, and the cache made again", async () => {
    const setup = setUp();
    await check(setup);
    const [entry] = entries(setup);
    assert.ok(entry);
    const file = path.join(setup.codeCacheDir, entry);
    const whole = readFileSync(file);
    // The same size, the bytes after the header scrambled: V8 would crash on this data.
    const corrupt = Buffer.from(whole);
    for (let i = 100; i < corrupt.length; i += 7) corrupt[i] = (corrupt[i] ?? 0) ^ 0xa5;
    writeFileSync(file, corrupt);

    edit(setup);
    const afterCorruption = await check(setup);
    assert.match(afterCorruption.stderr, /its parser loaded without its code cache, which could not be used \(it is made again\)/);
    assert.notDeepEqual(readFileSync(file), corrupt, "made again");

    edit(setup);
    assert.match((await check(setup)).stderr, WORKER_READ);
  });

  it("writes nothing of it into the workspace or the check's cache folder", async () => {
    const setup = setUp();
    const before = filesUnder(setup.dir);
    await check(setup);
    edit(setup);
    await check(setup);
    await check(setup, "--no-cache");
    assert.deepEqual(filesUnder(setup.dir), before);
    assert.deepEqual(
      filesUnder(setup.caches).filter((file) => !/^(summaries|resolutions|results|facts)[/\\]/.test(file)),
      [],
      "only the check's own caches",
    );
    assert.equal(entries(setup).length, 1);
  });
});
