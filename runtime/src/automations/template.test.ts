import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasTemplate, lookUp, renderString, renderTemplate } from "./template.js";

const context = {
  flowRun: {
    id: "run-1",
    name: "crimson-otter",
    result: { batchId: "batch-7", rows: 42, ok: true, none: null, parts: ["a", "b"], nested: { x: 1 } },
    parameters: { y: 3.5, region: "eu" },
    state: { name: "Completed" },
  },
  event: { event: "acme.order.placed", payload: { x: "hello", count: 2 } },
};

describe("templates", () => {
  it("a whole template keeps the JSON type of the value it names", () => {
    assert.equal(renderString("{{ flowRun.result.batchId }}", context), "batch-7");
    assert.equal(renderString("{{ flowRun.result.rows }}", context), 42);
    assert.equal(renderString("{{ flowRun.result.ok }}", context), true);
    assert.equal(renderString("{{ flowRun.result.none }}", context), null);
    assert.deepEqual(renderString("{{ flowRun.result.parts }}", context), ["a", "b"]);
    assert.deepEqual(renderString("{{ flowRun.result }}", context), context.flowRun.result);
    assert.equal(renderString("{{ flowRun.parameters.y }}", context), 3.5);
    assert.equal(renderString("{{ event.payload.count }}", context), 2);
  });

  it("whitespace around a whole template and inside the braces does not matter", () => {
    assert.equal(renderString("  {{flowRun.result.rows}} ", context), 42);
    assert.equal(renderString("{{   event.payload.x   }}", context), "hello");
  });

  it("a template inside a longer string is interpolated, objects as JSON", () => {
    assert.equal(renderString("batch {{ flowRun.result.batchId }} has {{ flowRun.result.rows }} rows", context), "batch batch-7 has 42 rows");
    assert.equal(renderString("parts={{ flowRun.result.parts }}", context), 'parts=["a","b"]');
    assert.equal(renderString("n={{ flowRun.result.nested }}", context), 'n={"x":1}');
    assert.equal(renderString("ok: {{ flowRun.result.ok }}", context), "ok: true");
  });

  it("array indices work with dots and brackets", () => {
    assert.equal(renderString("{{ flowRun.result.parts.1 }}", context), "b");
    assert.equal(renderString("{{ flowRun.result.parts[0] }}", context), "a");
    assert.equal(lookUp(context, "flowRun.result.parts[5]"), undefined);
  });

  it("a path that names nothing is null as a whole value and empty inside a string", () => {
    assert.equal(renderString("{{ flowRun.result.missing }}", context), null);
    assert.equal(renderString("{{ nothing.at.all }}", context), null);
    assert.equal(renderString("id=[{{ flowRun.result.missing }}]", context), "id=[]");
    assert.equal(renderString("{{ flowRun.result.batchId.length }}", context), null, "properties of strings are not reachable");
  });

  it("strings without templates, and non-strings, stay as they are", () => {
    assert.equal(renderString("plain {text}", context), "plain {text}");
    assert.equal(renderTemplate(5, context), 5);
    assert.equal(renderTemplate(null, context), null);
    assert.equal(renderTemplate(false, context), false);
  });

  it("renders every string of nested objects and arrays, leaving keys alone", () => {
    const rendered = renderTemplate(
      { batch: "{{ flowRun.result.batchId }}", "{{ key }}": 1, list: ["{{ flowRun.result.rows }}", "x-{{ event.payload.x }}"], deep: { region: "{{ flowRun.parameters.region }}" } },
      context,
    );
    assert.deepEqual(rendered, { batch: "batch-7", "{{ key }}": 1, list: [42, "x-hello"], deep: { region: "eu" } });
  });

  it("hasTemplate finds a template at any depth", () => {
    assert.equal(hasTemplate("{{ a }}"), true);
    assert.equal(hasTemplate({ a: ["x", { b: "y {{ c }}" }] }), true);
    assert.equal(hasTemplate({ a: ["x", 1] }), false);
  });
});
