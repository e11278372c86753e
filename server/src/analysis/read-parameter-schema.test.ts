import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveParameterTypes, type TypeSchemaLookup } from "./resolve-parameter-types.js";
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

/** The same once resolved, where every type the flow file imports is declared in `types` (/x/types.ts). */
function schemaWithTypes(source: string, types: string) {
  const declarations = summarizeFile("/x/types.ts", types).declarations;
  const lookup: TypeSchemaLookup = (_file, path) => {
    // `types.Name` (a namespace import of the same file) is found as `Name`.
    const declaration = declarations.get(path.props.at(-1) ?? path.root);
    if (declaration?.kind !== "type") return undefined;
    return { file: "/x/types.ts", schema: declaration.schema, ...(declaration.typeParameters && { typeParameters: declaration.typeParameters }) };
  };
  return resolveParameterTypes(summarySchemaOf(source), "/x/flows.ts", lookup);
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

test("a local generic alias or interface is read with its type arguments, or its defaults where none is given", () => {
  assert.deepEqual(schemaOf(`interface Page<T> { items: T[]; size: number }\ntype Mode<M = "full" | "delta"> = { mode: M };\nflow("f", async (p: Page<"a"> & Mode) => p);`), {
    type: "object",
    properties: { items: { type: "array", items: { type: "string", enum: ["a"] } }, size: { type: "number" }, mode: { type: "string", enum: ["full", "delta"] } },
    required: ["items", "size", "mode"],
    additionalProperties: false,
  });
});

test("an interface extending a generic base takes the base's members, with the argument in place, and stays closed", () => {
  assert.deepEqual(schemaOf(`interface Base<K> { id: K }\ninterface P extends Base<number> { a: string }\nflow("f", async (p: P) => p);`), {
    type: "object",
    properties: { id: { type: "number" }, a: { type: "string" } },
    required: ["id", "a"],
    additionalProperties: false,
  });
});

test("a member typed by an argument that admits undefined is not required, locally and across files", () => {
  const box = `type Box<T> = { value: T; label: string };`;
  const expected = { type: "object", properties: { value: { type: "number" }, label: { type: "string" } }, required: ["label"], additionalProperties: false };
  assert.deepEqual(schemaOf(`${box}\nflow("f", async (p: Box<number | undefined>) => p);`), expected);
  assert.deepEqual(schemaWithTypes(`import type { Box } from "./types";\nflow("f", async (p: Box<number | undefined>) => p);`, `export ${box}`), expected);
});

test("a recursive generic is read up to where it repeats, and accepts anything from there", () => {
  assert.deepEqual(schemaOf(`interface Tree<T> { value: T; children: Tree<T>[] }\nflow("f", async (p: Tree<string>) => p);`), {
    type: "object",
    properties: { value: { type: "string" }, children: { type: "array", items: {} } },
    required: ["value", "children"],
    additionalProperties: false,
  });
});

test("the function's own type parameter accepts anything, even where a type of that name is declared", () => {
  assert.deepEqual(schemaOf(`type P = { a: string };\nflow("f", async <P,>(p: P) => p);`), {});
});

const GENERIC_TYPES = `export interface Page<T> { items: T[]; size: number }
export type WithMode<P> = P & { mode: "full" | "delta" };
export type Patch<T> = Partial<T> & { id: string };
export interface Window<U = "day", S = U[]> { unit: U; skip?: S }`;

test("the summary keeps a generic declaration's parameters as typeParam parts, with their defaults", () => {
  const declarations = summarizeFile("/x/types.ts", GENERIC_TYPES).declarations;
  assert.deepEqual(declarations.get("WithMode"), {
    kind: "type",
    name: "WithMode",
    schema: { allOf: [{ typeParam: "P" }, { type: "object", properties: { mode: { type: "string", enum: ["full", "delta"] } }, required: ["mode"], additionalProperties: false }] },
    typeParameters: [{ name: "P" }],
    loc: declarations.get("WithMode")!.loc,
  });
  const window = declarations.get("Window");
  assert.ok(window?.kind === "type");
  assert.deepEqual(window.typeParameters, [
    { name: "U", default: { schema: { type: "string", enum: ["day"] } } },
    { name: "S", default: { schema: { type: "array", items: { typeParam: "U" } } } },
  ]);
});

test("an imported generic is filled in with the arguments written where it is used", () => {
  assert.deepEqual(schemaWithTypes(`import type { Page, WithMode } from "./types";\nflow("f", async (p: WithMode<Page<"x">>) => p);`, GENERIC_TYPES), {
    type: "object",
    properties: { items: { type: "array", items: { type: "string", enum: ["x"] } }, size: { type: "number" }, mode: { type: "string", enum: ["full", "delta"] } },
    required: ["items", "size", "mode"],
    additionalProperties: false,
  });
  // Partial<T> of the argument, not of what the declaration adds.
  assert.deepEqual(schemaWithTypes(`import type { Patch } from "./types";\nflow("f", async (p: Patch<{ a: string }>) => p);`, GENERIC_TYPES), {
    type: "object",
    properties: { a: { type: "string" }, id: { type: "string" } },
    required: ["id"],
    additionalProperties: false,
  });
});

test("an imported generic used without arguments takes its defaults, a later one naming an earlier", () => {
  assert.deepEqual(schemaWithTypes(`import type { Window } from "./types";\nflow("f", async (p: Window) => p);`, GENERIC_TYPES), {
    type: "object",
    properties: { unit: { type: "string", enum: ["day"] }, skip: { type: "array", items: { type: "string", enum: ["day"] } } },
    required: ["unit"],
    additionalProperties: false,
  });
});

test("a generic parameter with neither an argument nor a default, or a generic type nobody declares, accepts anything", () => {
  assert.deepEqual(schemaWithTypes(`import type { Page } from "./types";\nflow("f", async (p: Page) => p);`, GENERIC_TYPES), {
    type: "object",
    properties: { items: { type: "array", items: {} }, size: { type: "number" } },
    required: ["items", "size"],
    additionalProperties: false,
  });
  assert.deepEqual(schemaWithTypes(`import type { Missing } from "./types";\nflow("f", async (p: Missing<string>) => p);`, GENERIC_TYPES), {});
});

test("a generic that names itself through an import, with a growing argument, is filled in once and accepts anything from there", () => {
  const types = `import type * as self from "./types";\nexport interface Nest<T> { value: T; next?: self.Nest<T[]> }`;
  assert.deepEqual(schemaWithTypes(`import type { Nest } from "./types";\nflow("f", async (p: Nest<string>) => p);`, types), {
    type: "object",
    properties: { value: { type: "string" }, next: {} },
    required: ["value"],
    additionalProperties: false,
  });
});

test("Pick and Omit with literal keys keep or drop members; other keys, or a union to pick from, leave it open", () => {
  const p = `interface P { a: string; b?: number; c: boolean }\n`;
  assert.deepEqual(schemaOf(`${p}flow("f", async (p: Pick<P, "a" | "b">) => p);`), {
    type: "object",
    properties: { a: { type: "string" }, b: { type: "number" } },
    required: ["a"],
    additionalProperties: false,
  });
  assert.deepEqual(schemaOf(`${p}flow("f", async (p: Omit<P, "a">) => p);`), {
    type: "object",
    properties: { b: { type: "number" }, c: { type: "boolean" } },
    required: ["c"],
    additionalProperties: false,
  });
  assert.deepEqual(schemaOf(`${p}flow("f", async (p: Pick<P, keyof P>) => p);`), {});
  assert.deepEqual(schemaOf(`${p}flow("f", async (p: Omit<P | { d: string }, "a">) => p);`), {});
});

test("Pick, Omit and Partial of a type filled in later apply once it is, also to a generic's argument", () => {
  const types = `export interface Row { id: string; name: string; size: number }\nexport type WithoutId<T> = Omit<T, "id">;`;
  assert.deepEqual(schemaWithTypes(`import type { Row } from "./types";\nflow("f", async (p: Partial<Pick<Row, "id" | "name">>) => p);`, types), {
    type: "object",
    properties: { id: { type: "string" }, name: { type: "string" } },
    additionalProperties: false,
  });
  assert.deepEqual(schemaWithTypes(`import type { Row, WithoutId } from "./types";\nflow("f", async (p: Omit<WithoutId<Row>, "size">) => p);`, types), {
    type: "object",
    properties: { name: { type: "string" } },
    required: ["name"],
    additionalProperties: false,
  });
});
