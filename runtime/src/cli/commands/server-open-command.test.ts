import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { readServerFile, serverFilePath } from "../../orchestrator/server-file.js";
import { rawRequestWithHeaders } from "../../orchestrator/test-support/raw-http.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";

describe("tributary server open (against a real `tributary server start`)", { timeout: 300_000 }, () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("says how to start a server, with exit 2, when none runs", async () => {
    const result = await workspace.run(["server", "open", "--json"]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^tributary: No orchestration server answers for this workspace .*start one with `tributary server start`, then run `tributary server open` again\.\n$/);
  });

  it("--json prints a one-time link of the running server that signs a browser in once, and the server serves the built dashboard", async () => {
    const server = workspace.start(["server", "start", "--port", "0"]);
    try {
      const [, url] = await server.waitForLine(/^Tributary server listening on (\S+)/);
      assert.ok(readServerFile(serverFilePath(workspace.dbPath)), "server.json is written before the line is printed");
      const opened = await workspace.run(["server", "open", "--json"]);
      assert.equal(opened.code, 0, opened.stderr);
      const printed = JSON.parse(opened.stdout) as { url: string; expiresAt: string };
      assert.deepEqual(Object.keys(printed).sort(), ["expiresAt", "url"]);
      const link = new URL(printed.url);
      assert.equal(link.origin, url);
      assert.equal(link.pathname, "/sign-in");
      assert.ok(Date.parse(printed.expiresAt) > Date.now(), printed.expiresAt);

      const signIn = await rawRequestWithHeaders(url!, "GET", `${link.pathname}${link.search}`, {});
      assert.equal(signIn.status, 303);
      const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
      const page = await rawRequestWithHeaders(url!, "GET", "/", { cookie });
      assert.equal(page.status, 200);
      assert.match(page.text, /<script type="module" src="\/dashboard\.js"><\/script>/, "the page of runtime/dist/dashboard");
      const script = await rawRequestWithHeaders(url!, "GET", "/dashboard.js", { cookie });
      assert.equal(script.status, 200);
      // Each chunk the script imports is preloaded by the page (fetched beside the script, not after it), and served.
      const imported = [...script.text.matchAll(/(?:^|[;}\s])import\s*\{[^}]*\}\s*from\s*"\.(\/chunks\/[^"]+\.js)"/g)].map((m) => m[1]!).sort();
      const preloaded = [...page.text.matchAll(/<link rel="modulepreload" href="([^"]+)" \/>/g)].map((m) => m[1]!).sort();
      assert.ok(imported.length > 0, "dashboard.js imports its shared chunks");
      assert.deepEqual(preloaded, imported);
      for (const chunk of preloaded) assert.equal((await rawRequestWithHeaders(url!, "GET", chunk, { cookie })).status, 200, chunk);
      assert.equal((await rawRequestWithHeaders(url!, "GET", `${link.pathname}${link.search}`, {})).status, 403, "used up");

      const printedLink = await workspace.run(["server", "open"]);
      assert.equal(printedLink.code, 0, printedLink.stderr);
      assert.match(printedLink.stdout, new RegExp(`^    ${url!.replace(/[.]/g, "\\.")}/sign-in\\?ticket=[A-Za-z0-9_-]{43}$`, "m"), "the link on a line of its own; no browser opened (stdout is not a terminal)");
    } finally {
      server.kill("SIGTERM");
      await server.result;
    }
  });
});
