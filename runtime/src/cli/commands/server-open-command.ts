/**
 * `tributary server open [--json] [--browser | --no-browser]`: signs a browser in to the running
 * server's dashboard, as Jupyter does. It asks the server (with the token of server.json, or
 * TRIBUTARY_API_URL / TRIBUTARY_API_TOKEN) for a one-time link, prints it and, when stdout is a
 * terminal (or with --browser), opens it with the system's opener. The link works once, within
 * 60 seconds; after it the browser holds a session cookie, never the token.
 *
 * There is nothing to open without a server, so unlike the other verbs this one starts none: it
 * says how to start one and exits 2.
 */
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { ROUTES, type SignInTicket } from "../../orchestrator/contract.js";
import { serverFilePath } from "../../orchestrator/server-file.js";
import type { CliContext } from "../cli-context.js";
import { reachableServer } from "../server-connection.js";

const TICKET_ROUTE = ROUTES.createSignInTicket.split(" ")[1]!;

export function registerServerOpenCommand(server: Command, ctx: CliContext): void {
  server
    .command("open")
    .description("Sign a browser in to the running server's dashboard: prints a one-time link (and opens it when run in a terminal).")
    .option("--json", "print { url, expiresAt } as JSON and open nothing")
    .option("--browser", "open the link in the default browser, even when stdout is not a terminal")
    .option("--no-browser", "only print the link")
    .action(async (options: { json?: boolean; browser?: boolean }) => {
      const connection = await reachableServer(ctx);
      if (connection === undefined) {
        throw new UsageError(
          `No orchestration server answers for this workspace (none at TRIBUTARY_API_URL, nor recorded in ${serverFilePath(ctx.storePath)}): start one with \`tributary server start\`, then run \`tributary server open\` again.`,
        );
      }
      const { body } = await connection.request<SignInTicket>("POST", TICKET_ROUTE);
      if (options.json) {
        ctx.stdout.write(`${JSON.stringify({ url: body.url, expiresAt: body.expiresAt }, null, 2)}\n`);
        return;
      }
      ctx.stdout.write(`Open this link to sign in to the dashboard (it works once, until ${body.expiresAt}):\n\n    ${body.url}\n\n`);
      if (options.browser ?? ctx.stdout.isTTY === true) {
        const opened = await openInBrowser(body.url);
        if (opened !== undefined) ctx.stderr.write(`tributary: could not open a browser (${opened}): open the link above yourself.\n`);
      }
    });
}

/**
 * Opens `url` with the platform's opener, its arguments given as a list (no shell parses the
 * link). Resolves undefined once the opener started, or why it could not.
 */
function openInBrowser(url: string): Promise<string | undefined> {
  const [command, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["rundll32", ["url.dll,FileProtocolHandler", url]] : ["xdg-open", [url]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ENOENT" ? `${command} is not installed` : `${command}: ${error.message}`));
    child.once("spawn", () => {
      child.unref();
      resolve(undefined);
    });
  });
}
