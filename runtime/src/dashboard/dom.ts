/// <reference lib="dom" />
/**
 * Building the dashboard's DOM without a framework (ARCHITECTURE: why none). `h` makes an element
 * from a tag, its attributes and its children; a string child becomes a text node, so data from
 * the server (run names, messages, parameters) is never parsed as markup.
 */

export type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends children as `h` takes them. */
export function append(parent: Element | DocumentFragment, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** `2 min ago`, `in 5 s`: how a time relates to now, for lists. */
export function relativeTime(iso: string | undefined, now = Date.now()): string {
  if (iso === undefined) return "";
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 60 ? [abs, "s"] : abs < 3600 ? [Math.round(abs / 60), "min"] : abs < 86_400 ? [Math.round(abs / 3600), "h"] : [Math.round(abs / 86_400), "d"];
  return seconds <= 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** `1.2 s`, `3 min 4 s`: how long a run took, or has run so far. */
export function duration(startIso: string | undefined, endIso: string | undefined, now = Date.now()): string {
  if (startIso === undefined) return "";
  const ms = (endIso === undefined ? now : Date.parse(endIso)) - Date.parse(startIso);
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A time as the reader's locale writes it, with its ISO form in the title for the exact value. */
export function timeElement(iso: string | undefined): HTMLElement | string {
  if (iso === undefined) return "";
  return h("time", { datetime: iso, title: iso }, new Date(iso).toLocaleString());
}
