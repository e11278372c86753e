/**
 * The check service (check-service.ts) through the built CLI: the same answers as a check in the
 * process, before and after edits, added and deleted files and a changed config; the socket
 * folder's and the token's security; and its lifecycle (idle exit, `tributary daemon stop`, stale).
 * Every test has its own XDG_RUNTIME_DIR, so its services are its own, and stops them.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, watch, writeFileSync } from "node:fs";
import net from "node:net";
import { once } from "node:events";
import path from "node:path";
import { after, describe, it } from "node:test";
import { askService } from "../../../runtime/src/cli/check-service/service-client.js";
import { buildIdentity } from "../../../runtime/src/cli/check-service/service-identity.js";
import { readTicket, serviceLocation, type ServiceLocation } from "../../../runtime/src/cli/check-service/service-location.js";
import type { ServiceAnswer, ServiceRequest } from "../../../runtime/src/cli/check-service/service-protocol.js";
import { temporaryFolders } from "../test-support/temporary-folders.js";
import { repoRoot, tributary, type TributaryResult } from "../test-support/tributary-command.js";

const temp = temporaryFolders();
const cliDir = path.join(repoRoot, "runtime/dist/cli");
const ASK = { connectMs: 5_000, answerMs: 120_000 };

/** Services started by a test that it has not seen exit: killed when the file ends, whatever happened. */
const running = new Set<number>();
after(() => {
  for (const pid of running) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Gone already.
    }
  }
});

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "service-demo", private: true, tributary: { exclude: ["flows/generated/**"], severity: { TRB150: "off" } } }),
  // A cycle over three files (TRB100).
  "flows/ingest.ts": ['import { flow } from "tributaryjs";', 'import { transform } from "./transform";', 'export const ingest = flow("ingest", async () => {', "  await transform();", "});", ""].join("\n"),
  "flows/transform.ts": ['import { flow } from "tributaryjs";', 'import { publish } from "./publish";', 'export const transform = flow("transform", async () => {', "  await publish();", "});", ""].join("\n"),
  "flows/publish.ts": ['import { flow } from "tributaryjs";', 'import { ingest } from "./ingest";', 'export const publish = flow("publish", async () => {', "  await ingest();", "});", ""].join("\n"),
  // TRB110, and a deployment nothing runs (TRB150, turned off by the config).
  "flows/runner.ts": ['import { deploy, flow, runDeployment } from "tributaryjs";', 'export const runner = flow("runner", async () => {', '  await runDeployment("missing/deployment");', "});", 'export const runnerDeployment = deploy(runner, { name: "manual" });', ""].join("\n"),
  // Excluded by the config: its TRB111 is not reported.
  "flows/generated/waiter.ts": ['import { flow, waitForFlow } from "tributaryjs";', 'export const waiter = flow("waiter", async () => {', '  await waitForFlow("nobody");', "});", ""].join("\n"),
};

function workspace(): string {
  const dir = temp("tributary-service-ws-");
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The environment of a developer's machine whose check service lives under `runtimeDir`. */
function daemonEnv(runtimeDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { TRIBUTARY_DAEMON: "1", CI: "", XDG_RUNTIME_DIR: runtimeDir, ...extra };
}

/** A fresh XDG_RUNTIME_DIR with its private `tributary` folder. */
function runtimeDir(): { runtime: string; dir: string } {
  const runtime = temp("tributary-service-run-");
  const dir = path.join(runtime, "tributary");
  mkdirSync(dir, { mode: 0o700 });
  return { runtime, dir };
}

/** Resolves once `file` exists (it may already), on the folder's change events. */
async function appeared(file: string): Promise<void> {
  const watcher = watch(path.dirname(file));
  try {
    while (!existsSync(file)) await once(watcher, "change");
  } finally {
    watcher.close();
  }
}

/** Resolves once `file` no longer exists, on the folder's change events. */
async function removed(file: string): Promise<void> {
  const watcher = watch(path.dirname(file));
  try {
    while (existsSync(file)) await once(watcher, "change");
  } finally {
    watcher.close();
  }
}

function ask(location: ServiceLocation, request: ServiceRequest): Promise<ServiceAnswer | undefined> {
  return askService(location.socket, request, ASK);
}

async function requestCount(location: ServiceLocation): Promise<number> {
  const answer = await ask(location, { kind: "status", token: readTicket(location.tokenFile)!.token });
  assert.equal(answer?.kind, "status", "the service answers its status");
  return (answer as { requests: number }).requests;
}

/** Starts a service for `cwd` as a child of this test (so its exit is an event), and waits until it listens. */
async function startService(cwd: string, env: NodeJS.ProcessEnv, dir: string): Promise<{ child: ChildProcess; location: ServiceLocation }> {
  const location = serviceLocation(dir, cwd);
  const launch = { cwd, warm: { paths: [], format: "text" } };
  const child = spawn(process.execPath, [path.join(cliDir, "check-service.js"), JSON.stringify(launch)], { cwd, env: { ...process.env, ...env }, stdio: "ignore" });
  running.add(child.pid!);
  child.on("exit", () => running.delete(child.pid!));
  await appeared(location.tokenFile);
  return { child, location };
}

function assertSame(actual: TributaryResult, expected: TributaryResult, what: string): void {
  assert.equal(actual.stdout, expected.stdout, `${what}: stdout`);
  assert.equal(actual.stderr, expected.stderr, `${what}: stderr`);
  assert.equal(actual.code, expected.code, `${what}: exit code`);
}

describe("tributary check through the check service", () => {
  it("answers as a check in the process does, before and after edits, new and deleted files and a changed config", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    const env = daemonEnv(runtime);
    const location = serviceLocation(dir, cwd);
    // The first check answers in its process and starts the service.
    const first = await tributary(["check", "--format", "json"], cwd, env);
    const alone = await tributary(["check", "--format", "json", "--no-daemon"], cwd, env);
    assertSame(first, alone, "the check that starts the service");
    await appeared(location.tokenFile);
    const pid = readTicket(location.tokenFile)!.pid;
    running.add(pid);
    try {
      const cases = [["check"], ["check", "--format", "json"], ["check", "--format", "sarif"], ["check", "flows/runner.ts", "flows/ingest.ts"], ["check", "flows", "--format=json"], ["check", "nowhere"]];
      const compareAll = async (when: string) => {
        for (const args of cases) {
          const expected = await tributary([...args, "--no-daemon"], cwd, env);
          const before = await requestCount(location);
          const served = await tributary(args, cwd, env);
          assert.equal(await requestCount(location), before + 2, `${when}, ${args.join(" ")}: answered by the service`);
          assertSame(served, expected, `${when}, ${args.join(" ")}`);
        }
      };
      await compareAll("unchanged");
      // An edit that breaks the cycle.
      writeFileSync(path.join(cwd, "flows/publish.ts"), ['import { flow } from "tributaryjs";', 'export const publish = flow("publish", async () => 1);', ""].join("\n"));
      await compareAll("after an edit");
      // A new file that runs a deployment nobody declares, and one that closes a new cycle.
      writeFileSync(path.join(cwd, "flows/added.ts"), ['import { flow, runDeployment } from "tributaryjs";', 'export const added = flow("added", async () => {', '  await runDeployment("runner/nope");', "});", ""].join("\n"));
      await compareAll("after a file was added");
      rmSync(path.join(cwd, "flows/runner.ts"));
      cases.splice(cases.findIndex((args) => args.includes("flows/runner.ts")), 1, ["check", "flows/added.ts", "flows/ingest.ts"]);
      await compareAll("after a file was deleted");
      // The config now includes the generated folder and makes TRB110 a warning.
      writeFileSync(path.join(cwd, "package.json"), JSON.stringify({ name: "service-demo", private: true, tributary: { severity: { TRB110: "warning" } } }));
      await compareAll("after the config changed");
      writeFileSync(path.join(cwd, "package.json"), JSON.stringify({ name: "service-demo", private: true, tributary: { severity: { TRB110: "loud" } } }));
      await compareAll("with a bad config");
    } finally {
      const stopped = await tributary(["daemon", "stop"], cwd, env);
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stdout, new RegExp(`^Stopped the check service of .* \\(pid ${pid}\\)\\.\\n$`));
      running.delete(pid);
    }
    assert.deepEqual(readdirSync(dir), [], "the service removed its socket and token file");
  });

  it("is neither asked nor started with CI set, TRIBUTARY_DAEMON=0 or --no-daemon", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    for (const [args, extra] of [[["check"], { CI: "true" }], [["check"], { TRIBUTARY_DAEMON: "false" }], [["check", "--no-daemon"], {}]] as const) {
      const result = await tributary(args, cwd, daemonEnv(runtime, extra));
      assert.equal(result.code, 1, result.stderr);
    }
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe("the check service's security", () => {
  it("refuses a request without its token, or with another, and closes the connection", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    const { child, location } = await startService(cwd, daemonEnv(runtime), dir);
    const token = readTicket(location.tokenFile)!.token;
    const identity = buildIdentity(cliDir);
    const check = { kind: "check" as const, cwd, paths: [], format: "text", ...identity };
    for (const request of [{ ...check, token: "" }, { ...check, token: `${token.slice(0, -1)}x` }, { ...check, token: undefined as unknown as string }]) {
      const answer = await ask(location, request);
      assert.deepEqual(answer, { kind: "error", message: "Refused: the request does not carry this service's token." });
    }
    const answered = await ask(location, { ...check, token });
    assert.equal(answered?.kind, "result");
    assert.equal((answered as { exitCode: number }).exitCode, 1);
    await ask(location, { kind: "stop", token });
    await once(child, "exit");
  });

  it("answers an oversized or malformed request with an error and keeps answering", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    const { child, location } = await startService(cwd, daemonEnv(runtime), dir);
    const token = readTicket(location.tokenFile)!.token;
    const raw = async (bytes: string) => {
      const connection = net.createConnection(location.socket);
      let text = "";
      connection.on("data", (data) => (text += data.toString()));
      connection.on("error", () => undefined);
      connection.write(bytes);
      await once(connection, "close");
      return text;
    };
    assert.match(await raw(`${"x".repeat(200_000)}\n`), /"kind":"error","message":"A request to the check service is at most 65536 bytes\."/);
    assert.match(await raw("this is not JSON\n"), /"kind":"error","message":"A request to the check service is one JSON object on one line\."/);
    assert.match(await raw(`${JSON.stringify({ kind: "check", token, cwd: "relative", paths: "x", format: 1 })}\n`), /"kind":"error","message":"A check request needs `cwd`, an absolute path\."/);
    assert.match(await raw(`${JSON.stringify({ kind: "launch", token })}\n`), /Unknown request kind \\"launch\\"/);
    assert.equal((await ask(location, { kind: "check", token, cwd, paths: [], format: "text", ...buildIdentity(cliDir) }))?.kind, "result");
    await ask(location, { kind: "stop", token });
    await once(child, "exit");
  });

  for (const kind of ["mode 0755", "another owner", "a symbolic link"] as const) {
    it(`refuses a socket folder with ${kind}, saying so on one line, and checks in the process`, async (t) => {
      if (kind === "another owner" && process.getuid?.() !== 0) return t.skip("making a folder someone else's needs root");
      const cwd = workspace();
      const runtime = temp("tributary-service-run-");
      const dir = path.join(runtime, "tributary");
      if (kind === "a symbolic link") {
        mkdirSync(path.join(runtime, "elsewhere"), { mode: 0o700 });
        symlinkSync(path.join(runtime, "elsewhere"), dir);
      } else {
        mkdirSync(dir);
        chmodSync(dir, kind === "mode 0755" ? 0o755 : 0o700);
        if (kind === "another owner") chownSync(dir, 65534, 65534);
      }
      const expected = await tributary(["check", "--no-daemon"], cwd, daemonEnv(runtime));
      for (const args of [["check"], ["check", "--format", "json"]]) {
        const result = await tributary(args, cwd, daemonEnv(runtime));
        const reason = { "mode 0755": "has mode 0755, not 0700", "another owner": "belongs to another user (uid 65534)", "a symbolic link": "is a symbolic link" }[kind];
        assert.equal(result.stderr, `tributary: not using the check service: ${dir} ${reason}; checking in this process (remove that folder, or make it yours with mode 0700).\n`);
        assert.equal(result.code, 1);
        if (args.length === 1) assert.equal(result.stdout, expected.stdout);
      }
      assert.deepEqual(readdirSync(dir), [], "nothing was written there");
    });
  }
});

describe("the check service's lifecycle", () => {
  it("exits after TRIBUTARY_DAEMON_IDLE_SECONDS without a request, removing its files", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    const { child, location } = await startService(cwd, daemonEnv(runtime, { TRIBUTARY_DAEMON_IDLE_SECONDS: "1" }), dir);
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
    assert.equal(existsSync(location.tokenFile), false);
    assert.equal(existsSync(location.socket), false);
  });

  it("stops on `tributary daemon stop`, and `daemon status` says what runs", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    const env = daemonEnv(runtime);
    const { child } = await startService(cwd, env, dir);
    const status = await tributary(["daemon", "status"], cwd, env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^${cwd.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: pid ${child.pid}, tributaryjs \\S+, up 0 min, 1 request, exits after 900 s without one\\n$`));
    const exit = once(child, "exit");
    const stopped = await tributary(["daemon", "stop"], cwd, env);
    assert.equal(stopped.stdout, `Stopped the check service of ${cwd} (pid ${child.pid}).\n`);
    await exit;
    assert.equal((await tributary(["daemon", "status"], cwd, env)).stdout, `No check service is running for ${cwd}.\n`);
    assert.deepEqual(readdirSync(dir), []);
  });

  it("answers a client of another build \"stale\" and exits, and the CLI then checks by itself", async () => {
    const cwd = workspace();
    const { runtime, dir } = runtimeDir();
    const env = daemonEnv(runtime);
    const { child, location } = await startService(cwd, env, dir);
    const token = readTicket(location.tokenFile)!.token;
    const exit = once(child, "exit");
    const answer = await ask(location, { kind: "check", token, cwd, paths: [], format: "text", version: "0.0.0-other", build: "another-build" });
    assert.deepEqual(answer, { kind: "stale" });
    await exit;
    assert.equal(existsSync(location.tokenFile), false);
    const expected = await tributary(["check", "--no-daemon"], cwd, env);
    const result = await tributary(["check"], cwd, env);
    assertSame(result, expected, "the check after the stale service");
    // That check started a new service: stopped here.
    await appeared(location.tokenFile);
    const pid = readTicket(location.tokenFile)!.pid;
    running.add(pid);
    await tributary(["daemon", "stop"], cwd, env);
    await removed(location.tokenFile);
    running.delete(pid);
  });
});
