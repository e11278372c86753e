import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { after, describe, it } from "node:test";
import type { FlowRunJson } from "../flow-run-json.js";
import { CliWorkspace } from "../test-support/cli-workspace.js";
import { postgresBackend, queryTestDatabase, testDatabaseUrl } from "../../test-support/store-backends.js";

function maskedUrl(url: URL): string {
  const masked = new URL(url);
  if (masked.password !== "") masked.password = "***";
  return masked.toString();
}

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

    it("serves from the database: a deployment run executed by the server's worker is stored there", { timeout: 240_000 }, async () => {
      workspace.addFixtures("server");
      const server = workspace.start(["server", "start", "--port", "0", "--database-url", url.toString()]);
      try {
        const exited = server.result.then((result) => {
          throw new Error(`the server exited (${result.code}): ${result.stderr}`);
        });
        const [, serverUrl, location] = await Promise.race([server.waitForLine(/^Tributary server listening on (\S+) \(store (\S+)\)/), exited]);
        assert.equal(location, maskedUrl(url), "the server names its database, password masked");
        const env = { TRIBUTARY_API_URL: serverUrl! };
        const deployed = await workspace.run(["deploy", "deployed-flows.ts"], env);
        assert.equal(deployed.code, 0, deployed.stderr);
        const watched = await workspace.run(["deployment", "run", "add/default", "--param", "b=2", "--watch"], env);
        assert.equal(watched.code, 0, watched.stderr);
        assert.match(watched.stdout, /^Flow run \S+ \(add\) Completed/m);
        const stored = await queryTestDatabase<{ state_name: string; host: string | null }>(
          url.toString(),
          "SELECT f.state_name, f.host FROM flow_runs f JOIN deployments d ON d.id = f.deployment_id WHERE d.name = 'add/default'",
        );
        assert.deepEqual(stored.map((row) => row.state_name), ["Completed"]);
        assert.ok(stored[0]!.host, "the worker's child recorded its host in the database");
      } finally {
        server.kill("SIGTERM");
        await server.result;
      }
      const { stdout, stderr } = await server.result;
      if (url.password !== "") assert.ok(!`${stdout}${stderr}`.includes(`:${url.password}@`), "the password is never printed");
    });
  });
});
