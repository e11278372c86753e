/**
 * Events across the servers of one PostgreSQL database: every store NOTIFYs each event it commits
 * on its schema's channel (postgres-store.ts, EventNotice: the event, or its seq alone when it is
 * too large for a NOTIFY's 8000 bytes); the relay LISTENs on a connection of its own and hands the
 * events other servers published to this server's hub (EventHub.deliver), so that its stream
 * clients, waits and automations see them. Its own events it skips (the notice names the store
 * that wrote it), and no event is delivered twice (the ids of the last events the hub handed out
 * are kept).
 *
 * The stored events are the source of truth: when the connection drops, the relay reconnects
 * every `reconnectMs` and then reads what was stored after the last event it saw (by seq, from a
 * little before it, since transactions commit in an order a little different from their seqs).
 */
import type { LogLevel } from "../store/records.js";
import type { DedicatedConnection, EventNotice, PostgresStore } from "../store/postgres-store.js";
import type { TributaryEvent } from "./contract.js";
import type { EventHub } from "./event-hub.js";

/** How many ids of delivered events are remembered, to skip an event seen again. */
const REMEMBERED_IDS = 20_000;
/** After a reconnect, events are read again from this many seqs before the last one seen. */
const CATCH_UP_MARGIN = 1_000;
const CATCH_UP_PAGE = 1_000;

export interface EventRelayOptions {
  store: PostgresStore;
  hub: EventHub;
  /**
   * Called with each event another server published, after the hub's subscribers had it; the next
   * event waits for what it returns (so that a changed automation is in place for the events after it).
   */
  onRemoteEvent?: (event: TributaryEvent) => void | Promise<void>;
  log: (level: LogLevel, message: string) => void;
  /**
   * How long to wait before connecting again after the connection dropped.
   * @default 1000
   */
  reconnectMs?: number;
}

export class EventRelay {
  private client: DedicatedConnection | undefined;
  private lastSeq = 0;
  private readonly seenIds = new Set<string>();
  private readonly seenOrder: string[] = [];
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  private constructor(private readonly options: EventRelayOptions) {
    // Every stored event this hub hands out, published here or relayed, is not delivered again.
    this.unsubscribe = options.hub.subscribe((event) => this.remember(event.id));
  }

  /** Listens from now on; throws when the database cannot be reached. */
  static async start(options: EventRelayOptions): Promise<EventRelay> {
    const relay = new EventRelay(options);
    await relay.connect();
    // Events committed from here on are notified; older ones are not this server's to relay.
    relay.lastSeq = await options.store.latestEventSeq();
    return relay;
  }

  /** Resolves when every notice received so far has been handled (for tests). */
  settled(): Promise<void> {
    return this.work;
  }

  /** Whether the relay listens now (false while it reconnects). */
  get connected(): boolean {
    return this.client !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  private async connect(): Promise<void> {
    const { store } = this.options;
    const client = await store.connect("tributary event relay");
    try {
      await client.listen(store.eventChannel, (payload) => this.enqueue(() => this.handle(payload)));
    } catch (error) {
      await client.close();
      throw error;
    }
    if (this.closed) {
      await client.close();
      return;
    }
    this.client = client;
    client.onLost(() => this.lost(client));
  }

  private lost(client: DedicatedConnection): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.options.log("warning", `Lost the connection that listens for other servers' events on ${this.options.store.location}; reconnecting.`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.closed) return;
          this.options.log("info", `Listening for other servers' events again; reading what was stored meanwhile.`);
          this.enqueue(() => this.catchUp());
        },
        () => this.scheduleReconnect(),
      );
    }, this.options.reconnectMs ?? 1000);
    this.reconnectTimer.unref();
  }

  /** Notices are handled one at a time, in the order they came: a large event read back keeps its place. */
  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => {
      this.options.log("error", `Could not relay an event from another server: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async handle(payload: string): Promise<void> {
    const notice = JSON.parse(payload) as EventNotice;
    if (notice.o !== this.options.store.instanceId) {
      const event = notice.e ?? (await this.options.store.eventAt(notice.s));
      if (event !== undefined) await this.deliver(event);
    }
    this.lastSeq = Math.max(this.lastSeq, notice.s);
  }

  private async catchUp(): Promise<void> {
    let after = Math.max(0, this.lastSeq - CATCH_UP_MARGIN);
    for (;;) {
      const page = await this.options.store.listEventsAfter(after, CATCH_UP_PAGE);
      for (const { seq, event } of page) {
        await this.deliver(event);
        this.lastSeq = Math.max(this.lastSeq, seq);
        after = seq;
      }
      if (page.length < CATCH_UP_PAGE || this.closed) return;
    }
  }

  private async deliver(event: TributaryEvent): Promise<void> {
    if (this.closed || this.seenIds.has(event.id)) return;
    this.options.hub.deliver(event);
    this.remember(event.id);
    await this.options.onRemoteEvent?.(event);
  }

  private remember(id: string): void {
    if (this.seenIds.has(id)) return;
    this.seenIds.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > REMEMBERED_IDS) this.seenIds.delete(this.seenOrder.shift()!);
  }
}
