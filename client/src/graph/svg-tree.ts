/**
 * The graphs' drawing as data: run-graph-svg.ts and dependency-graph-svg.ts build one tree of SVG
 * elements (tag, attributes, children; a string child is text), which is then either written as
 * markup (`toSvgString`: the extension's webviews, its SVG export, tests) or built as DOM
 * (`toSvgElement`: the dashboard, whose rule is that data never goes through innerHTML). One
 * drawing, two outputs: both the webviews and the dashboard bundle these same modules.
 */
import { escapeXml } from "./graph-layout.js";

export const SVG_NS = "http://www.w3.org/2000/svg";

export interface SvgNode {
  tag: string;
  /** In order: the markup keeps the order they are given in. */
  attributes: [string, string | number][];
  children: (SvgNode | string)[];
}

/** An element: attributes whose value is undefined are left out. */
export function el(tag: string, attributes: Record<string, string | number | undefined> = {}, ...children: (SvgNode | string)[]): SvgNode {
  const kept = Object.entries(attributes).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return { tag, attributes: kept, children };
}

/** The tree as SVG markup, every attribute value and text escaped (a `<style>`'s quotes are left as they are). */
export function toSvgString(node: SvgNode): string {
  const attributes = node.attributes.map(([name, value]) => ` ${name}="${typeof value === "number" ? value : escapeXml(value)}"`).join("");
  if (node.children.length === 0 && node.tag !== "svg" && node.tag !== "g" && node.tag !== "title" && node.tag !== "text" && node.tag !== "style") return `<${node.tag}${attributes}/>`;
  const text = (s: string) => (node.tag === "style" ? escapeXml(s).replace(/&quot;/g, '"') : escapeXml(s));
  return `<${node.tag}${attributes}>${node.children.map((c) => (typeof c === "string" ? text(c) : toSvgString(c))).join("")}</${node.tag}>`;
}

/** The minimum of a document that `toSvgElement` uses (the browser's `document`). */
export interface SvgDocument {
  createElementNS(namespace: typeof SVG_NS, tag: string): Element;
  createTextNode(text: string): Node;
}

/** The tree as DOM elements in the SVG namespace: text becomes text nodes, never markup. */
export function toSvgElement(node: SvgNode, doc: SvgDocument): Element {
  const element = doc.createElementNS(SVG_NS, node.tag);
  for (const [name, value] of node.attributes) {
    // The namespace is the element's own; `xmlns` is for the markup only.
    if (name !== "xmlns") element.setAttribute(name, String(value));
  }
  for (const child of node.children) element.appendChild(typeof child === "string" ? doc.createTextNode(child) : toSvgElement(child, doc));
  return element;
}
