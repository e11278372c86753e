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
 *
 * Broadcast events (task-run changes, log lines: live-events.ts) are not stored, and are made
 * where a run executes — often a worker with no stream client of its own. The relay sends the ones
 * its hub broadcasts on the schema's live channel (LiveNotice: those of one event-loop turn
 * together, as few NOTIFYs as 8000 bytes allow) and hands the ones others sent to its hub's
 * broadcast subscribers, so that a stream client of any server follows a run's task runs and log
 * wherever it executes. They are live only: one too large for a NOTIFY, or sent while a listener
 * reconnects, is not seen live there (the run's stored task runs and logs are read as ever).
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
/** A NOTIFY payload holds at most 8000 bytes. */
const MAX_LIVE_NOTICE_BYTES = 7800;

/** What a process NOTIFYs on {@link PostgresStore.liveChannel}: `o`, its store's instanceId, and broadcast events. */
interface LiveNotice {
  o: string;
  e: TributaryEvent[];
}

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
  /** Broadcasts of this hub's to send, gathered over one turn of the event loop. */
  private outgoing: TributaryEvent[] = [];
  /** The broadcast events handed to the hub from another process: not sent back. */
  private readonly relayedLive = new Set<string>();

  private constructor(private readonly options: EventRelayOptions) {
    // Every stored event this hub hands out, published here or relayed, is not delivered again;
    // every event it only broadcasts is sent to the other processes, unless it came from one.
    this.unsubscribe = options.hub.subscribe(
      (event, stored) => {
        if (stored) this.remember(event.id);
        else if (!this.relayedLive.delete(event.id)) this.sendLive(event);
      },
      { broadcasts: true },
    );
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
      await client.listen(store.liveChannel, (payload) => this.handleLive(payload));
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

  private sendLive(event: TributaryEvent): void {
    if (this.closed) return;
    this.outgoing.push(event);
    if (this.outgoing.length > 1) return;
    setImmediate(() => {
      const events = this.outgoing;
      this.outgoing = [];
      const { store } = this.options;
      store.notify(store.liveChannel, liveNotices(store.instanceId, events)).catch((error: unknown) => {
        if (!this.closed) this.options.log("warning", `Could not send live events to the other servers: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  }

  /** Another process's broadcasts go to this hub's broadcast subscribers at once, in order. */
  private handleLive(payload: string): void {
    let notice: LiveNotice;
    try {
      notice = JSON.parse(payload) as LiveNotice;
    } catch {
      // Not one of ours (anyone with the database may NOTIFY): it must not take the listener down.
      this.options.log("warning", `Ignored a notice on the live channel that is not JSON: ${payload.slice(0, 80)}`);
      return;
    }
    if (notice.o === this.options.store.instanceId || this.closed || !Array.isArray(notice.e)) return;
    for (const event of notice.e) {
      this.relayedLive.add(event.id);
      this.options.hub.broadcast(event);
    }
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

/** The notices that carry `events` in order, each within a NOTIFY's size; an event too large for one is left out. */
function liveNotices(origin: string, events: readonly TributaryEvent[]): string[] {
  const notices: string[] = [];
  const head = `{"o":${JSON.stringify(origin)},"e":[`;
  let parts: string[] = [];
  let bytes = head.length + 2;
  const close = () => {
    if (parts.length > 0) notices.push(`${head}${parts.join(",")}]}`);
    parts = [];
    bytes = head.length + 2;
  };
  for (const event of events) {
    const text = JSON.stringify(event);
    const size = Buffer.byteLength(text) + 1;
    if (head.length + 2 + size > MAX_LIVE_NOTICE_BYTES) continue;
    if (bytes + size > MAX_LIVE_NOTICE_BYTES) close();
    parts.push(text);
    bytes += size;
  }
  close();
  return notices;
}
