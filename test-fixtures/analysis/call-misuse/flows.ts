import { flow, task } from "tributaryjs";

export const fetchPage = task("fetch-page", async (url: string) => url.length);
export const child = flow("child", async () => 1);

// Fine: awaited, returned, submitted, mapped, voided on purpose, called through a helper a flow uses.
async function fetchAll(urls: string[]) {
  return Promise.all(urls.map((u) => fetchPage(u)));
}
export const parent = flow("parent", async ({ urls }: { urls: string[] }) => {
  const first = await fetchPage(urls[0]!);
  const future = fetchPage.submit("x");
  fetchPage.map(urls);
  const all = await fetchAll(urls);
  void child();
  await child.withOptions({ returnState: true })();
  return { first, all, future, c: child() };
});

// Not awaited: the flow may end before them.
export const sloppy = flow("sloppy", async () => {
  fetchPage("https://example.com");
  child();
});

// Outside any flow.
const pages = fetchPage("https://example.com/top-level");
async function neverCalledFromAFlow() {
  await fetchPage("https://example.com/helper");
}
export { pages, neverCalledFromAFlow };

// Calling a flow at top level runs it: fine.
void parent({ urls: [] });
