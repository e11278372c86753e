import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";
import { postgresBackend, queryTestDatabase, testDatabaseUrl } from "../../test-support/store-backends.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the store's database URL in the CLI", () => {
  const workspace = new CliWorkspace();
  after(() => workspace.dispose());

  it("refuses a URL that is not PostgreSQL's, from the option or the environment, with exit code 2 and nothing written", async () => {
    const option = await workspace.run(["flow-run", "ls", "--database-url", "mysql://me:secret@db/runs"]);
    assert.equal(option.code, 2, option.stderr);
    assert.match(option.stderr, /^tributary: --database-url must be a PostgreSQL URL such as postgres:\/\/.*got "mysql:\/\/me:\*\*\*@db\/runs"/m);
    assert.doesNotMatch(option.stderr, /secret/);
    const env = await workspace.run(["run", "completing-flow.ts"], { TRIBUTARY_DATABASE_URL: "not a url" });
    assert.equal(env.code, 2, env.stderr);
    assert.match(env.stderr, /TRIBUTARY_DATABASE_URL must be a PostgreSQL URL/);
    assert.equal(existsSync(workspace.dbPath), false, "no SQLite store was made instead");
  });

  it("says which database it could not reach, password masked, with exit code 1", async () => {
    const url = `postgres://me:secret@127.0.0.1:${await closedPort()}/runs`;
    const result = await workspace.run(["flow-run", "ls", "--database-url", url]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Could not open the store in the PostgreSQL database at postgres:\/\/me:\*\*\*@127\.0\.0\.1:\d+\/runs: .*ECONNREFUSED/);
    assert.match(result.stderr, /Check that PostgreSQL runs there/);
    assert.doesNotMatch(result.stderr, /secret/);
  });

  describe("on PostgreSQL", { skip: postgresBackend().skip }, () => {
    // A database of its own: the CLI uses the database's default schema.
    const database = `cli_${randomBytes(5).toString("hex")}`;
    const url = new URL(testDatabaseUrl() ?? "postgres://unset/");
    url.pathname = `/${database}`;
    after(async () => {
      if (testDatabaseUrl() !== undefined) await queryTestDatabase(testDatabaseUrl()!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });

    it("runs a flow into the database and reads it back, the option and the variable alike, with no SQLite file", async () => {
      await queryTestDatabase(testDatabaseUrl()!, `CREATE DATABASE ${database}`);
      const run = await workspace.run(["run", "completing-flow.ts", "--database-url", url.toString()]);
      assert.equal(run.code, 0, run.stderr);
      const id = /^Run id: ([0-9a-f-]{36})$/m.exec(run.stdout)?.[1];
      assert.ok(id, run.stdout);
      const listed = await workspace.run(["flow-run", "ls", "--json"], { TRIBUTARY_DATABASE_URL: url.toString() });
      assert.equal(listed.code, 0, listed.stderr);
      const runs = JSON.parse(listed.stdout) as FlowRunJson[];
      // The flow's run and its subflow's, both finished.
      assert.deepEqual(runs.map((r) => [r.flowName, r.state.name]).sort(), [["child-flow", "Completed"], ["parent-flow", "Completed"]]);
      assert.ok(runs.some((r) => r.id === id));
      const tasks = await queryTestDatabase<{ n: number }>(url.toString(), "SELECT count(*)::int AS n FROM task_runs WHERE flow_run_id = $1", [id]);
      assert.ok(tasks[0]!.n > 0, "the child process wrote its task runs to the database");
      assert.equal(existsSync(workspace.dbPath), false);
    });
  });
});
