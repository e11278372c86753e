/**
 * The client's fast path, its own small bundle (runtime/dist/cli/check-client.js): before the CLI
 * loads commander and the analysis, runtime/bin/tributary.js hands a plain `tributary check
 * [paths…] [--format f]` to the check service of this user and working folder when one runs, and
 * prints its answer byte for byte. Anything else — another flag, no service, a refused folder, a
 * service of another build, no answer in time — is `undefined`: the CLI runs as without it.
 */
import path from "node:path";
import { askService } from "./service-client.js";
import { buildIdentity } from "./service-identity.js";
import { openServiceDirectory, readTicket, refusedDirectoryWarning, serviceLocation } from "./service-location.js";
import { daemonEnabled } from "./service-settings.js";

const FORMATS = new Set(["text", "json", "sarif"]);

/** The paths and format of a check the service can answer, or undefined for any other command line. */
export function plainCheck(argv: readonly string[]): { paths: string[]; format: string } | undefined {
  if (argv[0] !== "check") return undefined;
  const paths: string[] = [];
  let format = "text";
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--format" && i + 1 < argv.length) format = argv[++i]!;
    else if (arg.startsWith("--format=")) format = arg.slice("--format=".length);
    else if (arg.startsWith("-")) return undefined;
    else paths.push(arg);
  }
  // A bad format is the CLI's usage error, worded by commander.
  return FORMATS.has(format) ? { paths, format } : undefined;
}

/** The exit code after printing the service's answer, or undefined when the CLI must answer itself. */
export async function answerFromService(argv: readonly string[], cliDir: string): Promise<number | undefined> {
  const check = plainCheck(argv);
  if (!check || !daemonEnabled(process.env)) return undefined;
  const dir = openServiceDirectory(process.env, false);
  if (dir.kind === "refused") {
    process.stderr.write(refusedDirectoryWarning(dir));
    // The CLI that answers instead must not start a service there (nor say so again).
    process.env.TRIBUTARY_DAEMON = "0";
    return undefined;
  }
  if (dir.kind === "absent") return undefined;
  const cwd = process.cwd();
  const location = serviceLocation(dir.dir, cwd);
  const ticket = readTicket(location.tokenFile);
  if (!ticket) return undefined;
  const cacheSetting = process.env.TRIBUTARY_CACHE_DIR;
  const cacheDir = cacheSetting ? path.resolve(cwd, cacheSetting) : undefined;
  const request = { kind: "check" as const, token: ticket.token, cwd, paths: check.paths, format: check.format, ...(cacheDir ? { cacheDir } : {}), ...buildIdentity(cliDir) };
  const answer = await askService(location.socket, request, { connectMs: 300, answerMs: 60_000 });
  if (answer?.kind !== "result") return undefined;
  process.stdout.write(answer.stdout);
  process.stderr.write(answer.stderr);
  return answer.exitCode;
}
