// PUT /api/graph and GET /api/graph against the real server and store: one graph per project root,
// replaced by that project's next deploy; bodies of the wrong shape are 400s naming the field, and
// the route reads a graph larger than the other routes' bound.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_GRAPH_BODY_BYTES } from "./contract-schemas.js";
import type { PutGraphRequest, RegisteredGraph, TributaryEvent } from "./contract.js";
import { rawRequest } from "./test-support/raw-http.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

type ErrorBody = { error: { code: string; message: string } };

function graph(root: string, flows: string[]): PutGraphRequest {
  return {
    root,
    nodes: flows.map((name, i) => ({ id: `flow:${name}`, kind: "flow", name, file: `${name}.ts`, line: i + 1 })),
    edges: flows.map((name, i) => ({ from: `flow:${name}`, to: `flow:${flows[(i + 1) % flows.length]!}`, kind: "subflow", conditional: false, file: `${name}.ts`, line: 3, column: 9, waiting: true })),
    cycles: [{ code: "TRB100", severity: "error", message: `Dependency cycle: ${flows.join(" → ")}`, file: `${flows[0]!}.ts`, line: 3, hops: [] }],
    source: { files: flows.map((name) => `${name}.ts`), deployedAt: "2026-01-01T00:00:00.000Z" },
  };
}

describe("the registered graph routes", () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  before(async () => {
    server = await workspace.start({ scheduler: false });
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("keeps one graph per project root, the last sent, and lists them in order of root", async () => {
    const put = await server.api<{ root: string; nodes: number; edges: number; cycles: number; updatedAt: string }>("PUT", "/api/graph", graph("/projects/zeta", ["a", "b"]));
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual({ ...put.body, updatedAt: typeof put.body.updatedAt }, { root: "/projects/zeta", nodes: 2, edges: 2, cycles: 1, updatedAt: "string" });
    assert.equal((await server.api("PUT", "/api/graph", graph("/projects/alpha", ["x"]))).status, 200);
    assert.equal((await server.api("PUT", "/api/graph", graph("/projects/zeta", ["a", "b", "c"]))).status, 200);
    const listed = await server.api<RegisteredGraph[]>("GET", "/api/graph");
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.map((g) => [g.root, g.nodes.map((n) => n.name)]),
      [
        ["/projects/alpha", ["x"]],
        ["/projects/zeta", ["a", "b", "c"]],
      ],
    );
    assert.equal(listed.body[1]!.cycles[0]!.message, "Dependency cycle: a → b → c");
    assert.deepEqual(listed.body[1]!.source, graph("/projects/zeta", ["a", "b", "c"]).source);
    // Each one stored is an event (the dashboard's Graph redraws on it), with its project and counts.
    const events = await server.api<TributaryEvent[]>("GET", "/api/events?event=tributary.graph.registered");
    assert.deepEqual(
      events.body.map((e) => [e.resource.id, e.resource.name, e.payload]).sort(),
      [
        ["tributary.graph./projects/alpha", "/projects/alpha", { nodes: 1, edges: 1, cycles: 1 }],
        ["tributary.graph./projects/zeta", "/projects/zeta", { nodes: 2, edges: 2, cycles: 1 }],
        ["tributary.graph./projects/zeta", "/projects/zeta", { nodes: 3, edges: 3, cycles: 1 }],
      ].sort(),
    );
  });

  it("answers 400 naming the field for a body of the wrong shape, and for none", async () => {
    const bad: [unknown, RegExp][] = [
      [{ ...graph("/p", ["a"]), nodes: [{ id: "flow:a", kind: "planet", name: "a", file: "a.ts", line: 1 }] }, /nodes\[0\]\.kind/],
      [{ ...graph("/p", ["a"]), edges: [{ from: "flow:a" }] }, /edges\[0\]/],
      [{ ...graph("/p", ["a"]), nodes: [{ id: "flow:a", kind: "flow", name: "a", file: "a.ts", line: 0 }] }, /nodes\[0\]\.line/],
      [{ ...graph("/p", ["a"]), source: { files: ["a.ts"], deployedAt: "yesterday" } }, /source\.deployedAt/],
      [{ ...graph("/p", ["a"]), extra: true }, /extra/],
      [{ nodes: [], edges: [], cycles: [] }, /root/],
    ];
    for (const [body, field] of bad) {
      const response = await server.api<ErrorBody>("PUT", "/api/graph", body);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.match(response.body.error.message, field);
    }
    const none = await rawRequest(server.url, "PUT", "/api/graph", { authorization: `Bearer ${server.token}`, "content-type": "application/json" });
    assert.equal(none.status, 400);
    assert.match(none.body.error!.message, /needs a JSON body/);
    assert.deepEqual((await server.api<RegisteredGraph[]>("GET", "/api/graph")).body.map((g) => g.root), ["/projects/alpha", "/projects/zeta"], "nothing refused was stored");
  });

  it("reads a graph past the 4 MiB the server allows other routes (hostile-requests.test.ts: a 64 MB one is refused)", async () => {
    const names = Array.from({ length: 60_000 }, (_, i) => `flow-number-${i}`);
    const big = { ...graph("/projects/big", names), cycles: [] };
    const size = Buffer.byteLength(JSON.stringify(big));
    assert.ok(size > 4 * 1024 * 1024 && size < MAX_GRAPH_BODY_BYTES, `the sample is ${size} bytes`);
    const put = await server.api<{ nodes: number }>("PUT", "/api/graph", big);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.nodes, names.length);
  });
});
