// Every route of contract.ts ROUTES, as a hostile web page, a rebinding DNS name, a local user
// without the token (or with only a dashboard session's cookie) and a careless client would call
// it. The cases are generated from the route table and its schemas (contract-schemas.ts), so a new
// route is covered without a new test.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import http from "node:http";
import { ROUTE_SCHEMAS } from "./contract-schemas.js";
import { ROUTES } from "./contract.js";
import type { RouteKey } from "./route-validation.js";
import { signIn } from "./test-support/dashboard-session.js";
import { rawRequest, rawUpgrade, type RawResponse } from "./test-support/raw-http.js";
import { ServerWorkspace, type TestServer } from "./test-support/server-harness.js";

type Schema = { type?: string | string[]; enum?: unknown[]; properties?: Record<string, Schema>; items?: Schema; required?: string[] };

const KEYS = Object.keys(ROUTES) as RouteKey[];
const HTTP_KEYS = KEYS.filter((key) => key !== "eventStream");
const spec = (key: RouteKey) => ROUTES[key].split(" ") as [string, string];
const takesBody = (key: RouteKey) => ["POST", "PUT"].includes(spec(key)[0]);
const BODY_KEYS = HTTP_KEYS.filter(takesBody);

/** A valid body for each route that takes one: the base the bad-type cases change one field of. */
const VALID_BODIES: Partial<Record<RouteKey, unknown>> = {
  upsertDeployments: { deployments: [{ name: "add/default", flowName: "add", entrypoint: "deployed-flows.ts:add", workDir: "<workDir>", tags: ["math"], schedules: [], parameters: {}, triggers: [] }] },
  createDeploymentRun: { parameters: { a: 1 }, idempotencyKey: "k", tags: ["t"], flowRunName: "n", parentFlowRunId: "p", chain: [] },
  upsertAutomations: { automations: [{ name: "a", trigger: { type: "event", expect: ["x"] }, actions: [], enabled: true }] },
  emitEvents: [{ event: "e", resource: { id: "r" }, payload: {}, related: [], chain: [] }],
  broadcastEvents: [{ event: "e", resource: { id: "r" }, payload: {}, related: [], chain: [] }],
  putGraph: {
    root: "<workDir>",
    nodes: [{ id: "flow:a", kind: "flow", name: "a", file: "a.ts", line: 1 }],
    edges: [{ from: "flow:a", to: "flow:a", kind: "subflow", conditional: false, file: "a.ts", line: 2, column: 3, waiting: true }],
    cycles: [{ code: "TRB100", severity: "error", message: "a → a", file: "a.ts", line: 2, hops: [{ file: "a.ts", line: 2, column: 3, message: "a calls a" }] }],
    source: { files: ["a.ts"], deployedAt: "2026-01-01T00:00:00.000Z" },
  },
};

/** A value of a type the schema does not allow. */
function wrongValue(schema: Schema): unknown {
  if (schema.enum) return "not-one-of-them";
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("string")) return types.includes("number") ? [] : 5;
  if (types.includes("array")) return "notarray";
  if (types.includes("object")) return "x";
  if (types.includes("boolean")) return "yes";
  if (types.includes("integer") || types.includes("number")) return "many";
  return undefined;
}

/** The object schema whose fields a body holds, and how to set one field of the body. */
function fieldsOf(key: RouteKey, body: unknown): { fields: Record<string, Schema>; set: (field: string, value: unknown) => unknown } {
  const schema = ROUTE_SCHEMAS[key].body as Schema;
  const clone = () => structuredClone(body) as Record<string, unknown> & unknown[];
  if (schema.type === "array") return { fields: schema.items!.properties!, set: (field, value) => Object.assign(clone(), { 0: { ...(body as Record<string, unknown>[])[0], [field]: value } }) };
  const listKey = Object.keys(schema.properties!).find((k) => schema.properties![k]!.type === "array" && schema.required?.includes(k));
  if (listKey !== undefined && Object.keys(schema.properties!).length === 1) {
    return {
      fields: schema.properties![listKey]!.items!.properties!,
      set: (field, value) => ({ [listKey]: [{ ...(body as Record<string, Record<string, unknown>[]>)[listKey]![0], [field]: value }] }),
    };
  }
  return { fields: schema.properties!, set: (field, value) => ({ ...clone(), [field]: value }) };
}

describe("the server against hostile and careless requests, on every route", { timeout: 180_000 }, () => {
  const workspace = new ServerWorkspace();
  let server: TestServer;
  let host: string;
  let runId: string;
  const pathOf = (key: RouteKey) => spec(key)[1].replace("{id}", runId).replace("{name}", "add%2Fdefault");
  const page = { origin: "http://evil.example", "content-type": "text/plain" };
  const bodyFor = (key: RouteKey) => (takesBody(key) ? JSON.stringify(VALID_BODIES[key] ?? {}).replace("<workDir>", workspace.dir) : undefined);
  const send = (key: RouteKey, headers: Record<string, string>, body = bodyFor(key)) => rawRequest(server.url, spec(key)[0], pathOf(key), headers, body);
  const auth = () => ({ authorization: `Bearer ${server.token}` });
  const expectRefused = (response: RawResponse, status: number, code: string, what: string) => {
    assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error?.code, code, what);
  };

  before(async () => {
    server = await workspace.start({ scheduler: false });
    host = new URL(server.url).host;
    await server.register([{ name: "add/default", export: "add" }]);
    const created = await server.api<{ id: string }>("POST", "/api/deployments/add%2Fdefault/runs", { scheduledTime: new Date(Date.now() + 86_400_000).toISOString() });
    runId = created.body.id;
  });
  after(async () => {
    await server.close();
    await workspace.dispose();
  });

  it("every route that takes a body has a valid sample here (a new route must add one)", () => {
    for (const key of BODY_KEYS) {
      const takesBody = ROUTE_SCHEMAS[key].body !== undefined && (ROUTE_SCHEMAS[key].body as { maxProperties?: number }).maxProperties !== 0;
      assert.equal(VALID_BODIES[key] !== undefined, takesBody, key);
    }
  });

  it("a web page's simple request (text/plain, foreign Origin, no token) is refused on every route and changes nothing", async () => {
    const before = await server.api<unknown[]>("GET", "/api/flow-runs");
    for (const key of HTTP_KEYS) expectRefused(await send(key, page), 403, "FORBIDDEN_ORIGIN", key);
    const upgrade = await rawUpgrade(server.url, "/api/events/stream", { origin: "http://evil.example" });
    upgrade.socket.destroy();
    assert.equal(upgrade.status, 403, "the stream refuses a foreign Origin");
    // The page tried to register and run a deployment whose code lies elsewhere: nothing of it exists.
    const evil = await rawRequest(server.url, "POST", "/api/deployments", page, JSON.stringify({ deployments: [{ name: "evil/x", flowName: "evil", entrypoint: "/tmp/evil.ts:evil", workDir: "/tmp" }] }));
    expectRefused(evil, 403, "FORBIDDEN_ORIGIN", "the attack itself");
    assert.equal((await server.api("GET", "/api/deployments/evil%2Fx")).status, 404);
    assert.deepEqual(await server.api<unknown[]>("GET", "/api/flow-runs"), before);
  });

  it("a foreign Origin is refused even with the token; the server's own origin is accepted", async () => {
    for (const key of HTTP_KEYS) {
      expectRefused(await send(key, { ...auth(), origin: "http://evil.example", "content-type": "application/json" }), 403, "FORBIDDEN_ORIGIN", key);
      expectRefused(await send(key, { ...auth(), origin: "null", "content-type": "application/json" }), 403, "FORBIDDEN_ORIGIN", `${key} (Origin: null)`);
    }
    const own = await rawRequest(server.url, "GET", "/api/health", { ...auth(), origin: `http://${host}` });
    assert.equal(own.status, 200);
  });

  it("a Host that is not the bound address or localhost (DNS rebinding) is refused, on every route and the stream", async () => {
    for (const key of HTTP_KEYS) {
      expectRefused(await send(key, { ...auth(), host: `attacker.example:${new URL(server.url).port}`, "content-type": "application/json" }), 403, "FORBIDDEN_HOST", key);
    }
    const upgrade = await rawUpgrade(server.url, "/api/events/stream", { ...auth(), host: "attacker.example" });
    upgrade.socket.destroy();
    assert.equal(upgrade.status, 403);
    const viaLocalhost = await rawRequest(server.url, "GET", "/api/health", { ...auth(), host: `localhost:${new URL(server.url).port}` });
    assert.equal(viaLocalhost.status, 200, "localhost names the server too");
  });

  it("every route and the stream need the token, on loopback too", async () => {
    for (const key of HTTP_KEYS) {
      expectRefused(await send(key, { "content-type": "application/json" }), 401, "UNAUTHORIZED", `${key} without a token`);
      expectRefused(await send(key, { authorization: "Bearer wrong", "content-type": "application/json" }), 401, "UNAUTHORIZED", `${key} with a wrong token`);
    }
    const upgrade = await rawUpgrade(server.url, "/api/events/stream", {});
    upgrade.socket.destroy();
    assert.equal(upgrade.status, 401);
    const accepted = await rawUpgrade(server.url, "/api/events/stream", auth());
    accepted.socket.destroy();
    assert.equal(accepted.status, 101);
  });

  it("a dashboard session needs its key on every route and the stream (a replayed cookie reads nothing), and is refused from another origin even with it", async () => {
    const before = await server.api<unknown[]>("GET", "/api/flow-runs");
    const { cookie, sessionKey } = await signIn(server.url, server.token);
    // A page or server of another port on this host is the same site: the browser sends it the cookie.
    const otherPort = `http://127.0.0.1:${Number(new URL(server.url).port) === 65535 ? 1 : Number(new URL(server.url).port) + 1}`;
    const json = { "content-type": "application/json" };
    for (const key of HTTP_KEYS) {
      expectRefused(await send(key, { cookie, "x-tributary-session-key": sessionKey, origin: otherPort, ...json }), 403, "FORBIDDEN_ORIGIN", `${key} from ${otherPort}`);
      expectRefused(await send(key, { cookie, ...json }), 401, "SESSION_KEY_REQUIRED", `${key} with the cookie alone (replayed, no Origin)`);
      expectRefused(await send(key, { cookie, origin: `http://${host}`, ...json }), 401, "SESSION_KEY_REQUIRED", `${key} with the cookie alone from the own origin`);
      expectRefused(await send(key, { cookie, "x-tributary-session-key": "wrong", ...json }), 401, "SESSION_KEY_REQUIRED", `${key} with a wrong key`);
      expectRefused(await send(key, { cookie, "x-tributary-session-key": `${sessionKey}x`, ...json }), 401, "SESSION_KEY_REQUIRED", `${key} with a longer key`);
      expectRefused(await send(key, { cookie, "sec-websocket-protocol": `key.${sessionKey}`, ...json }), 401, "SESSION_KEY_REQUIRED", `${key} with the key as a subprotocol (the stream's way only)`);
    }
    for (const [what, headers] of [
      ["the cookie alone", { cookie }],
      ["a wrong key", { cookie, "sec-websocket-protocol": "tributary, key.wrong" }],
      ["the key as a header", { cookie, "x-tributary-session-key": sessionKey }],
    ] as [string, Record<string, string>][]) {
      const refused = await rawUpgrade(server.url, "/api/events/stream", headers);
      refused.socket.destroy();
      assert.equal(refused.status, 401, `the stream refuses ${what}`);
    }
    const withKey = { cookie, "sec-websocket-protocol": `tributary, key.${sessionKey}` };
    const foreign = await rawUpgrade(server.url, "/api/events/stream", { ...withKey, origin: otherPort });
    foreign.socket.destroy();
    assert.equal(foreign.status, 403, "the stream refuses a session from another origin");
    const own = await rawUpgrade(server.url, "/api/events/stream", { ...withKey, origin: `http://${host}` });
    own.socket.destroy();
    assert.equal(own.status, 101, "the stream takes a session with its key from the server's own page");
    assert.deepEqual(await server.api<unknown[]>("GET", "/api/flow-runs"), before);
    assert.equal((await server.api("GET", `/api/flow-runs/${runId}`)).status, 200, "the run is still there");
  });

  it("a body must be sent as application/json", async () => {
    for (const key of BODY_KEYS) {
      expectRefused(await send(key, { ...auth(), "content-type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE", key);
      expectRefused(await send(key, { ...auth(), "content-type": "application/x-www-form-urlencoded" }), 415, "UNSUPPORTED_MEDIA_TYPE", key);
    }
  });

  it("a field of the wrong type is a 400 naming it, on every route that takes a body, never a 500", async () => {
    for (const key of BODY_KEYS) {
      const valid = VALID_BODIES[key];
      if (valid === undefined) {
        expectRefused(await send(key, { ...auth(), "content-type": "application/json" }, JSON.stringify({ unexpected: 1 })), 400, "BAD_REQUEST", `${key} takes no body`);
        continue;
      }
      const base = JSON.parse(JSON.stringify(valid).replace("<workDir>", workspace.dir)) as unknown;
      const { fields, set } = fieldsOf(key, base);
      for (const [field, schema] of Object.entries(fields)) {
        const value = wrongValue(schema);
        if (value === undefined) continue;
        const response = await send(key, { ...auth(), "content-type": "application/json" }, JSON.stringify(set(field, value)));
        expectRefused(response, 400, "BAD_REQUEST", `${key}.${field} = ${JSON.stringify(value)}`);
        assert.match(response.body.error!.message, new RegExp(`\`[^\`]*\\b${field}\``), `${key}: the message names ${field}: ${response.body.error!.message}`);
      }
      // The whole body of the wrong kind.
      expectRefused(await send(key, { ...auth(), "content-type": "application/json" }, "42"), 400, "BAD_REQUEST", `${key} with 42`);
      expectRefused(await send(key, { ...auth(), "content-type": "application/json" }, "{ not json"), 400, "BAD_JSON", `${key} with bad JSON`);
    }
    // The cases seen stored or answered 500 before the schemas.
    const run = (body: unknown) => send("createDeploymentRun", { ...auth(), "content-type": "application/json" }, JSON.stringify(body));
    for (const [body, field] of [
      [{ tags: "notarray" }, "tags"],
      [{ chain: "x" }, "chain"],
      [{ idempotencyKey: {} }, "idempotencyKey"],
      [{ parentFlowRunId: 5 }, "parentFlowRunId"],
    ] as const) {
      const response = await run(body);
      expectRefused(response, 400, "BAD_REQUEST", JSON.stringify(body));
      assert.match(response.body.error!.message, new RegExp(field));
    }
  });

  it("a malformed %-escape, a bad or unbounded limit, an unknown or repeated query parameter are 400s", async () => {
    for (const key of HTTP_KEYS.filter((k) => /\{\w+\}/.test(spec(k)[1]))) {
      const path = spec(key)[1].replace(/\{\w+\}/, "%E0%A4%A");
      const response = await rawRequest(server.url, spec(key)[0], path, { ...auth(), ...(takesBody(key) ? { "content-type": "application/json" } : {}) });
      expectRefused(response, 400, "BAD_REQUEST", `${key} with a malformed escape`);
    }
    for (const query of ["limit=0", "limit=10001", "limit=abc", "limit=1&limit=2", "nonsense=1"]) {
      for (const path of ["/api/flow-runs", "/api/events"]) {
        expectRefused(await rawRequest(server.url, "GET", `${path}?${query}`, auth()), 400, "BAD_REQUEST", `${path}?${query}`);
      }
    }
    assert.equal((await rawRequest(server.url, "GET", "/api/flow-runs?limit=10000", auth())).status, 200, "the largest limit is accepted");
  });

  it("a 64 MB body is refused with 413 while it streams in, with or without a declared length, on a route with a bound of its own too", async () => {
    for (const [method, route, declared] of [["POST", "/api/events", true], ["POST", "/api/events", false], ["PUT", "/api/graph", true], ["PUT", "/api/graph", false]] as const) {
      const total = 64 * 1024 * 1024;
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
        const { hostname, port } = new URL(server.url);
        let sent = 0;
        const request = http.request(
          {
            host: hostname,
            port,
            method,
            path: route,
            headers: { ...auth(), "content-type": "application/json", ...(declared ? { "content-length": String(total) } : {}) },
          },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode ?? 0, sent });
            request.destroy();
          },
        );
        request.on("error", (error) => (sent < total ? undefined : reject(error)));
        const write = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!request.write(chunk)) return void request.once("drain", write);
          }
          request.end();
        };
        write();
      });
      assert.equal(status, 413, `${route}, declared length: ${declared}`);
      assert.ok(sent < total, `${route}: refused before the whole body was sent (${sent} of ${total} bytes, declared length: ${declared})`);
    }
    assert.equal((await server.api("GET", "/api/health")).status, 200, "the server still answers");
  });
});
