/// <reference lib="dom" />
/**
 * Wheel zoom (around the pointer), drag to pan and fit-to-window for an SVG whose content sits in
 * one `g.viewport`. A drag that moves more than a few pixels is not a click. DOM only, no VS Code:
 * the webviews and the dashboard both use it.
 */
export interface ZoomPan {
  fit(): void;
  centreOn(x: number, y: number): void;
  /** Shows a box (centre and size) whole, or from its top-left corner at a readable scale when it is too big for that. */
  show(box: { x: number; y: number; width: number; height: number }): void;
  /** True when the last pointer press moved: the click that follows is a drag's end. */
  readonly dragged: boolean;
  transform(): { x: number; y: number; k: number };
  restore(t: { x: number; y: number; k: number }): void;
}

export function attachZoomPan(svg: SVGSVGElement, content: { width: number; height: number }, onChange: (t: { x: number; y: number; k: number }) => void): ZoomPan {
  const viewport = svg.querySelector<SVGGElement>("g.viewport")!;
  let t = { x: 0, y: 0, k: 1 };
  let dragged = false;
  const apply = () => {
    viewport.setAttribute("transform", `translate(${t.x},${t.y}) scale(${t.k})`);
    onChange(t);
  };
  svg.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      const px = event.clientX - rect.left;
      const py = event.clientY - rect.top;
      const k = Math.min(4, Math.max(0.05, t.k * Math.exp(-event.deltaY * 0.0015)));
      t = { x: px - ((px - t.x) * k) / t.k, y: py - ((py - t.y) * k) / t.k, k };
      apply();
    },
    { passive: false },
  );
  let start: { x: number; y: number; tx: number; ty: number } | undefined;
  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    start = { x: event.clientX, y: event.clientY, tx: t.x, ty: t.y };
    dragged = false;
  });
  svg.addEventListener("pointermove", (event) => {
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) svg.setPointerCapture(event.pointerId);
    dragged = true;
    svg.classList.add("panning");
    t = { ...t, x: start.tx + dx, y: start.ty + dy };
    apply();
  });
  const end = () => {
    start = undefined;
    svg.classList.remove("panning");
  };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);

  return {
    get dragged() {
      return dragged;
    },
    fit() {
      const rect = svg.getBoundingClientRect();
      if (content.width === 0 || content.height === 0 || rect.width === 0) return;
      const k = Math.min(1.5, Math.min(rect.width / content.width, rect.height / content.height) * 0.95);
      t = { k, x: (rect.width - content.width * k) / 2, y: (rect.height - content.height * k) / 2 };
      apply();
    },
    show(box) {
      const rect = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || rect.width === 0) return;
      const k = Math.max(0.5, Math.min(1.5, Math.min(rect.width / box.width, rect.height / box.height) * 0.95));
      const fits = box.width * k <= rect.width && box.height * k <= rect.height;
      // Too big to show whole at a readable scale: its top-left corner (a frame's title) comes first.
      const margin = 16;
      const x = fits ? rect.width / 2 - box.x * k : margin - (box.x - box.width / 2) * k;
      const y = fits ? rect.height / 2 - box.y * k : margin - (box.y - box.height / 2) * k;
      t = { k, x, y };
      apply();
    },
    centreOn(x, y) {
      const rect = svg.getBoundingClientRect();
      const k = Math.max(t.k, 0.8);
      t = { k, x: rect.width / 2 - x * k, y: rect.height / 2 - y * k };
      apply();
    },
    transform: () => t,
    restore(saved) {
      t = saved;
      apply();
    },
  };
}

/** The page's graph stylesheet with every `var(--x, fallback)` replaced by its current value: an exported SVG stands alone. */
export function resolvedStylesheet(): string {
  const computed = getComputedStyle(document.documentElement);
  const rules: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    for (const rule of Array.from(sheet.cssRules)) rules.push(rule.cssText);
  }
  const resolve = (text: string): string =>
    text.replace(/var\((--[\w-]+)(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)/g, (_all, name: string, fallback?: string) => {
      const value = computed.getPropertyValue(name).trim();
      return value !== "" ? value : fallback !== undefined ? resolve(fallback) : "currentColor";
    });
  return resolve(rules.filter((r) => !r.startsWith("body") && !r.startsWith("html")).join("\n"));
}
