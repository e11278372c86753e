/// <reference lib="dom" />
/**
 * The dashboard's entry: picks the session key to try (session.ts), builds the navigation from
 * routes.ts and shows the view the address names. Without a session (no key, or the server
 * refuses it) it says how to sign in, and nothing else.
 */
import { Api, EventFeed } from "./api.js";
import { h } from "./dom.js";
import type { Page, PageContext } from "./page.js";
import { Router } from "./router.js";
import { PAGES, preloadPages } from "./routes.js";
import { forgetSessionKey, startSession } from "./session.js";

const view = document.getElementById("view")!;
const nav = document.getElementById("nav")!;
const live = document.getElementById("live")!;
const connection = document.getElementById("connection")!;
const signOutButton = document.getElementById("sign-out") as HTMLButtonElement;

let signedOut = false;
function showSignedOut(): void {
  if (signedOut) return;
  signedOut = true;
  events.stop();
  forgetSessionKey();
  nav.replaceChildren();
  signOutButton.hidden = true;
  view.replaceChildren(h("h1", {}, "Signed out"), h("p", {}, "Sign in with the link ", h("code", {}, "tributary server open"), " prints."));
}

const api = new Api(showSignedOut);
const events = new EventFeed((connected) => {
  connection.textContent = connected ? "Live" : "Reconnecting…";
  connection.dataset.connected = String(connected);
  // Tests wait on this, not on time.
  document.body.dataset.stream = connected ? "open" : "closed";
});
const context: PageContext = {
  api,
  events,
  navigate: (path) => (location.hash = `#${path}`),
  announce: (text) => (live.textContent = text),
};

signOutButton.addEventListener("click", () => {
  void api.delete("/api/session").finally(showSignedOut);
});

const links = PAGES.filter((page) => page.nav !== undefined).map((page) => ({ page, link: h("a", { href: `#${page.path}` }, page.nav!) }));
nav.replaceChildren(h("ul", {}, ...links.map(({ link }) => h("li", {}, link))));
const markCurrent = (current: Page | undefined) => {
  for (const { page, link } of links) {
    if (page === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
};

// The view's first requests try the key: no round trip before them (the first paint after a sign-in).
if (startSession()) {
  new Router(PAGES, view, context, markCurrent).start();
  // The other views' code, once the first view's requests are on their way.
  setTimeout(preloadPages, 0);
} else showSignedOut();
