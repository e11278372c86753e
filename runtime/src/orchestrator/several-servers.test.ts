// Several servers on one PostgreSQL database, in this process (each with its own store, as separate
// processes would have): events cross between them through LISTEN/NOTIFY, once each, also after a
// dropped connection; one leads at a time. The same with real `tributary server start` processes
// is in cli/commands/several-servers.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openPostgresStore, type PostgresStore } from "../store/postgres-store.js";
import { dropSchema, newTestSchema, postgresBackend, queryTestDatabase, testDatabaseUrl } from "../test-support/store-backends.js";
import type { TributaryEvent } from "./contract.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

const { skip } = postgresBackend();

describe("several servers on one PostgreSQL database", { skip }, () => {
  const url = testDatabaseUrl()!;
  const schema = newTestSchema();
  const workspace = skip ? undefined : new ServerWorkspace();
  const servers: TestServer[] = [];
  const logs = new Map<TestServer, string[]>();

  async function startOne(): Promise<TestServer> {
    const store: PostgresStore = await openPostgresStore(url, { schema });
    const lines: string[] = [];
    const server = await workspace!.start({
      store: store as never,
      worker: undefined,
      cluster: { leaderRetryMs: 200, reconnectMs: 200 },
      log: (level, message) => lines.push(`${level}: ${message}`),
    });
    logs.set(server, lines);
    servers.push(server);
    await server.subscribe();
    return server;
  }

  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startOne();
    b = await startOne();
  });
  after(async () => {
    for (const server of servers) await server.close().catch(() => undefined);
    await dropSchema(url, schema);
    await workspace?.dispose();
  });

  const post = async (server: TestServer, event: Partial<TributaryEvent>) => {
    const response = await server.api<TributaryEvent[]>("POST", "/api/events", { resource: { id: "test.resource" }, payload: {}, ...event });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  };
  const count = (server: TestServer, name: string) => server.events.filter((e) => e.event === name).length;

  it("hands an event published on one server to the other's stream once, a large one too, and none back to its publisher twice", async () => {
    const large = "x".repeat(20_000); // beyond a NOTIFY's 8000 bytes: announced by its seq, read back
    await post(a, { event: "test.small" });
    await post(a, { event: "test.large", payload: { large } });
    await post(b, { event: "test.from-b" });
    const seenLarge = await b.waitForEvent((e) => e.event === "test.large");
    assert.equal((seenLarge.payload as { large: string }).large, large);
    await b.waitForEvent((e) => e.event === "test.small");
    await a.waitForEvent((e) => e.event === "test.from-b");
    // A marker from each after the rest: each server relays another's events in order, so once
    // both markers are everywhere, any second delivery of the events above would be too.
    await post(a, { event: "test.marker-a" });
    await post(b, { event: "test.marker-b" });
    for (const server of [a, b]) {
      await server.waitForEvent((e) => e.event === "test.marker-a");
      await server.waitForEvent((e) => e.event === "test.marker-b");
      for (const name of ["test.small", "test.large", "test.from-b", "test.marker-a", "test.marker-b"]) assert.equal(count(server, name), 1, `${name} once on ${server.url}`);
    }
  });

  it("exactly one leads, and runs the scheduler; when its lock's connection drops, one leads again", async () => {
    await Promise.race([a.server.waitForLeadership(true), b.server.waitForLeadership(true)]);
    assert.equal([a, b].filter((s) => s.server.isLeader).length, 1, "one leader");
    for (const server of [a, b]) assert.equal(server.server.scheduler !== undefined, server.server.isLeader, "the scheduler runs on the leader only");
    const leader = a.server.isLeader ? a : b;
    // Its connection killed, as when the leader's machine goes: PostgreSQL releases the lock with it.
    const killed = await queryTestDatabase<{ ok: boolean }>(
      url,
      // This schema's lock (the key is the schema's hash): other tests' servers may lead elsewhere.
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND classid = $1
         AND objid::bigint = (hashtext($2)::bigint + 4294967296) % 4294967296 AND granted
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [0x74726c64, schema],
    );
    assert.deepEqual(killed.map((row) => row.ok), [true], "the leader held the lock");
    await leader.server.waitForLeadership(false);
    await Promise.race([a.server.waitForLeadership(true), b.server.waitForLeadership(true)]);
    assert.equal([a, b].filter((s) => s.server.isLeader).length, 1, "one leader again");
    // The leader closing gives the lock back: the other takes over at its next try.
    const current = a.server.isLeader ? a : b;
    const next = current === a ? b : a;
    await current.close();
    servers.splice(servers.indexOf(current), 1);
    await next.server.waitForLeadership(true);
    assert.ok(next.server.scheduler !== undefined);
    // A new server joins as a follower.
    const c = await startOne();
    assert.equal(c.server.isLeader, false);
    if (current === a) a = c;
    else b = c;
  });

  it("reads what was stored while its listening connection was down, once, and hears new events after", async () => {
    const [publisher, listener] = [a, b];
    const listenerLog = logs.get(listener)!;
    const reconnectsBefore = listenerLog.filter((line) => line.includes("Listening for other servers' events again")).length;
    await queryTestDatabase(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tributary event relay'`);
    // Stored while the relays are down: no NOTIFY reaches them; the catch-up reads these.
    for (let i = 0; i < 5; i++) await post(publisher, { event: "test.while-down", resource: { id: `test.while-down.${i}` } });
    for (let i = 0; i < 5; i++) await listener.waitForEvent((e) => e.event === "test.while-down" && e.resource.id === `test.while-down.${i}`);
    assert.ok(listenerLog.filter((line) => line.includes("Listening for other servers' events again")).length > reconnectsBefore, listenerLog.join("\n"));
    await post(publisher, { event: "test.after-reconnect" });
    await listener.waitForEvent((e) => e.event === "test.after-reconnect");
    assert.equal(count(listener, "test.while-down"), 5, "each missed event once");
    assert.equal(count(publisher, "test.while-down"), 5, "its own events not again from the catch-up");
  });
});
