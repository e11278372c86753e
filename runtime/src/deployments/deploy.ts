/**
 * `deploy(flow, options)`: declares a deployment of a flow — a name, schedules, default parameters,
 * tags, triggers. Declaring has no other effect: `tributary deploy` and `tributary run` load the
 * file, read the declarations (declarations/registry.ts) and register them with the server.
 * Options are checked here, so a bad cron or interval fails where it is written.
 */
import { InvalidOptionError } from "../errors.js";
import { isFlow, type Flow } from "../flow.js";
import { declare, type Declaration } from "../declarations/registry.js";
import { findNonJson } from "../engine/json-values.js";
import { describeValue, OptionChecker } from "../engine/option-checks.js";
import { compileSchedule, type ScheduleSpec } from "../schedules/schedule.js";
import { isPoolName, POOL_NAME_RULE } from "./work-pools.js";
import type { JsonValue } from "../store/records.js";

export interface DeployOptions<P = Record<string, JsonValue>> {
  /**
   * The deployment's name; its identity is `"<flow-name>/<name>"`.
   * @example deploy(etl, { name: "nightly" }) // "etl/nightly"
   */
  name: string;
  /**
   * When the server runs the deployment: cron (with an optional IANA time zone), an interval
   * (seconds or `"90s"`, `"2h"`, `"1h30m"`, with an optional anchor) or an RRULE.
   * @default undefined (runs only when asked: runDeployment, a trigger, the CLI)
   * @example deploy(etl, { name: "hourly", schedule: { cron: "0 * * * *", timezone: "Europe/Berlin" } })
   */
  schedule?: ScheduleSpec;
  /**
   * Several schedules; the deployment runs at the times of each.
   * @default []
   * @example deploy(etl, { name: "twice", schedules: [{ interval: "2h" }, { cron: "30 6 * * 1" }] })
   */
  schedules?: ScheduleSpec[];
  /**
   * Default parameters of every run; those given to a run override them.
   * @default {}
   * @example deploy(etl, { name: "eu", parameters: { region: "eu" } })
   */
  parameters?: Partial<P>;
  /**
   * Tags added to every run of the deployment (tag concurrency limits apply to them).
   * @default []
   * @example deploy(etl, { name: "nightly", tags: ["warehouse"] })
   */
  tags?: string[];
  /**
   * What the deployment is for.
   * @default undefined
   * @example deploy(etl, { name: "nightly", description: "Loads yesterday's orders" })
   */
  description?: string;
  /**
   * Registered paused: schedules make no runs and the server refuses new runs until it is resumed.
   * @default false (a deployment paused with the CLI stays paused when it is deployed again)
   * @example deploy(etl, { name: "nightly", paused: true })
   */
  paused?: boolean;
  /**
   * How many runs of this deployment may execute at once; more wait, Scheduled.
   * @default undefined (no limit)
   * @example deploy(etl, { name: "nightly", concurrencyLimit: 1 })
   */
  concurrencyLimit?: number;
  /**
   * How its runs execute on the server's worker: `"shared"` in its project's runner process, which
   * executes many runs at once (a run starts in milliseconds; a run that throws outside its promise
   * chain, calls `process.exit` or leaves timers running ends only itself); `"process"` each run in
   * a process of its own, for code that blocks the event loop, changes `process.env` or the working
   * directory, or keeps module-level state that runs must not share.
   * @default "shared"
   * @example deploy(train, { name: "gpu", isolation: "process" })
   */
  isolation?: "shared" | "process";
  /**
   * The work pool whose workers execute its runs: a server's worker and `tributary worker start`
   * serve pool `"default"` unless started with `--pool`. A run of a pool no worker serves waits,
   * Scheduled, until one starts.
   * @default "default"
   * @example deploy(train, { name: "nightly", pool: "gpu" })
   */
  pool?: string;
  /**
   * Triggers that run this deployment: the same objects as an automation's `trigger`.
   * @default []
   * @example deploy(report, { name: "after-etl", triggers: [{ type: "flow-run-state-change", match: { flow: "etl" }, expect: ["Completed"] }] })
   */
  triggers?: JsonValue[];
}

/** A declared deployment, as `deploy` returns it and the registry holds it. */
export interface Deployment extends Declaration {
  kind: "deployment";
  /** `"<flow-name>/<name>"`. */
  name: string;
  /** The deployment's own name, without the flow's. */
  deploymentName: string;
  flow: Flow;
  flowName: string;
  schedules: ScheduleSpec[];
  parameters: Record<string, JsonValue>;
  tags: string[];
  description?: string;
  /** Undefined when not given, so a deployment paused from the CLI stays paused. */
  paused?: boolean;
  concurrencyLimit?: number;
  isolation?: "shared" | "process";
  pool?: string;
  triggers: JsonValue[];
}

const KNOWN = ["name", "schedule", "schedules", "parameters", "tags", "description", "paused", "concurrencyLimit", "isolation", "pool", "triggers"];

/**
 * Declares a deployment of `flow`. Register it with `tributary deploy file.ts`, or let
 * `tributary run` register it for the life of the command.
 *
 * @example
 * export const nightly = deploy(etl, { name: "nightly", schedule: { cron: "0 2 * * *" }, parameters: { full: false } });
 */
export function deploy<P>(flow: Flow<P>, options: DeployOptions<P>): Deployment {
  if (!isFlow(flow)) throw new InvalidOptionError(`Expected deploy's first argument to be a flow made with flow(...), got ${describeValue(flow)}.`);
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`Expected the options of deploy(${flow.name}) to be an object with a \`name\`, got ${describeValue(options)}.`);
  }
  const owner = `deploy(${JSON.stringify(flow.name)})`;
  const check = new OptionChecker(owner, options as unknown as Record<string, unknown>);
  check.onlyKnown(KNOWN);
  if (typeof options.name !== "string" || options.name.trim() === "" || options.name.includes("/")) {
    check.fail("name", "a non-empty string without '/'");
  }
  check.tags("tags");
  check.string("description");
  check.boolean("paused");
  if (options.concurrencyLimit !== undefined && !(Number.isInteger(options.concurrencyLimit) && options.concurrencyLimit >= 1)) {
    check.fail("concurrencyLimit", "a whole number of at least 1");
  }
  if (options.isolation !== undefined && options.isolation !== "shared" && options.isolation !== "process") check.fail("isolation", '"shared" or "process"');
  if (options.pool !== undefined && !isPoolName(options.pool)) check.fail("pool", POOL_NAME_RULE);
  if (options.schedule !== undefined && options.schedules !== undefined) {
    throw new InvalidOptionError(`Give either \`schedule\` or \`schedules\`, not both — in the options of ${owner}.`);
  }
  if (options.schedules !== undefined && !Array.isArray(options.schedules)) check.fail("schedules", "an array of schedules");
  const schedules = options.schedules ?? (options.schedule !== undefined ? [options.schedule] : []);
  for (const spec of schedules) {
    try {
      compileSchedule(spec);
    } catch (error) {
      throw new InvalidOptionError(`${(error as Error).message} — in the options of ${owner}.`);
    }
  }
  const parameters = (options.parameters ?? {}) as Record<string, unknown>;
  if (parameters === null || typeof parameters !== "object" || Array.isArray(parameters)) check.fail("parameters", "an object of JSON values");
  const bad = findNonJson(parameters);
  if (bad) {
    throw new InvalidOptionError(`Expected \`parameters${bad.path.startsWith("[") ? "" : "."}${bad.path}\` to be a JSON value, got ${describeValue(bad.value)} — in the options of ${owner}.`);
  }
  if (options.triggers !== undefined && !Array.isArray(options.triggers)) check.fail("triggers", "an array of trigger objects");
  const deployment: Deployment = {
    kind: "deployment",
    name: `${flow.name}/${options.name}`,
    deploymentName: options.name,
    flow,
    flowName: flow.name,
    schedules,
    parameters: parameters as Record<string, JsonValue>,
    tags: options.tags ?? [],
    triggers: options.triggers ?? [],
  };
  if (options.description !== undefined) deployment.description = options.description;
  if (options.paused !== undefined) deployment.paused = options.paused;
  if (options.concurrencyLimit !== undefined) deployment.concurrencyLimit = options.concurrencyLimit;
  if (options.isolation !== undefined) deployment.isolation = options.isolation;
  if (options.pool !== undefined) deployment.pool = options.pool;
  return declare(deployment);
}
