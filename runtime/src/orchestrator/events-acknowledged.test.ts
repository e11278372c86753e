// What the server acknowledged is committed: the real server process is SIGKILLed in the middle of
// a burst of posted events, and every event it answered 200 for must be in the store afterwards.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CliWorkspace } from "../cli/test-support/cli-workspace.js";
import type { TributaryEvent } from "./contract.js";
import { clientOfRecordedServer } from "./test-support/authorized-client.js";
import { openSqliteConnection } from "../store/sqlite-driver.js";

describe("events acknowledged by a server killed mid-burst", { timeout: 180_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  // Several trials: the window between an answer and its commit is short, so one burst may miss it.
  for (let trial = 1; trial <= 4; trial++) {
    it(`are all in the store (trial ${trial})`, async () => {
      const server = workspace.start(["server", "start", "--port", "0"]);
      const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
      const client = clientOfRecordedServer(workspace.dbPath);
      const acknowledged: string[] = [];
      let killed = false;
      let next = 0;
      const sender = async () => {
        while (next < 2000 && !killed) {
          const i = next++;
          try {
            const response = await client.fetch(`${url}/api/events`, { method: "POST", body: JSON.stringify({ event: "burst", resource: { id: `burst.${trial}.${i}` } }) });
            if (response.status === 200) acknowledged.push(...((await response.json()) as TributaryEvent[]).map((e) => e.id));
          } catch {
            return; // the server is gone
          }
          if (acknowledged.length >= 200 && !killed) {
            killed = true;
            server.kill("SIGKILL");
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, sender));
      await server.result;
      assert.ok(killed, "the server was killed mid-burst");
      const db = openSqliteConnection(workspace.dbPath, { readonly: true });
      try {
        const stored = new Set((db.prepare("SELECT id FROM events WHERE event = 'burst'").all() as { id: string }[]).map((row) => row.id));
        assert.deepEqual(acknowledged.filter((id) => !stored.has(id)), [], `every one of the ${acknowledged.length} acknowledged events was committed`);
      } finally {
        db.close();
      }
    });
  }
});
