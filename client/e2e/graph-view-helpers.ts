/** Helpers for the graph webviews in code-server: VS Code nests a webview two iframes deep. */
import type { FrameLocator, Locator, Page } from "playwright-core";

/** The content frame of the (only) webview on the page. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator("iframe.webview").frameLocator("#active-frame");
}

/**
 * The computed `property` of the element `target` and the colour that `var(cssVariable)` resolves
 * to in the same document, both as the browser serialises colours (`rgb(…)`), to compare them.
 */
export async function colourAndVariable(target: Locator, property: "stroke" | "fill", cssVariable: string): Promise<{ actual: string; expected: string }> {
  return target.evaluate(
    (element, [prop, variable]) => {
      const probe = document.createElement("div");
      probe.style.color = `var(${variable})`;
      document.body.append(probe);
      const expected = getComputedStyle(probe).color;
      probe.remove();
      return { actual: getComputedStyle(element).getPropertyValue(prop), expected };
    },
    [property, cssVariable] as const,
  );
}

/** The 1-based line of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the fixture`);
  return index + 1;
}
