import assert from "node:assert/strict";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { repoRoot, tributary } from "../test-support/tributary-command.js";

// `tributary check` with the summary cache (.tributary/cache/summaries) prints exactly what it
// prints without it: cold, warm, after an edit, with a damaged entry, and with two checks filling
// a fresh cache at once. `--verbose` says where the summaries came from.
const FIXTURES = path.join(repoRoot, "test-fixtures/analysis");
const CASES = ["cycle-three-files", "reach-imported-param-types", "suppression", "syntax-errors", "trigger-loop-automation", "parameters", "unknown-names", "reexports", "const-names"];

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A workspace of several fixture folders, with findings of many kinds. */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tributary-check-cache-"));
  made.push(dir);
  for (const name of CASES) cpSync(path.join(FIXTURES, name), path.join(dir, name), { recursive: true, filter: (from) => !/expected.*\.json$/.test(from) });
  return dir;
}

const cacheDir = (dir: string) => path.join(dir, ".tributary", "cache", "summaries");
const counts = (stderr: string) => /summaries: (\d+) from cache, (\d+) parsed/.exec(stderr)?.slice(1).map(Number);

async function check(dir: string, ...flags: string[]) {
  return checkAs({}, dir, ...flags);
}

/**
 * A check run with these environment variables (another user's cache folder). The last result and
 * the stored facts are forgotten first (check-result-cache.test.ts and the last test here test
 * them): these checks analyse, from the summaries.
 */
async function checkAs(env: NodeJS.ProcessEnv, dir: string, ...flags: string[]) {
  rmSync(path.join(dir, ".tributary", "cache", "results"), { recursive: true, force: true });
  rmSync(path.join(dir, ".tributary", "cache", "facts"), { recursive: true, force: true });
  const result = await tributary(["check", "--format", "json", "--verbose", ...flags], dir, env);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return { ...result, counts: counts(result.stderr) };
}

describe("tributary check with the summary cache", () => {
  it("prints the same JSON cold, warm and after an edit as with --no-cache", async () => {
    const dir = workspace();
    const uncached = await check(dir, "--no-cache");
    assert.ok(JSON.parse(uncached.stdout).length > 5, "the workspace has findings to compare");
    assert.equal(existsSync(path.join(dir, ".tributary")), false, "--no-cache writes nothing");
    const [, files] = uncached.counts!;
    assert.match(uncached.stderr, /\(no cache\)/);

    const cold = await check(dir);
    assert.equal(cold.stdout, uncached.stdout);
    assert.deepEqual(cold.counts, [0, files]);
    assert.ok(readdirSync(cacheDir(dir)).length > 0);

    // Files the flow files import that are not flow files themselves (a const file) come from the cache too.
    const warm = await check(dir);
    assert.equal(warm.stdout, uncached.stdout);
    const [cached, parsed] = warm.counts!;
    assert.deepEqual([cached, parsed], [files, 0]);

    // An edit that changes the findings: a cycle's file no longer calls on.
    const edited = path.join(dir, "cycle-three-files", "publish.ts");
    writeFileSync(edited, readFileSync(edited, "utf8").replace("await ingest({ day });", "void 0;"));
    appendFileSync(path.join(dir, "parameters", readdirSync(path.join(dir, "parameters")).find((f) => f.endsWith(".ts"))!), "\n// edited\n");
    const afterEdit = await check(dir);
    const afterEditUncached = await check(dir, "--no-cache");
    assert.equal(afterEdit.stdout, afterEditUncached.stdout);
    assert.notEqual(afterEdit.stdout, uncached.stdout, "the edit changed the findings");
    assert.deepEqual(afterEdit.counts, [cached! - 2, 2]);
    // Without --verbose nothing is added to stderr.
    const quiet = await tributary(["check", "--format", "json"], dir);
    assert.equal(quiet.stderr, "");
    assert.equal(quiet.stdout, afterEditUncached.stdout);
  });

  it("reads past a damaged entry, gives the same result, and writes the entry again", async () => {
    const dir = workspace();
    const uncached = await check(dir, "--no-cache");
    await check(dir);
    const [cached, parsed] = (await check(dir)).counts!;
    assert.equal(parsed, 0);
    const entries = readdirSync(cacheDir(dir)).sort();
    const truncated = path.join(cacheDir(dir), entries[0]!);
    const whole = readFileSync(truncated, "utf8");
    writeFileSync(truncated, whole.slice(0, Math.floor(whole.length / 2)));
    const garbled = path.join(cacheDir(dir), entries[1]!);
    // The payload changed by one space: still the same JSON, no longer what was signed (any entry has a payload to change).
    writeFileSync(garbled, `${readFileSync(garbled, "utf8")} `);
    const damaged = await check(dir);
    assert.equal(damaged.stdout, uncached.stdout);
    assert.deepEqual(damaged.counts, [cached! - 2, 2]);
    assert.equal(readFileSync(truncated, "utf8"), whole, "the truncated entry is written again whole");
    const warm = await check(dir);
    assert.deepEqual(warm.counts, [cached, 0]);
    assert.equal(warm.stdout, uncached.stdout);
  });

  it("gives two checks at once on a fresh cache the same result, and leaves whole entries", async () => {
    const dir = workspace();
    const uncached = await check(dir, "--no-cache");
    const [one, two] = await Promise.all([check(dir), check(dir)]);
    assert.equal(one.stdout, uncached.stdout);
    assert.equal(two.stdout, uncached.stdout);
    assert.deepEqual(
      readdirSync(cacheDir(dir)).filter((n) => !n.endsWith(".json")),
      [],
      "no temporary file is left",
    );
    const warm = await check(dir);
    assert.equal(warm.stdout, uncached.stdout);
    assert.deepEqual(warm.counts, [uncached.counts![1], 0], "every summary comes from the cache");
  });

  it("with the stored facts, resolves after an edit only the edited file and those that read it, and prints what --no-cache prints", async () => {
    const dir = workspace();
    const facts = async () => {
      rmSync(path.join(dir, ".tributary", "cache", "results"), { recursive: true, force: true });
      const result = await tributary(["check", "--format", "json", "--verbose"], dir);
      return { ...result, facts: /facts: (\d+) from cache, (\d+) resolved/.exec(result.stderr)?.slice(1).map(Number) };
    };
    const cold = await facts();
    const [, resolved] = cold.facts!;
    assert.deepEqual(cold.facts, [0, resolved]);
    const warm = await facts();
    assert.deepEqual(warm.facts, [resolved, 0]);
    assert.equal(warm.stdout, cold.stdout);
    const edited = path.join(dir, "cycle-three-files", "publish.ts");
    writeFileSync(edited, readFileSync(edited, "utf8").replace("await ingest({ day });", "void 0;"));
    const afterEdit = await facts();
    assert.equal(afterEdit.stdout, (await check(dir, "--no-cache")).stdout);
    assert.notEqual(afterEdit.stdout, cold.stdout, "the edit changed the findings");
    const [fromCache, again] = afterEdit.facts!;
    assert.ok(again! >= 1 && again! < resolved!, `only the edited file and its readers are resolved (${again} of ${resolved})`);
    assert.equal(fromCache! + again!, resolved);
  });

  it("never reads entries another user or machine wrote (a cache committed to the repository): they are misses, written again under this user's secret", async () => {
    const dir = workspace();
    const uncached = await check(dir, "--no-cache");
    const [, files] = uncached.counts!;
    // Another user: another cache folder, so another secret, fills the workspace's cache.
    const otherHome = mkdtempSync(path.join(os.tmpdir(), "tributary-other-user-"));
    made.push(otherHome);
    await checkAs({ XDG_CACHE_HOME: otherHome }, dir);
    assert.ok(existsSync(path.join(otherHome, "tributary", "cache-secret")), "the secret lives in the user's cache folder, not the workspace");
    assert.deepEqual((await checkAs({ XDG_CACHE_HOME: otherHome }, dir)).counts, [files, 0], "that user's own entries are read");

    // This user finds that cache in the workspace, as if a repository shipped it.
    assert.ok(readdirSync(cacheDir(dir)).length > 0);
    const mine = await check(dir);
    assert.equal(mine.counts![0], 0, "nothing another user signed is read");
    assert.equal(mine.counts![1], files);
    assert.equal(mine.stdout, uncached.stdout);
    const warm = await check(dir);
    assert.ok(warm.counts![0]! > 0, "this user's entries, written again, are read");
    assert.equal(warm.stdout, uncached.stdout);
  });
});

describe("tributary graph through the caches check keeps", () => {
  it("parses nothing after a check, prints what --no-cache prints, and --no-cache writes nothing", async () => {
    const dir = workspace();
    const uncached = await tributary(["graph", "--no-cache", "--verbose"], dir);
    assert.equal(uncached.code, 0, uncached.stderr);
    assert.ok((JSON.parse(uncached.stdout) as { nodes: unknown[] }).nodes.length > 10, "the workspace has a graph to compare");
    assert.equal(existsSync(path.join(dir, ".tributary")), false, "--no-cache writes nothing");

    const checked = await tributary(["check", "--format", "json", "--verbose"], dir);
    const [, files] = counts(checked.stderr)!;
    const warm = await tributary(["graph", "--verbose"], dir);
    assert.equal(warm.code, 0, warm.stderr);
    assert.equal(warm.stdout, uncached.stdout);
    // Summaries are read only where the stored facts need them; none is parsed again.
    const [fromCache, parsed] = counts(warm.stderr)!;
    assert.ok(fromCache! > 0 && parsed === 0, warm.stderr);
    assert.match(warm.stderr, /^tributary: facts: [1-9]\d* from cache, 0 resolved$/m, "and the stored facts: nothing resolved again");
    const quiet = await tributary(["graph"], dir);
    assert.equal(quiet.stdout, uncached.stdout);
    assert.equal(quiet.stderr, "", "nothing on stderr without --verbose");

    // --cache-dir (as TRIBUTARY_CACHE_DIR) puts the caches elsewhere, as for check.
    const elsewhere = path.join(dir, "elsewhere");
    const moved = await tributary(["graph", "--cache-dir", elsewhere, "--verbose"], dir);
    assert.equal(moved.stdout, uncached.stdout);
    assert.deepEqual(counts(moved.stderr), [0, files], "a fresh folder: every file parsed");
    assert.ok(readdirSync(path.join(elsewhere, "summaries")).length > 0);
  });
});
