/**
 * `tributary run <file.ts>[:<export or flow name>] [--param k=v]… [--params JSON] [--json] [--kill-after s] [--no-register]`:
 * checks the input, bundles the file, registers the declarations of its folder with the server the
 * run uses (run-orchestration.ts), runs the flow in a child process with live progress, and prints
 * the finished run. Exit 0 when it completed, 1 when it did not (TimedOut included), 2 for
 * bad input, 130 when cancelled with Ctrl-C. A flow that blocks its process (a CPU-bound loop)
 * cannot hear its timeout or a Ctrl-C: the process is killed `--kill-after` seconds after either.
 */
import { newRunId } from "../../store/run-ids.js";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { logMessageFormatter, runChildPath, runtimeLibraryPath, type CliContext } from "../cli-context.js";
import { sweepRunsWithoutProcess } from "../open-cli-store.js";
import { createProgress, type RunProgress } from "../render/progress.js";
import { bundleFlowFile } from "../run/bundle-flow-file.js";
import { ChildRun } from "../run/child-run.js";
import { printCausedRuns, reportRun } from "../run/report-run.js";
import { prepareRunOrchestration, type RunOrchestration } from "../run/run-orchestration.js";
import { parameterSchemasIn } from "../run/parameter-schema.js";
import { parseRunParameters, readParamsOption } from "../run/run-parameters.js";
import { checkFlowFile, parseRunTarget } from "../run/run-target.js";

interface RunOptions {
  param?: string[];
  params?: string;
  json?: boolean;
  killAfter: string;
  verbose?: boolean;
  /** false with --no-register. */
  register: boolean;
}

export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command("run")
    .description("Run a flow from a file on the embedded store, with live progress; Ctrl-C cancels.")
    .argument("<file>", "the flow file, optionally followed by :<export or flow name>")
    .option("--param <key=value>", "a parameter, coerced by the flow's parameter types (else JSON when it parses as JSON, else text); repeatable", collect)
    .option("--params <json>", "the parameters as one JSON object, or @<file> to read it from a JSON file (--param values override its keys)")
    .option("--json", "print only the finished run as JSON")
    .option("--verbose", "print stack traces whole: the frames of tributaryjs, node_modules and node too, with absolute paths")
    .option(
      "--no-register",
      "do not register the deployments and automations of the file and the files beside it with the server the run uses (by default they are, as `tributary deploy` does)",
    )
    .option(
      "--kill-after <seconds>",
      "how long the run has to end after Ctrl-C or its flow's timeout before its process is killed (the run still ends Cancelled or TimedOut)",
      "2",
    )
    .action(async (spec: string, options: RunOptions) => {
      ctx.exitCode = await runFlowFile(ctx, spec, options);
    });
}

async function runFlowFile(ctx: CliContext, spec: string, options: RunOptions): Promise<number> {
  const paramsJson = readParamsOption(options.params, ctx.cwd);
  const parameters = parseRunParameters(paramsJson, options.param ?? []);
  const killAfter = Number(options.killAfter);
  if (options.killAfter.trim() === "" || !Number.isFinite(killAfter) || killAfter < 0) {
    throw new UsageError(`--kill-after must be a number of seconds of at least 0, got "${options.killAfter}".`);
  }
  const target = parseRunTarget(spec, ctx.cwd);
  checkFlowFile(target);
  // The flows' parameter schemas, read from their types while the file is bundled: the child
  // coerces and checks the parameters with the picked flow's, before anything is written.
  const [bundle, schemas] = await Promise.all([bundleFlowFile(target, runtimeLibraryPath(ctx)), parameterSchemasIn(ctx, target.file)]);
  let orchestration: RunOrchestration | undefined;
  try {
    // Runs of earlier killed commands end now; this run's own is reported without a sweep (reportRun
    // ends it Crashed itself, with the reason its child gave).
    await sweepRunsWithoutProcess(ctx);
    orchestration = await prepareRunOrchestration(ctx, target, { register: options.register, notices: options.json === true ? ctx.stderr : ctx.stdout });
    const flowRunId = newRunId();
    const progress = createProgress(ctx, flowRunId, options.json === true, logMessageFormatter(ctx, options.verbose === true));
    orchestration?.showCausedRuns((event) => progress.onEvent(event));
    const child = new ChildRun({
      runnerFile: runChildPath(ctx),
      start: {
        type: "start",
        bundle: bundle.file,
        displayFile: target.displayFile,
        file: target.file,
        ...(target.name !== undefined ? { name: target.name } : {}),
        parameters,
        parameterArgs: { ...(paramsJson !== undefined ? { paramsJson } : {}), params: options.param ?? [] },
        parameterSchemas: Object.fromEntries(schemas),
        flowRunId,
        storePath: ctx.storePath,
        ...(ctx.databaseUrl !== undefined ? { databaseUrl: ctx.databaseUrl } : {}),
      },
      progress: withForwarding(progress, orchestration),
      cwd: ctx.cwd,
      env: orchestration?.env ?? ctx.env,
      watchdog: { graceMs: killAfter * 1000 },
    });
    const interrupts = forwardInterrupts(child, progress);
    let outcome;
    try {
      outcome = await child.outcome;
    } finally {
      progress.stop();
      interrupts.dispose();
    }
    if (outcome.kind === "usage-error") throw new UsageError(outcome.message);
    const caused = (await orchestration?.settle(flowRunId, child.pid)) ?? [];
    const code = await reportRun(ctx, flowRunId, outcome, child.reported, { json: options.json === true, interrupted: interrupts.count() > 0 });
    if (caused.length > 0 && options.json !== true) await printCausedRuns(ctx, caused);
    return code;
  } finally {
    await orchestration?.close();
    await bundle.dispose();
  }
}

/** Progress that also hands each run event to the orchestration (the server hears of the run). */
function withForwarding(progress: RunProgress, orchestration: RunOrchestration | undefined): RunProgress {
  if (!orchestration) return progress;
  return {
    onEvent: (event) => {
      progress.onEvent(event);
      orchestration.onRunEvent(event);
    },
    onOutput: (line, stream) => progress.onOutput(line, stream),
    note: (message) => progress.note(message),
    stop: () => progress.stop(),
  };
}

/** The first Ctrl-C asks the run to cancel (the child is killed if it has not ended it within the grace); a second one kills the child. */
function forwardInterrupts(child: ChildRun, progress: RunProgress): { count(): number; dispose(): void } {
  let count = 0;
  const onInterrupt = () => {
    count++;
    if (count === 1) {
      progress.note("Cancelling the run (press Ctrl-C again to kill it)...");
      child.cancel("Cancelled with Ctrl-C.");
    } else {
      progress.note("Killing the run.");
      child.kill();
    }
  };
  process.on("SIGINT", onInterrupt);
  return { count: () => count, dispose: () => process.off("SIGINT", onInterrupt) };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
