// The live event stream against clients that break the protocol or stop reading: the real
// `tributary server start` process must keep serving (a crash would end its running runs Crashed).
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import type net from "node:net";
import { after, before, describe, it } from "node:test";
import { CliWorkspace, type CliProcess } from "../cli/test-support/cli-workspace.js";
import type { TributaryEvent } from "./contract.js";
import { readServerFile, serverFilePath, type ServerFile } from "./server-file.js";
import { authorizedClient } from "./test-support/authorized-client.js";
import { rawUpgrade } from "./test-support/raw-http.js";
import { ServerWorkspace } from "./test-support/server-harness.js";

/** A client frame: FIN + opcode, masked unless told otherwise (RFC 6455 §5.2). */
function frame(opcode: number, payload: Buffer, options: { masked?: boolean; declaredLength?: bigint } = {}): Buffer {
  const masked = options.masked ?? true;
  const length = options.declaredLength ?? BigInt(payload.length);
  const header: number[] = [0x80 | opcode];
  if (length < 126n) header.push((masked ? 0x80 : 0) | Number(length));
  else {
    header.push((masked ? 0x80 : 0) | 127);
    for (let shift = 56n; shift >= 0n; shift -= 8n) header.push(Number((length >> shift) & 0xffn));
  }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = Buffer.from([1, 2, 3, 4]);
  return Buffer.concat([Buffer.from(header), mask, Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))]);
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.on("error", () => undefined);
    socket.once("close", () => resolve());
    socket.resume();
  });
}

describe("the event stream of the real server process against bad frames", { timeout: 120_000 }, () => {
  const workspace = new CliWorkspace();
  let server: CliProcess;
  let recorded: ServerFile;
  before(async () => {
    server = workspace.start(["server", "start", "--port", "0"]);
    await server.waitForLine(/^Tributary server listening on (\S+)/);
    recorded = readServerFile(serverFilePath(workspace.dbPath))!;
  });
  after(async () => {
    server.kill("SIGTERM");
    await server.result;
    await workspace.dispose();
  });

  it("writes its URL and token to server.json beside the store, readable by its user only", () => {
    assert.ok(recorded, "server.json is there and valid");
    assert.match(recorded.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(recorded.token.length >= 32, "a long random token");
    if (process.platform !== "win32") assert.equal(statSync(serverFilePath(workspace.dbPath)).mode & 0o777, 0o600);
  });

  const badFrames: [string, Buffer][] = [
    ["an unmasked frame", frame(0x1, Buffer.from("hello"), { masked: false })],
    ["a reserved opcode", frame(0x3, Buffer.from("x"))],
    ["a text frame of bad UTF-8", frame(0x1, Buffer.from([0xff, 0xfe, 0xfd]))],
    ["an oversized frame", frame(0x2, Buffer.alloc(16), { declaredLength: 1n << 40n })],
  ];
  for (const [what, bytes] of badFrames) {
    it(`${what} closes that connection only`, async () => {
      const client = authorizedClient(recorded.token);
      // A well-behaved client on the stream the whole time.
      const witness = client.stream(recorded.url);
      const received: TributaryEvent[] = [];
      witness.on("message", (data) => received.push(JSON.parse(String(data)) as TributaryEvent));
      await new Promise((resolve) => witness.once("open", resolve));

      const bad = await rawUpgrade(recorded.url, "/api/events/stream", { authorization: `Bearer ${recorded.token}` });
      assert.equal(bad.status, 101);
      bad.socket.write(bytes);
      await closed(bad.socket);

      assert.equal(server.child.exitCode, null, "the server process is alive");
      const health = await client.fetch(`${recorded.url}/api/health`);
      assert.equal(health.status, 200, "the server still answers");
      const seen = new Promise<void>((resolve) => witness.on("message", () => received.some((e) => e.event === `after ${what}`) && resolve()));
      const emitted = await client.fetch(`${recorded.url}/api/events`, { method: "POST", body: JSON.stringify({ event: `after ${what}`, resource: { id: "test" } }) });
      assert.equal(emitted.status, 200);
      await seen;
      witness.terminate();
    });
  }
});

describe("a stream client that does not read", { timeout: 120_000 }, () => {
  const workspace = new ServerWorkspace();
  const logged: string[] = [];
  after(() => workspace.dispose());

  it("is dropped and logged once its unread events pass the bound; the others keep theirs", async () => {
    const server = await workspace.start({ scheduler: false, maxStreamBufferBytes: 256 * 1024, log: (_level, message) => logged.push(message) });
    try {
      await server.subscribe();
      const stalled = await rawUpgrade(server.url, "/api/events/stream", { authorization: `Bearer ${server.token}` });
      assert.equal(stalled.status, 101);
      stalled.socket.pause(); // reads nothing from now on
      const gone = new Promise<void>((resolve) => stalled.socket.once("close", () => resolve()));
      const payload = { blob: "x".repeat(512 * 1024) };
      // Broadcast events (not stored) until the server gives up on the stalled client: the
      // kernel's socket buffers take some megabytes first. Bounded: 200 events of 0.5 MB.
      let dropped = false;
      for (let i = 0; i < 200 && !dropped; i++) {
        const response = await server.api("POST", "/api/events/broadcast", { event: `big ${i}`, resource: { id: "test" }, payload });
        assert.equal(response.status, 200);
        dropped = logged.some((line) => /Event stream client dropped: it did not read/.test(line));
      }
      assert.ok(dropped, `the stalled client was dropped and logged: ${logged.join(" | ")}`);
      stalled.socket.resume();
      await gone;
      // The reading client is still connected and gets what comes next.
      const next = server.waitForEvent((e) => e.event === "after the drop");
      await server.api("POST", "/api/events", { event: "after the drop", resource: { id: "test" } });
      await next;
    } finally {
      await server.close();
    }
  });
});
