/// <reference lib="dom" />
/**
 * What a view of the dashboard is: a route pattern and a `render` that fills the view and returns
 * what to do when the reader leaves (stop listening to the event stream, clear timers). Views live
 * in pages/, one file each, and are listed in routes.ts.
 */
import type { Api, EventFeed } from "./api.js";

export interface PageContext {
  api: Api;
  events: EventFeed;
  /** Goes to another view (`#/runs/<id>`). */
  navigate(path: string): void;
  /** Says something to screen readers (the page's live status region). */
  announce(text: string): void;
}

export interface Page {
  /** `/runs/:id`: segments starting with `:` are parameters, decoded. */
  path: string;
  /** The navigation entry's label; a page without one (a run's page) is reached by links. */
  nav?: string;
  title(params: Record<string, string>): string;
  render(view: HTMLElement, params: Record<string, string>, context: PageContext): (() => void) | void;
}

/** What the navigation and the router know of a page before its code is loaded. */
export type PageOutline = Pick<Page, "path" | "nav" | "title">;

/** A page whose code is fetched the first time it is shown (or preloaded), kept apart from the first view's. */
export interface LazyPage extends Page {
  /** Fetches the page's code, once; resolves to the page. */
  load(): Promise<Page>;
}

/**
 * A page whose code (and the libraries only it uses: the graph layout, the schedule parsers) is a
 * chunk of its own, so that the first view after a sign-in parses only what it needs. `outline` is
 * the page's path, label and title for the navigation, from page-outlines.ts, which the page
 * itself spreads: the two cannot differ.
 */
export function lazyPage(outline: PageOutline, fetchPage: () => Promise<Page>): LazyPage {
  let loading: Promise<Page> | undefined;
  const load = () => (loading ??= fetchPage());
  return {
    ...outline,
    load,
    render(view, params, context) {
      let left = false;
      let leave: (() => void) | void;
      view.append(Object.assign(document.createElement("p"), { className: "muted", textContent: "Loading…" }));
      load().then(
        (page) => {
          if (left) return;
          view.replaceChildren();
          leave = page.render(view, params, context);
        },
        (error: Error) => {
          if (!left) view.replaceChildren(Object.assign(document.createElement("p"), { role: "alert", textContent: `This view could not be loaded (${error.message}): reload the page.` }));
          loading = undefined; // the next visit tries again
        },
      );
      return () => {
        left = true;
        leave?.();
      };
    },
  };
}
