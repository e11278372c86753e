import assert from "node:assert/strict";
import { test } from "node:test";
import { summarizeFile } from "./summarize-file.js";

/** The schema of the function given to the first `flow(...)` in `source`. */
function schemaOf(source: string) {
  const summary = summarizeFile("/x/flows.ts", `import { flow } from "tributaryjs";\n${source}`);
  const container = summary.containers.find((c) => c.kind === "call-argument");
  assert.ok(container, "a flow body");
  return container.parameters;
}

test("no parameter: an empty, closed object", () => {
  assert.deepEqual(schemaOf(`flow("f", async () => 1);`), { type: "object", properties: {}, additionalProperties: false });
});

test("a type literal with optional members, defaults, arrays and literal unions", () => {
  assert.deepEqual(schemaOf(`flow("f", async ({ n = 3, mode }: { n?: number; mode: "a" | "b"; tags: string[]; nested: { ok: boolean } | null; id: string | number }) => 1);`), {
    type: "object",
    properties: {
      n: { type: "number", default: 3 },
      mode: { type: "string", enum: ["a", "b"] },
      tags: { type: "array", items: { type: "string" } },
      nested: { anyOf: [{ type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false }, { type: "null" }] },
      id: { type: ["string", "number"] },
    },
    required: ["mode", "tags", "nested", "id"],
    additionalProperties: false,
  });
});

test("a default makes a required member optional; `| undefined` does too", () => {
  assert.deepEqual(schemaOf(`flow("f", async ({ a = "x", b }: { a: string; b: number | undefined }) => 1);`), {
    type: "object",
    properties: { a: { type: "string", default: "x" }, b: { type: "number" } },
    additionalProperties: false,
  });
});

test("local interfaces and type aliases are followed; extended interfaces stay open", () => {
  assert.deepEqual(schemaOf(`type Mode = "fast" | "slow";\ninterface P { mode: Mode; limit?: Array<number> }\nflow("f", async (p: P) => p);`), {
    type: "object",
    properties: { mode: { type: "string", enum: ["fast", "slow"] }, limit: { type: "array", items: { type: "number" } } },
    required: ["mode"],
    additionalProperties: false,
  });
  assert.deepEqual(schemaOf(`interface P extends Base { a: string }\nflow("f", async (p: P) => p);`), {
    type: "object",
    properties: { a: { type: "string" } },
    required: ["a"],
  });
});

test("types from elsewhere, and untyped identifiers, accept any object", () => {
  assert.deepEqual(schemaOf(`import type { P } from "./types";\nflow("f", async (p: P) => p);`), {});
  assert.deepEqual(schemaOf(`flow("f", async (p) => p);`), { type: "object" });
});

test("an untyped destructuring names the parameters, with types from defaults and none required", () => {
  assert.deepEqual(schemaOf(`flow("f", async ({ when = "now", verbose, count = 2 }) => 1);`), {
    type: "object",
    properties: { when: { type: "string", default: "now" }, verbose: {}, count: { type: "number", default: 2 } },
    additionalProperties: false,
  });
});
