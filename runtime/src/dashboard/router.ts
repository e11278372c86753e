/// <reference lib="dom" />
/**
 * Hash routes (`#/runs/<id>`): the server serves a fixed table of files, so a view is a fragment
 * of the one page, and a reload or a shared link opens the same view. Leaving a view runs its
 * cleanup before the next one renders.
 */
import type { Page, PageContext } from "./page.js";

export function matchRoute(pages: readonly Page[], hash: string): { page: Page; params: Record<string, string> } | undefined {
  const path = hash.replace(/^#/, "").split("?")[0] || "/";
  const segments = path.split("/").filter(Boolean);
  for (const page of pages) {
    const pattern = page.path.split("/").filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < pattern.length; i++) {
      const want = pattern[i]!;
      const got = segments[i]!;
      if (want.startsWith(":")) {
        try {
          params[want.slice(1)] = decodeURIComponent(got);
        } catch {
          matched = false;
        }
      } else if (want !== got) matched = false;
      if (!matched) break;
    }
    if (matched) return { page, params };
  }
  return undefined;
}

/** The query part of the hash (`#/?state=Failed`): a view's filters, kept in the address. */
export function hashQuery(hash = location.hash): URLSearchParams {
  const at = hash.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : hash.slice(at + 1));
}

export class Router {
  private cleanup: (() => void) | void = undefined;

  constructor(
    private readonly pages: readonly Page[],
    private readonly view: HTMLElement,
    private readonly context: PageContext,
    private readonly onPage: (page: Page | undefined) => void,
  ) {}

  start(): void {
    window.addEventListener("hashchange", () => this.show());
    this.show();
  }

  private show(): void {
    this.cleanup?.();
    this.cleanup = undefined;
    const found = matchRoute(this.pages, location.hash);
    this.onPage(found?.page);
    this.view.replaceChildren();
    if (!found) {
      const message = document.createElement("p");
      message.textContent = `Nothing is at ${location.hash}. Use the links above.`;
      this.view.append(message);
      document.title = "Not found · Tributary";
      return;
    }
    document.title = `${found.page.title(found.params)} · Tributary`;
    this.cleanup = found.page.render(this.view, found.params, this.context);
    this.view.focus({ preventScroll: true });
  }
}
