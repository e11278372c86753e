import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CliWorkspace } from "../test-support/cli-workspace.js";

describe("tributary concurrency-limit", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("creates, lists, changes and deletes a tag limit", async () => {
    const created = await workspace.run(["concurrency-limit", "create", "database", "2"]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /"database" are limited to 2/);
    assert.equal((await workspace.run(["concurrency-limit", "create", "api", "5"])).code, 0);
    assert.equal((await workspace.run(["concurrency-limit", "create", "api", "3"])).code, 0);

    const listed = await workspace.run(["concurrency-limit", "ls", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const limits = (JSON.parse(listed.stdout) as { tag: string; limit: number; active: number }[]).map(({ tag, limit, active }) => ({ tag, limit, active }));
    assert.deepEqual(limits.sort((a, b) => a.tag.localeCompare(b.tag)), [
      { tag: "api", limit: 3, active: 0 },
      { tag: "database", limit: 2, active: 0 },
    ]);
    const table = await workspace.run(["concurrency-limit", "ls"]);
    assert.match(table.stdout, /^TAG\s+LIMIT\s+ACTIVE\s+CREATED$/m);
    assert.match(table.stdout, /^database\s+2\s+0\s+/m);

    const deleted = await workspace.run(["concurrency-limit", "delete", "database"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const remaining = JSON.parse((await workspace.run(["concurrency-limit", "ls", "--json"])).stdout) as { tag: string }[];
    assert.deepEqual(remaining.map((limit) => limit.tag), ["api"]);
  });

  it("refuses a limit that is not a whole number, and an unknown tag, with exit code 2", async () => {
    const bad = await workspace.run(["concurrency-limit", "create", "gpu", "two"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
    assert.match(bad.stderr, /^tributary: The limit must be a whole number of at least 0, got "two"/);

    assert.equal((await workspace.run(["concurrency-limit", "create", "api", "1"])).code, 0);
    const unknown = await workspace.run(["concurrency-limit", "delete", "apu"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^tributary: No concurrency limit for tag "apu"\. Did you mean "api"\?/);
  });
});
