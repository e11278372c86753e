/**
 * The check service: a process that stays up for one user and working folder and answers
 * `tributary check` from memory (`resident-checks.ts`), so that a check after an edit costs the
 * client's start and the work the edit causes, not Node loading the CLI and the analysis reading
 * its caches. `runtime/dist/cli/check-service.js` starts it (`serveChecks`); the client and the
 * protocol live in runtime/src/cli/check-service/.
 *
 * It listens on a socket in the user's private folder (`service-location.ts`), answers only
 * requests that carry the token of its token file, one check at a time (the others wait their
 * turn), and exits after a quiet spell (TRIBUTARY_DAEMON_IDLE_SECONDS, 15 minutes by default), on
 * `tributary daemon stop`, on SIGTERM, and when a client of another build asks (it answers "stale").
 * It never runs the workspace's code: it parses and analyses, as the CLI does.
 */
import { timingSafeEqual } from "node:crypto";
import { chmodSync, realpathSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { openServiceDirectory, removeServiceFiles, serviceLocation, writeTicket, type ServiceLocation, type ServiceTicket } from "../../../runtime/src/cli/check-service/service-location.js";
import { LineReader, MAX_REQUEST_BYTES, type ClientIdentity, type ServiceAnswer, type ServiceRequest } from "../../../runtime/src/cli/check-service/service-protocol.js";
import { idleSeconds } from "../../../runtime/src/cli/check-service/service-settings.js";
import { parser } from "../analysis/load-parser.js";
import { ResidentChecks } from "./resident-checks.js";

export interface ServeChecksOptions {
  /** The working folder served: every check request must come from it. */
  cwd: string;
  /** The check to run first (the one whose CLI started the service), so the next one is answered from memory. */
  warm?: { paths: string[]; format: string; cacheDir?: string };
  /** The build this service runs; a client of another is answered "stale". */
  identity: ClientIdentity;
  env: NodeJS.ProcessEnv;
}

/** A connection that has sent no complete request after this long is closed. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Starts the service; resolves once it listens, or at once when it cannot (another one listens there, or the folder is refused). */
export async function serveChecks(options: ServeChecksOptions): Promise<void> {
  const dir = openServiceDirectory(options.env, true);
  if (dir.kind !== "ok") return;
  const location = serviceLocation(dir.dir, options.cwd);
  const server = net.createServer();
  if (!(await listen(server, location.socket))) return;
  // The folder is 0700 already; the socket too, in case a system ignores the folder's mode for sockets.
  if (process.platform !== "win32") chmodSync(location.socket, 0o600);
  const service = new CheckService(server, location, writeTicket(location, process.pid), options);
  service.start();
}

class CheckService {
  private readonly checks = new ResidentChecks();
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private requests = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly startedAt = new Date();
  private readonly idleMs: number;

  constructor(
    private readonly server: net.Server,
    private readonly location: ServiceLocation,
    private readonly ticket: ServiceTicket,
    private readonly options: ServeChecksOptions,
  ) {
    this.idleMs = idleSeconds(options.env) * 1000;
  }

  start(): void {
    this.server.on("connection", (connection) => this.accept(connection));
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => this.shutdown());
    const warm = this.options.warm;
    this.enqueue(async () => {
      if (warm) await this.checks.run({ ...warm, cwd: this.options.cwd, stdout: { write: () => true }, stderr: { write: () => true } });
      // The next edit is parsed here: the compiler loads now, while nobody waits.
      parser();
    });
  }

  private accept(connection: net.Socket): void {
    const reader = new LineReader(MAX_REQUEST_BYTES);
    let handled = false;
    connection.setTimeout(REQUEST_TIMEOUT_MS, () => connection.destroy());
    connection.on("error", () => undefined);
    connection.on("data", (data) => {
      if (handled) return;
      const lines = reader.push(data);
      if (lines !== "too long" && lines.length === 0) return;
      handled = true;
      connection.setTimeout(0);
      if (lines === "too long") reply(connection, { kind: "error", message: `A request to the check service is at most ${MAX_REQUEST_BYTES} bytes.` });
      else this.handle(connection, lines[0]!);
    });
  }

  private handle(connection: net.Socket, line: string): void {
    const request = parseRequest(line);
    if (typeof request === "string") return reply(connection, { kind: "error", message: request });
    if (!sameToken(request.token, this.ticket.token)) return reply(connection, { kind: "error", message: "Refused: the request does not carry this service's token." });
    this.requests++;
    if (request.kind === "status") {
      const { pid, root, cwd } = this.ticket;
      return reply(connection, { kind: "status", pid, root, cwd, ...this.options.identity, startedAt: this.startedAt.toISOString(), requests: this.requests, idleSeconds: this.idleMs / 1000 });
    }
    if (request.kind === "stop") return reply(connection, { kind: "stopping" }, () => this.shutdown());
    if (request.version !== this.options.identity.version || request.build !== this.options.identity.build) {
      // Another build asks: a new service (its build) is started by the CLI that now checks by itself.
      this.release();
      return reply(connection, { kind: "stale" }, () => this.shutdown());
    }
    if (realPath(request.cwd) !== this.location.cwd) return reply(connection, { kind: "error", message: `This check service answers checks run in ${this.location.cwd} only.` });
    this.enqueue(async () => {
      let stdout = "";
      let stderr = "";
      try {
        const write = (to: "out" | "err") => (text: string) => (to === "out" ? (stdout += text) : (stderr += text), true);
        const exitCode = await this.checks.run({ cwd: request.cwd, paths: request.paths, format: request.format, cacheDir: request.cacheDir, stdout: { write: write("out") }, stderr: { write: write("err") } });
        reply(connection, { kind: "result", stdout, stderr, exitCode });
      } catch (error) {
        reply(connection, { kind: "error", message: `The check service failed: ${(error as Error).message ?? String(error)}` });
      }
    });
  }

  /** Runs `job` after the ones before it; the idle clock stops meanwhile. */
  private enqueue(job: () => Promise<void>): void {
    this.pending++;
    clearTimeout(this.idleTimer);
    this.queue = this.queue
      .then(job)
      .catch(() => undefined)
      .finally(() => {
        if (--this.pending === 0 && !this.stopping) this.idleTimer = setTimeout(() => this.shutdown(), this.idleMs);
      });
  }

  /** Stops listening and removes the socket and token file: clients check by themselves from now on. */
  private release(): void {
    this.server.close();
    removeServiceFiles(this.location, this.ticket);
  }

  private shutdown(): void {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.idleTimer);
    this.release();
    process.exit(0);
  }
}

function reply(connection: net.Socket, answer: ServiceAnswer, then?: () => void): void {
  connection.end(`${JSON.stringify(answer)}\n`, then);
}

/** The request on `line`, or why it is not one. */
function parseRequest(line: string): ServiceRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "A request to the check service is one JSON object on one line.";
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "A request to the check service is one JSON object on one line.";
  const request = value as Record<string, unknown>;
  if (typeof request.token !== "string") return "Refused: the request does not carry this service's token.";
  if (request.kind === "status" || request.kind === "stop") return { kind: request.kind, token: request.token };
  if (request.kind !== "check") return `Unknown request kind ${JSON.stringify(request.kind)}; expected check, status or stop.`;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === "string");
  if (typeof request.cwd !== "string" || !path.isAbsolute(request.cwd)) return "A check request needs `cwd`, an absolute path.";
  if (!strings(request.paths) || typeof request.format !== "string") return "A check request needs `paths` (strings) and `format` (a string).";
  if (request.cacheDir !== undefined && (typeof request.cacheDir !== "string" || !path.isAbsolute(request.cacheDir))) return "A check request's `cacheDir` is an absolute path when given.";
  if (typeof request.version !== "string" || typeof request.build !== "string") return "A check request needs the client's `version` and `build`.";
  return { kind: "check", token: request.token, cwd: request.cwd, paths: request.paths as string[], format: request.format, cacheDir: request.cacheDir as string | undefined, version: request.version, build: request.build };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Listens on `socket`; a socket file nobody answers on (a service that crashed) is removed first. False when another service listens there. */
async function listen(server: net.Server, socket: string): Promise<boolean> {
  const attempt = () =>
    new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once("error", resolve);
      server.listen(socket, () => {
        server.removeListener("error", resolve);
        resolve(undefined);
      });
    });
  let error = await attempt();
  if (error?.code === "EADDRINUSE" && process.platform !== "win32" && !(await somebodyListens(socket))) {
    rmSync(socket, { force: true });
    error = await attempt();
  }
  return error === undefined;
}

function somebodyListens(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(socket);
    probe.on("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.on("error", () => resolve(false));
  });
}

function realPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
