/** `tributary concurrency-limit create <tag> <n> | ls | delete <tag>`: tag limits for task runs. */
import { Command } from "commander";
import { UsageError } from "../../errors.js";
import { shellCommand } from "../../shell-quote.js";
import type { CliContext } from "../cli-context.js";
import { didYouMeanSuffix } from "../did-you-mean.js";
import { withExistingStore, withStore } from "../open-cli-store.js";
import { formatDateTime } from "../render/format-time.js";
import { formatTable } from "../render/table.js";

export function registerConcurrencyLimitCommands(program: Command, ctx: CliContext): void {
  const limits = program.command("concurrency-limit").description("Limit how many task runs with a tag run at once.");
  limits
    .command("create")
    .description("Create or change the limit of a tag.")
    .argument("<tag>", "the task tag to limit")
    .argument("<n>", "how many task runs with the tag may run at once")
    .action((tag: string, n: string) => createLimit(ctx, tag, n));
  limits
    .command("ls")
    .description("List the tag limits and how many slots are taken.")
    .option("--json", "print the limits as a JSON array")
    .action((options: { json?: boolean }) => listLimits(ctx, options.json === true));
  limits
    .command("delete")
    .description("Remove the limit of a tag.")
    .argument("<tag>", "the tag whose limit to remove")
    .action((tag: string) => deleteLimit(ctx, tag));
}

async function createLimit(ctx: CliContext, tag: string, n: string): Promise<void> {
  if (tag.trim() === "") throw new UsageError("The tag is empty; name the task tag to limit, as in `tributary concurrency-limit create database 2`.");
  const limit = Number(n);
  if (n.trim() === "" || !Number.isInteger(limit) || limit < 0) {
    throw new UsageError(`The limit must be a whole number of at least 0, got "${n}"; as in \`${shellCommand(["tributary", "concurrency-limit", "create", tag, "2"])}\`.`);
  }
  await withStore(ctx, (store) => store.createConcurrencyLimit(tag, limit, ctx.now()));
  ctx.stdout.write(`Task runs tagged "${tag}" are limited to ${limit} at once.\n`);
}

async function listLimits(ctx: CliContext, json: boolean): Promise<void> {
  const limits = await withExistingStore(ctx, async (store) => (store ? store.listConcurrencyLimits() : []));
  if (json) {
    ctx.stdout.write(`${JSON.stringify(limits, null, 2)}\n`);
    return;
  }
  if (limits.length === 0) {
    ctx.stdout.write("No concurrency limits. Create one with `tributary concurrency-limit create <tag> <n>`.\n");
    return;
  }
  const rows = limits.map((limit) => [limit.tag, String(limit.limit), String(limit.active), formatDateTime(limit.createdAt)]);
  ctx.stdout.write(`${formatTable(["TAG", "LIMIT", "ACTIVE", "CREATED"], rows).join("\n")}\n`);
}

async function deleteLimit(ctx: CliContext, tag: string): Promise<void> {
  await withExistingStore(ctx, async (store) => {
    const removed = store ? await store.deleteConcurrencyLimit(tag) : false;
    if (!removed) {
      const tags = store ? (await store.listConcurrencyLimits()).map((limit) => limit.tag) : [];
      throw new UsageError(`No concurrency limit for tag "${tag}".${didYouMeanSuffix(tag, tags)} List them with \`tributary concurrency-limit ls\`.`);
    }
  });
  ctx.stdout.write(`Removed the concurrency limit of tag "${tag}".\n`);
}
