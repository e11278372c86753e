/**
 * Where the server's events go: every published event is stored (the events table), then handed
 * to each subscriber — WebSocket clients of `/api/events/stream`, the automation engine, the
 * worker. Broadcast events (task-run state changes, log lines: live-events.ts) are not stored and
 * reach only the subscribers that asked for them (the stream). A subscriber that throws is
 * reported and kept; one slow client never holds up the others.
 *
 * With several servers on one PostgreSQL database, the stored events another server publishes
 * reach this hub's subscribers too (`deliver`, from event-relay.ts), and so do the broadcasts of
 * the others (the relay's live channel).
 *
 * Every subscriber sees events in the order they were published: an event published by a
 * subscriber while it handles another (the automation engine's `automation.triggered` for a run's
 * `Completed`) waits until that one has reached every subscriber.
 */
import type { Clock } from "../engine/clock.js";
import { newRunId } from "../store/run-ids.js";
import type { FlowRunRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { CausalLink, EventResource, FlowRunEventPayload, TributaryEvent } from "./contract.js";

/** `stored` is false for a broadcast event (only subscribers that take broadcasts get those). */
export type EventSubscriber = (event: TributaryEvent, stored: boolean) => void;

/** An event as a client posts it: id and occurred are filled in when absent. */
export type EventInput = Omit<TributaryEvent, "id" | "occurred"> & { id?: string; occurred?: string };

export class EventHub {
  private readonly subscribers = new Set<EventSubscriber>();
  private readonly broadcastSubscribers = new Set<EventSubscriber>();
  private readonly deliveries: { event: TributaryEvent; subscribers: Set<EventSubscriber>; stored: boolean }[] = [];
  private delivering = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The name of a deployment by id, for the events of its runs. */
    private readonly deploymentName: (id: string) => string | undefined = () => undefined,
    private readonly onSubscriberError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Hands every stored event to `subscriber` from now on; with `broadcasts: true`, also the
   * events that are only broadcast.
   */
  subscribe(subscriber: EventSubscriber, options: { broadcasts?: boolean } = {}): () => void {
    this.subscribers.add(subscriber);
    if (options.broadcasts === true) this.broadcastSubscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
      this.broadcastSubscribers.delete(subscriber);
    };
  }

  /** Stores the event and fans it out; returns it complete. */
  publish(input: EventInput): TributaryEvent {
    const event = this.complete(input);
    this.store.appendEvent(event);
    this.fanOut(event, this.subscribers, true);
    return event;
  }

  /**
   * Hands a stored event to every subscriber, as if published here, without storing it again: one
   * another server published (event-relay.ts), or one stored in the transaction of the change it
   * tells of (a deployment run's creation: {@link EventHub.complete}, then Store.createDeploymentRun).
   */
  deliver(event: TributaryEvent): void {
    this.fanOut(event, this.subscribers, true);
  }

  /**
   * Hands the event to the subscribers that take broadcasts (the live stream) without storing it:
   * task-run state changes and log lines, which are stored in their own tables already and come
   * by the thousand in a fan-out. Automations do not see them.
   */
  broadcast(input: EventInput): TributaryEvent {
    const event = this.complete(input);
    this.fanOut(event, this.broadcastSubscribers, false);
    return event;
  }

  /** The event as publish would store it: an id and the time it occurred filled in when absent. */
  complete(input: EventInput): TributaryEvent {
    return {
      ...input,
      id: input.id ?? newRunId(this.clock.now().getTime()),
      occurred: input.occurred ?? this.clock.now().toISOString(),
    };
  }

  private fanOut(event: TributaryEvent, subscribers: Set<EventSubscriber>, stored: boolean): void {
    this.deliveries.push({ event, subscribers, stored });
    if (this.delivering) return; // published from inside a subscriber: the loop below delivers it next
    this.delivering = true;
    try {
      for (let next = this.deliveries.shift(); next !== undefined; next = this.deliveries.shift()) {
        for (const subscriber of next.subscribers) {
          try {
            subscriber(next.event, next.stored);
          } catch (error) {
            this.onSubscriberError(error);
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  /** Publishes `tributary.flow-run.<StateName>` for a run as it is after a state change. */
  publishFlowRun(run: FlowRunRecord): TributaryEvent {
    const name = run.deploymentId !== undefined ? this.deploymentName(run.deploymentId) : undefined;
    return this.publish(flowRunEvent(run, name));
  }
}

/** The event of a flow run's state change (FlowRunEventPayload), with the run's chain. */
export function flowRunEvent(run: FlowRunRecord, deploymentName?: string): EventInput {
  const resource: EventResource = { id: `tributary.flow-run.${run.id}`, name: run.name, flowName: run.flowName, tags: run.tags };
  if (deploymentName !== undefined) resource.deploymentName = deploymentName;
  const payload: FlowRunEventPayload = {
    flowRun: run,
    state: { type: run.state.type, name: run.state.name, ...(run.state.message !== undefined ? { message: run.state.message } : {}) },
  };
  const event: EventInput = {
    event: `tributary.flow-run.${run.state.name}`,
    occurred: run.state.timestamp,
    resource,
    payload: payload as unknown as TributaryEvent["payload"],
  };
  const related: EventResource[] = [];
  if (run.deploymentId !== undefined) related.push({ id: `tributary.deployment.${run.deploymentId}`, ...(deploymentName ? { name: deploymentName } : {}) });
  if (run.parentFlowRunId !== undefined) related.push({ id: `tributary.flow-run.${run.parentFlowRunId}` });
  if (related.length > 0) event.related = related;
  if (run.chain !== undefined) event.chain = run.chain as CausalLink[];
  return event;
}
