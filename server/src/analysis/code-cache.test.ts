import assert from "node:assert/strict";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { loadWithCodeCache } from "./code-cache.js";
import { temporaryFolders } from "../test-support/temporary-folders.js";

// A bundle is loaded through V8's code cache as `require` would load it; the cache is read only when
// it is whole, ours and for this very text, and anything wrong with it costs a miss, never the load.
const temp = temporaryFolders();

/** A CommonJS bundle whose `answer()` returns `value`, with enough functions that V8 has code to cache. */
function bundle(dir: string, value: string): string {
  const file = path.join(dir, "some-bundle.js");
  const helpers = Array.from({ length: 50 }, (_, i) => `function helper${i}(x) { return x + ${i}; }`).join("\n");
  writeFileSync(file, `"use strict";\n${helpers}\nexports.answer = () => ${JSON.stringify(value)};\nexports.sum = () => helper3(helper4(0));\nexports.where = __filename;\n`);
  return file;
}

type Exports = { answer(): string; sum(): number; where: string };

const entries = (cacheDir: string) => readdirSync(cacheDir).filter((name) => name.endsWith(".v8cache"));

describe("loadWithCodeCache", () => {
  it("compiles without a cache the first time, stores one (0600 in a 0700 folder), and reads it the next time", () => {
    const file = bundle(temp("tributary-code-cache-bundle-"), "first");
    const cacheDir = path.join(temp("tributary-code-cache-"), "code-cache");
    const cold = loadWithCodeCache<Exports>(file, cacheDir);
    assert.equal(cold.codeCache, "missing");
    assert.deepEqual([cold.exports.answer(), cold.exports.sum(), cold.exports.where], ["first", 7, file]);
    assert.equal(cold.save(), true);
    assert.equal(cold.save(), false, "once");
    const [entry] = entries(cacheDir);
    assert.ok(entry, "an entry was written");
    if (process.platform !== "win32") {
      assert.equal(statSync(path.join(cacheDir, entry)).mode & 0o777, 0o600);
      assert.equal(statSync(cacheDir).mode & 0o777, 0o700);
    }
    const written = readFileSync(path.join(cacheDir, entry));
    const warm = loadWithCodeCache<Exports>(file, cacheDir);
    assert.equal(warm.codeCache, "read");
    assert.deepEqual([warm.exports.answer(), warm.exports.sum()], ["first", 7]);
    assert.equal(warm.save(), false, "a cache that was read is not written again");
    assert.deepEqual(readFileSync(path.join(cacheDir, entry)), written);
  });

  it("does not take the cache of another text of the same length (V8 compares lengths only)", () => {
    const dir = temp("tributary-code-cache-bundle-");
    const cacheDir = temp("tributary-code-cache-");
    const file = bundle(dir, "AAAA");
    loadWithCodeCache<Exports>(file, cacheDir).save();
    bundle(dir, "BBBB");
    const other = loadWithCodeCache<Exports>(file, cacheDir);
    assert.equal(other.codeCache, "missing");
    assert.equal(other.exports.answer(), "BBBB");
    other.save();
    assert.equal(entries(cacheDir).length, 2, "one entry per text");
  });

  it("ignores a corrupt or truncated entry (V8 would crash on one), loads the bundle, and writes the entry again", () => {
    const file = bundle(temp("tributary-code-cache-bundle-"), "kept");
    const cacheDir = temp("tributary-code-cache-");
    loadWithCodeCache<Exports>(file, cacheDir).save();
    const entry = path.join(cacheDir, entries(cacheDir)[0] ?? "");
    const whole = readFileSync(entry);
    const corrupt = Buffer.from(whole);
    for (let i = corrupt.length - 64; i < corrupt.length; i++) corrupt[i] = (corrupt[i] ?? 0) ^ 0x5a;
    for (const damaged of [corrupt, whole.subarray(0, whole.length >> 1), Buffer.from("not a cache")]) {
      writeFileSync(entry, damaged, { mode: 0o600 });
      const loaded = loadWithCodeCache<Exports>(file, cacheDir);
      assert.equal(loaded.codeCache, "rejected");
      assert.equal(loaded.exports.answer(), "kept");
      assert.equal(loaded.save(), true);
      assert.equal(loadWithCodeCache<Exports>(file, cacheDir).codeCache, "read", "the entry was written again");
    }
  });

  it("does not read an entry others may write", { skip: process.platform === "win32" && "file modes are not Windows' permissions" }, () => {
    const file = bundle(temp("tributary-code-cache-bundle-"), "mine");
    const cacheDir = temp("tributary-code-cache-");
    loadWithCodeCache<Exports>(file, cacheDir).save();
    const entry = path.join(cacheDir, entries(cacheDir)[0] ?? "");
    chmodSync(entry, 0o666);
    assert.equal(loadWithCodeCache<Exports>(file, cacheDir).codeCache, "rejected");
  });

  it("loads the bundle when the cache can be neither read nor written", () => {
    const file = bundle(temp("tributary-code-cache-bundle-"), "still");
    const blocked = path.join(temp("tributary-code-cache-"), "a-file");
    writeFileSync(blocked, "");
    const loaded = loadWithCodeCache<Exports>(file, path.join(blocked, "code-cache"));
    assert.equal(loaded.codeCache, "missing");
    assert.equal(loaded.exports.answer(), "still");
    assert.equal(loaded.save(), false);
  });

  it("is off under NODE_DISABLE_COMPILE_CACHE, as Node's own compile cache is", () => {
    const file = bundle(temp("tributary-code-cache-bundle-"), "off");
    const cacheDir = temp("tributary-code-cache-");
    process.env.NODE_DISABLE_COMPILE_CACHE = "1";
    try {
      const loaded = loadWithCodeCache<Exports>(file, cacheDir);
      assert.equal(loaded.codeCache, "off");
      assert.equal(loaded.save(), false);
      assert.deepEqual(entries(cacheDir), []);
    } finally {
      delete process.env.NODE_DISABLE_COMPILE_CACHE;
    }
  });
});
