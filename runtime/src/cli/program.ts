/**
 * The `tributary` program: commander set up so that every usage error, commander's own included,
 * is one line `tributary: <message>` on stderr with exit code 2, and never a stack trace.
 */
import { Command, CommanderError } from "commander";
import { isTributaryError, toError } from "../errors.js";
import type { CliContext } from "./cli-context.js";
import { commandRegistrations } from "./commands.js";
import { ExitCode } from "./exit-codes.js";
import { readPackageVersion } from "./package-version.js";
import { checkedDatabaseUrl, DATABASE_URL_ENV } from "../store/open-store.js";

export function createProgram(ctx: CliContext): Command {
  const program = new Command("tributary")
    .description("Run flows and tasks, and read their runs back, on the embedded store.")
    .version(readPackageVersion(ctx) ?? "unknown", "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // Commander puts its "(Did you mean …?)" on a line of its own; keep the message one line.
      outputError: (text, write) => write(`tributary: ${text.replace(/^error: /, "").trimEnd().replace(/\s*\n\s*/g, " ")}\n`),
    })
    .showSuggestionAfterError(true)
    .option("--database-url <url>", `keep runs in this PostgreSQL database (postgres://user:password@host:5432/db) instead of the SQLite file in .tributary/; default: ${DATABASE_URL_ENV}`)
    // Before any command opens the store: a bad URL is a usage error, and nothing is written.
    .hook("preAction", () => {
      const { databaseUrl } = program.opts<{ databaseUrl?: string }>();
      if (databaseUrl !== undefined) ctx.databaseUrl = checkedDatabaseUrl(databaseUrl, "--database-url");
      else if (ctx.databaseUrl !== undefined) ctx.databaseUrl = checkedDatabaseUrl(ctx.databaseUrl, DATABASE_URL_ENV);
    });
  for (const register of commandRegistrations) register(program, ctx);
  return program;
}

/** Parses and runs one command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    return reportError(error, ctx);
  }
}

function reportError(error: unknown, ctx: CliContext): number {
  if (error instanceof CommanderError) {
    // Help and version end this way too (exit code 0); commander has already printed what it had to say.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isTributaryError(error, "UsageError")) {
    ctx.stderr.write(`tributary: ${error.message}\n`);
    return ExitCode.usage;
  }
  if (isTributaryError(error, "SqliteDriverError")) {
    // No SQLite library for the store on this Node (the message says which Node to use, or what to
    // install), or TRIBUTARY_SQLITE_DRIVER names no driver: bad usage, nothing was written.
    ctx.stderr.write(`tributary: ${error.message}\n`);
    return (error as { code?: unknown }).code === "SQLITE_DRIVER_UNKNOWN" ? ExitCode.usage : ExitCode.runFailed;
  }
  if (isTributaryError(error, "StoreUnavailableError")) {
    // The database is down, refuses the user, or is not there: the message names it and what to check.
    ctx.stderr.write(`tributary: ${error.message}\n`);
    return ExitCode.runFailed;
  }
  const failure = toError(error);
  ctx.stderr.write(`tributary: unexpected error: ${failure.message}\n`);
  if (ctx.env.TRIBUTARY_DEBUG) ctx.stderr.write(`${failure.stack ?? ""}\n`);
  else ctx.stderr.write("tributary: set TRIBUTARY_DEBUG=1 to see where it happened, and please report it.\n");
  return ExitCode.runFailed;
}
