import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveParameterTypes } from "./resolve-parameter-types.js";
import { summarizeFile } from "./summarize-file.js";

/** The schema of the function given to the first `flow(...)` in `source`, as the summary keeps it. */
function summarySchemaOf(source: string) {
  const summary = summarizeFile("/x/flows.ts", `import { flow } from "tributaryjs";\n${source}`);
  const container = summary.containers.find((c) => c.kind === "call-argument");
  assert.ok(container, "a flow body");
  return container.parameters;
}

/** The same once resolved, in a workspace where no other file declares a type. */
function schemaOf(source: string) {
  return resolveParameterTypes(summarySchemaOf(source), "/x/flows.ts", () => undefined);
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

test("local interfaces and type aliases are followed; an interface extending one that cannot be found stays open", () => {
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

test("an interface extending a local one takes its members, and stays closed", () => {
  assert.deepEqual(schemaOf(`interface Base { b?: number }\ninterface P extends Base { a: string }\nflow("f", async (p: P) => p);`), {
    type: "object",
    properties: { b: { type: "number" }, a: { type: "string" } },
    required: ["a"],
    additionalProperties: false,
  });
});

test("a type from another file is kept by name for the workspace to fill in; one nobody declares accepts anything", () => {
  const source = `import type { P } from "./types";\nflow("f", async ({ a = 1 }: Partial<P>) => a);`;
  assert.deepEqual(summarySchemaOf(source), { typeRef: { root: "P", props: [] }, partial: true, defaultsOf: [{ key: "a", value: 1 }] });
  assert.deepEqual(schemaOf(source), {});
  assert.deepEqual(schemaOf(`flow("f", async (p) => p);`), { type: "object" });
});

test("an untyped destructuring names the parameters, with types from defaults and none required", () => {
  assert.deepEqual(schemaOf(`flow("f", async ({ when = "now", verbose, count = 2 }) => 1);`), {
    type: "object",
    properties: { when: { type: "string", default: "now" }, verbose: {}, count: { type: "number", default: 2 } },
    additionalProperties: false,
  });
});
