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
