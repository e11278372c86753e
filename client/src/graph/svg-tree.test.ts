import assert from "node:assert/strict";
import { test } from "node:test";
import { el, SVG_NS, toSvgElement, toSvgString, type SvgDocument } from "./svg-tree.js";

const tree = () => el("svg", { xmlns: SVG_NS, class: "g", width: 10 }, el("g", { "data-id": 'a"<b>' }, el("title", {}, "x < y & <script>"), el("rect", { width: 3, rx: undefined })));

test("markup: attribute values and text escaped, childless shapes closed, undefined attributes left out", () => {
  assert.equal(toSvgString(tree()), `<svg xmlns="${SVG_NS}" class="g" width="10"><g data-id="a&quot;&lt;b&gt;"><title>x &lt; y &amp; &lt;script&gt;</title><rect width="3"/></g></svg>`);
});

test("DOM: elements in the SVG namespace, text as text nodes (never parsed as markup), no xmlns attribute", () => {
  type Fake = { ns?: string; tag?: string; text?: string; attributes: Record<string, string>; children: Fake[] };
  const doc: SvgDocument = {
    createElementNS: (ns, tag) => {
      const node: Fake = { ns, tag, attributes: {}, children: [] };
      return Object.assign(node, { setAttribute: (n: string, v: string) => (node.attributes[n] = v), appendChild: (c: Fake) => node.children.push(c) }) as unknown as Element;
    },
    createTextNode: (text) => ({ text, attributes: {}, children: [] }) as unknown as Node,
  };
  const root = toSvgElement(tree(), doc) as unknown as Fake;
  assert.equal(root.ns, SVG_NS);
  assert.deepEqual(root.attributes, { class: "g", width: "10" });
  const g = root.children[0]!;
  assert.equal(g.attributes["data-id"], 'a"<b>');
  assert.equal(g.children[0]!.tag, "title");
  assert.equal(g.children[0]!.children[0]!.text, "x < y & <script>");
  assert.equal(g.children[1]!.tag, "rect");
});
