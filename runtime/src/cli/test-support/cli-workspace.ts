/**
 * For CLI tests: a throwaway workspace (a copy of test-fixtures/cli and its own TRIBUTARY_HOME)
 * and the real built `tributary` command run in it. Waiting is on output, never on time.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { removeWorkspace } from "../../test-support/remove-workspace.js";
import { openSqliteConnection } from "../../store/sqlite-driver.js";
import { shellCommand } from "../../shell-quote.js";

export const repoRoot = path.resolve(__dirname, "../../../..");
const cliBin = path.join(repoRoot, "runtime/bin/tributary.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class CliWorkspace {
  readonly dir: string;
  readonly home: string;

  constructor() {
    if (!existsSync(path.join(repoRoot, "runtime/dist/cli/main.js"))) throw new Error("Build first: npm run build");
    this.dir = mkdtempSync(path.join(os.tmpdir(), "tributary-cli-test-"));
    cpSync(path.join(repoRoot, "test-fixtures/cli"), this.dir, { recursive: true });
    this.home = path.join(this.dir, ".home");
  }

  get dbPath(): string {
    return path.join(this.home, "tributary.db");
  }

  /**
   * Starts the command; `env` adds to (or, with undefined values, removes from) its environment.
   * `detached` gives it a process group of its own (its pid is the group's id), which its flow's
   * child process joins, so that a test can kill both at once.
   */
  start(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: { detached?: boolean } = {}): CliProcess {
    return new CliProcess(
      spawn(process.execPath, [cliBin, ...args], {
        cwd: this.dir,
        env: { ...this.env(), ...env },
        stdio: ["ignore", "pipe", "pipe"],
        detached: options.detached === true,
      }),
    );
  }

  /**
   * Runs the command on a pseudo-terminal (util-linux `script`), 100 columns by 20 rows, so that it
   * draws for a TTY; what is typed (`\x03` is Ctrl-C) goes through the terminal's line discipline.
   */
  startInTerminal(args: readonly string[]): CliProcess {
    const command = `stty rows 20 cols 100; exec ${shellCommand([process.execPath, cliBin, ...args])}`;
    return new CliProcess(spawn("script", ["-q", "-e", "-c", command, "/dev/null"], { cwd: this.dir, env: this.env(), stdio: ["pipe", "pipe", "pipe"] }));
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_HOME: this.home };
    delete env.TRIBUTARY_FIXTURE_API_KEY;
    delete env.TRIBUTARY_API_URL;
    delete env.TRIBUTARY_API_TOKEN;
    delete env.TRIBUTARY_DATABASE_URL;
    return env;
  }

  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
    return this.start(args, env).result;
  }

  /** Copies more fixture files into the workspace (`test-fixtures/<folder>`). */
  addFixtures(folder: string): void {
    cpSync(path.join(repoRoot, "test-fixtures", folder), this.dir, { recursive: true });
  }

  /** How many flow runs the store file holds (0 when there is no file). */
  countFlowRuns(): number {
    if (!existsSync(this.dbPath)) return 0;
    const db = openSqliteConnection(this.dbPath, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM flow_runs").get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  integrityCheck(): string {
    const db = openSqliteConnection(this.dbPath, { readonly: true });
    try {
      return db.pragma("integrity_check") as string;
    } finally {
      db.close();
    }
  }

  /**
   * Removes the workspace once no process uses it: a spare runner orphaned by a SIGKILLed server
   * may still be opening or closing the store (creating and deleting its -wal and -shm files) as it
   * notices and exits, and every command ran here (remove-workspace.ts).
   */
  dispose(): Promise<void> {
    return removeWorkspace(this.dir);
  }
}

/** Whether util-linux `script` is there to give a command a pseudo-terminal. */
export const canRunInTerminal = spawnSync("script", ["--version"]).status === 0;

export class CliProcess {
  readonly result: Promise<CliResult>;
  private stdout = "";
  private stderr = "";
  private readonly waiters: { pattern: RegExp; stream: "stdout" | "stderr"; resolve: (match: RegExpMatchArray) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stdout += chunk;
      this.check();
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
      this.check();
    });
    this.result = new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** Resolves when stdout (or stderr) has a line matching `pattern`; rejects if the command ends first. */
  waitForLine(pattern: RegExp, stream: "stdout" | "stderr" = "stdout"): Promise<RegExpMatchArray> {
    const found = this.find(pattern, stream);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      this.waiters.push({ pattern, stream, resolve });
      void this.result.then((result) => {
        reject(new Error(`The command ended (code ${result.code}) before printing ${pattern}.\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`));
      });
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Writes to the command's stdin (only for {@link CliWorkspace.startInTerminal}). */
  type(text: string): void {
    this.child.stdin!.write(text);
  }

  private check(): void {
    for (const waiter of [...this.waiters]) {
      const match = this.find(waiter.pattern, waiter.stream);
      if (!match) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  }

  /**
   * Only whole lines (a line still being written could match too early: `pid=12` of `pid=1234`),
   * without colours and cursor movements.
   */
  private find(pattern: RegExp, stream: "stdout" | "stderr"): RegExpMatchArray | undefined {
    const text = stream === "stdout" ? this.stdout : this.stderr;
    // eslint-disable-next-line no-control-regex -- removing terminal escape sequences
    for (const line of text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").split(/\r?\n/).slice(0, -1)) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    return undefined;
  }
}
