/**
 * Deployments on the server: registering them (created / updated / unchanged), pausing and
 * resuming, and creating their runs — validated, merged with the deployment's defaults, made
 * idempotent, linked to the calling run and to the causal chain. New runs wake the worker.
 */
import { isDeepStrictEqual } from "node:util";
import type { Clock } from "../engine/clock.js";
import { schemaProblem } from "../engine/parameter-schema.js";
import { generateFlowRunName } from "../engine/run-names.js";
import { compileSchedule } from "../schedules/schedule.js";
import { makeState } from "../states.js";
import { newRunId } from "../store/run-ids.js";
import { describeChain, visits } from "../automations/causal-chain.js";
import type { FlowRunRecord, JsonValue, LogLevel } from "../store/records.js";
import type { Store } from "../store/store.js";
import { ApiError, badRequest, conflict, notFound, unprocessable } from "./api-error.js";
import { deploymentCodeProblem } from "./deployment-code.js";
import type { CausalLink, CreateDeploymentRunRequest, DeploymentInput, DeploymentRecord, TributaryEvent, UpsertResult } from "./contract.js";
import { didYouMeanSuffix } from "../cli/did-you-mean.js";
import { flowRunEvent, type EventHub } from "./event-hub.js";
import { SCHEDULED_RUN_KEY_PREFIX } from "./scheduler.js";

export interface LoopGuardOptions {
  /** How many times one chain may visit a deployment (automations/causal-chain.ts). */
  maxChainRepeats: number;
  /** The server's log, where a refusal is written. */
  log: (level: LogLevel, message: string) => void;
}

/** The fields `tributary deploy` compares to say whether a deployment changed. */
const COMPARED = ["flowName", "entrypoint", "workDir", "schedules", "parameters", "parameterSchema", "tags", "description", "concurrencyLimit", "isolation", "pool", "triggers"] as const;

export class DeploymentService {
  /** Deployments by id, for naming the deployment in the events of its runs. */
  private readonly names = new Map<string, string>();
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly clock: Clock,
    /** The project directories whose code deployments may run (deployment-code.ts). */
    private readonly workDirRoots: readonly string[],
    /** The runtime loop guard for runs asked for with a causal chain (runDeployment, automations). */
    private readonly loopGuard: LoopGuardOptions,
  ) {}

  async load(): Promise<void> {
    for (const deployment of await this.store.listDeployments()) this.names.set(deployment.id, deployment.name);
  }

  nameOf(id: string): string | undefined {
    return this.names.get(id);
  }

  /** Called after a deployment is created, changed, paused or resumed (the scheduler listens). */
  /**
   * Another server on the database registered, changed, paused or resumed a deployment (its event
   * came through event-relay.ts): its name is learnt, and this server's listeners hear of it.
   */
  noteRemoteChange(event: TributaryEvent): void {
    const prefix = "tributary.deployment.";
    if (event.resource.id.startsWith(prefix) && event.resource.name !== undefined) this.names.set(event.resource.id.slice(prefix.length), event.resource.name);
    this.changed();
  }

  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  async get(name: string): Promise<DeploymentRecord> {
    const deployment = await this.store.getDeployment(name);
    if (deployment) return deployment;
    const known = (await this.store.listDeployments()).map((d) => d.name);
    throw notFound(`No deployment named "${name}".${didYouMeanSuffix(name, known)}`);
  }

  async upsert(inputs: DeploymentInput[]): Promise<UpsertResult<DeploymentRecord>[]> {
    const checked = inputs.map(checkDeploymentInput);
    for (const input of checked) {
      const refused = deploymentCodeProblem(input, this.workDirRoots);
      if (refused !== undefined) throw new ApiError(403, "FORBIDDEN_WORKDIR", refused);
    }
    const results: UpsertResult<DeploymentRecord>[] = [];
    for (const input of checked) {
      const existing = await this.store.getDeployment(input.name);
      const now = this.clock.now().toISOString();
      const paused = input.paused ?? existing?.paused ?? false;
      const candidate: DeploymentRecord = {
        id: existing?.id ?? newRunId(this.clock.now().getTime()),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        ...input,
        paused,
      };
      if (existing && COMPARED.every((key) => isDeepStrictEqual(existing[key], candidate[key])) && existing.paused === paused) {
        results.push({ name: input.name, status: "unchanged", record: existing });
        continue;
      }
      const saved = await this.store.saveDeployment(candidate);
      this.names.set(saved.id, saved.name);
      // Auto-scheduled runs that have not started go when the deployment is paused, and when its
      // schedules change (as in Prefect): the scheduler then makes the new schedule's runs.
      if (existing && ((saved.paused && !existing.paused) || !isDeepStrictEqual(existing.schedules, saved.schedules))) {
        await this.deleteScheduledRuns(saved);
      }
      const status = existing ? "updated" : "created";
      results.push({ name: input.name, status, record: saved });
      // Clients list deployments: one registered by another client (`tributary run`, `deploy`) shows at once.
      this.hub.publish({
        event: "tributary.deployment.registered",
        resource: { id: `tributary.deployment.${saved.id}`, name: saved.name, flowName: saved.flowName },
        payload: { status },
      });
    }
    if (results.some((r) => r.status !== "unchanged")) this.changed();
    return results;
  }

  async setPaused(name: string, paused: boolean): Promise<DeploymentRecord> {
    const deployment = await this.get(name);
    if (deployment.paused === paused) return deployment;
    const saved = await this.store.saveDeployment({ ...deployment, paused, updatedAt: this.clock.now().toISOString() });
    const deletedFlowRunIds = paused ? await this.deleteScheduledRuns(saved) : [];
    this.hub.publish({
      event: `tributary.deployment.${paused ? "paused" : "resumed"}`,
      resource: { id: `tributary.deployment.${saved.id}`, name: saved.name, flowName: saved.flowName },
      payload: paused ? { deletedFlowRunIds } : {},
    });
    this.changed();
    return saved;
  }

  /**
   * Creates a run of the deployment (Scheduled), or returns the run made earlier with the same
   * idempotency key (`created: false`).
   */
  async createRun(name: string, request: CreateDeploymentRunRequest): Promise<{ run: FlowRunRecord; created: boolean }> {
    const deployment = await this.get(name);
    if (deployment.paused) {
      throw conflict(`Deployment "${name}" is paused; resume it with \`tributary deployment resume ${name}\` first.`);
    }
    const given = request.parameters ?? {};
    if (given === null || typeof given !== "object" || Array.isArray(given)) throw badRequest("`parameters` must be a JSON object.");
    const parameters: Record<string, JsonValue> = { ...deployment.parameters, ...given };
    const problem = schemaProblem(deployment.parameterSchema, parameters);
    if (problem !== undefined) throw unprocessable(`${problem} (deployment "${name}")`);
    const now = this.clock.now();
    let scheduled = now;
    if (request.scheduledTime !== undefined) {
      scheduled = new Date(request.scheduledTime);
      if (Number.isNaN(scheduled.getTime())) throw badRequest(`\`scheduledTime\` must be an ISO 8601 date, got "${request.scheduledTime}".`);
    }
    const callerChain = request.chain ?? [];
    if (visits(callerChain, "deployment", deployment.name) >= this.loopGuard.maxChainRepeats) throw this.refuseLoop(deployment, callerChain);
    const id = newRunId(now.getTime());
    const chain: CausalLink[] = [
      ...callerChain,
      { kind: "deployment", id: deployment.id, name: deployment.name },
      { kind: "flow-run", id, name: deployment.flowName },
    ];
    const run: FlowRunRecord & { deploymentId: string } = {
      id,
      name: request.flowRunName ?? generateFlowRunName(),
      flowName: deployment.flowName,
      deploymentId: deployment.id,
      entrypoint: deployment.entrypoint,
      state: makeState("Scheduled", now),
      parameters,
      tags: [...new Set([...deployment.tags, ...(request.tags ?? [])])],
      runCount: 0,
      createdAt: now.toISOString(),
      expectedStartTime: scheduled.toISOString(),
      chain,
    };
    if (request.parentFlowRunId !== undefined) run.parentFlowRunId = request.parentFlowRunId;
    if (request.idempotencyKey !== undefined) run.idempotencyKey = request.idempotencyKey;
    // Its Scheduled event is stored with it: one commit, not two, for a run asked for.
    const event = this.hub.complete(flowRunEvent(run, deployment.name));
    const result = await this.store.createDeploymentRun(run, event);
    if (result.created) this.hub.deliver(event);
    return result;
  }

  /**
   * The loop guard refuses a run whose chain already visited its deployment `maxChainRepeats`
   * times: an event about the deployment (related: the calling run), a line in the server's log,
   * and a 409 LOOP_GUARD answer that runDeployment throws as a LoopGuardError.
   */
  private refuseLoop(deployment: DeploymentRecord, chain: readonly CausalLink[]): ApiError {
    const { maxChainRepeats } = this.loopGuard;
    const caller = chain.findLast((link) => link.kind === "flow-run");
    const reason =
      `runDeployment("${deployment.name}") was refused: the chain that led here (${describeChain(chain)}) ` +
      `already ran it ${visits(chain, "deployment", deployment.name)} times, and the limit is ${maxChainRepeats}. ` +
      `This looks like a flow that runs its own deployment, directly or through others; stop the recursion with a condition on its parameters.`;
    this.loopGuard.log("warning", reason);
    this.hub.publish({
      event: "tributary.deployment.run-refused",
      resource: { id: `tributary.deployment.${deployment.id}`, name: deployment.name, flowName: deployment.flowName, deploymentName: deployment.name },
      related: caller ? [{ id: `tributary.flow-run.${caller.id}`, name: caller.name }] : [],
      payload: { reason, deployment: deployment.name, maxChainRepeats },
      chain: [...chain],
    });
    return new ApiError(409, "LOOP_GUARD", reason);
  }

  /**
   * A paused deployment keeps no runs its schedules made that have not started (Scheduled or Late),
   * as Prefect deletes them; resuming lets the scheduler make the next ones. Runs asked for by hand
   * (`deployment run`, runDeployment, automations) stay.
   */
  private deleteScheduledRuns(deployment: DeploymentRecord): Promise<string[]> {
    return this.store.deleteUnstartedDeploymentRuns(deployment.id, SCHEDULED_RUN_KEY_PREFIX);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}

type CheckedInput = Omit<DeploymentRecord, "id" | "createdAt" | "updatedAt" | "paused"> & { paused?: boolean };

function checkDeploymentInput(input: DeploymentInput): CheckedInput {
  if (input === null || typeof input !== "object") throw badRequest("Each deployment must be an object.");
  for (const key of ["name", "flowName", "entrypoint", "workDir"] as const) {
    if (typeof input[key] !== "string" || input[key] === "") throw badRequest(`Deployment \`${key}\` must be a non-empty string.`);
  }
  if (!input.name.startsWith(`${input.flowName}/`)) throw badRequest(`Deployment name "${input.name}" must start with its flow's name, "${input.flowName}/".`);
  for (const spec of input.schedules ?? []) {
    try {
      compileSchedule(spec);
    } catch (error) {
      throw badRequest(`Deployment "${input.name}": ${(error as Error).message}`);
    }
  }
  return {
    ...input,
    schedules: input.schedules ?? [],
    parameters: input.parameters ?? {},
    tags: input.tags ?? [],
    triggers: input.triggers ?? [],
  };
}
