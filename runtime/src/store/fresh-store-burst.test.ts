import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { MIGRATIONS } from "./migrations.js";
import { openSqliteConnection } from "./sqlite-driver.js";

const OPENERS = 20;
// The timeout is a guard against a hang: 60 tsx processes took ~100 s at load 40 on the 2 cores.
const BURSTS = 3;

interface Opener {
  child: ChildProcess;
  ready: Promise<void>;
  exit: Promise<{ code: number | null; output: string }>;
}

/** Starts an opener that loads, says "ready", and waits for "go" on stdin before it opens the store. */
function startOpener(file: string, runId: string): Opener {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test-fixtures/store/fresh-store-opener.ts"), file, runId], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("ready\n")) markReady();
  });
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = once(child, "exit").then(([code]) => {
    markReady(); // an opener that died before it loaded must not hold the burst back
    return { code: code as number | null, output };
  });
  return { child, ready, exit };
}

describe("a brand-new store opened by many processes at once", () => {
  it(`migrates once and keeps every run: ${BURSTS} bursts of ${OPENERS} processes on fresh files`, { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tributary-fresh-burst-"));
    try {
      for (let burst = 0; burst < BURSTS; burst++) {
        const file = path.join(dir, `burst-${burst}`, "tributary.db");
        const openers = Array.from({ length: OPENERS }, (_, i) => startOpener(file, `run-${burst}-${i}`));
        await Promise.all(openers.map((o) => o.ready));
        // Every opener has loaded its modules: they all reach the missing file together.
        for (const opener of openers) opener.child.stdin!.end("go\n");
        const results = await Promise.all(openers.map((o) => o.exit));
        const failed = results.filter((r) => r.code !== 0 || !r.output.includes("stored"));
        assert.deepEqual(failed, [], `burst ${burst}: ${failed.length} of ${OPENERS} openers failed`);

        const db = openSqliteConnection(file, { readonly: true });
        try {
          assert.equal(db.pragma("integrity_check"), "ok");
          assert.equal(db.pragma("user_version"), MIGRATIONS.length);
          const ids = (db.prepare("SELECT id FROM flow_runs ORDER BY id").all() as { id: string }[]).map((r) => r.id);
          const expected = Array.from({ length: OPENERS }, (_, i) => `run-${burst}-${i}`).sort();
          assert.deepEqual(ids, expected);
        } finally {
          db.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
