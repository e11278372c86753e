/**
 * A client of a server's event stream for tests: every event from its opening on, kept in order,
 * and promises that resolve on the first one (received or still to come) a predicate accepts.
 */
import WebSocket from "ws";
import type { TributaryEvent } from "../contract.js";

export class EventStreamClient {
  readonly events: TributaryEvent[] = [];
  private readonly waiters: { predicate: (e: TributaryEvent) => boolean; resolve: (e: TributaryEvent) => void }[] = [];

  private socket: WebSocket | undefined;

  /**
   * Opens `/api/events/stream` of the server at `url` (waiters may be added before);
   * `storedOnly` leaves out the task-level live events.
   */
  async open(url: string, token: string, { storedOnly = false } = {}): Promise<void> {
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/api/events/stream${storedOnly ? "?storedOnly=true" : ""}`, { headers: { authorization: `Bearer ${token}` } });
    socket.on("message", (data) => {
      const event = JSON.parse(String(data)) as TributaryEvent;
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (!waiter.predicate(event)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    // A server that goes away (a test SIGKILLs one) ends the socket with an error: not the test's failure.
    socket.on("error", () => undefined);
    this.socket = socket;
  }

  /** The first event (already received or still to come) that `predicate` accepts. */
  waitFor(predicate: (e: TributaryEvent) => boolean): Promise<TributaryEvent> {
    const found = this.events.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  count(predicate: (e: TributaryEvent) => boolean): number {
    return this.events.filter(predicate).length;
  }

  close(): void {
    this.socket?.terminate();
  }
}

const FINAL_EVENTS = ["Completed", "Failed", "Crashed", "Cancelled", "TimedOut"].map((state) => `tributary.flow-run.${state}`);

/** A flow run's end, whichever it is: a test waits for it, then says what it expected. */
export const isRunEnd =
  (id: string) =>
  (e: TributaryEvent): boolean =>
    e.resource.id === `tributary.flow-run.${id}` && FINAL_EVENTS.includes(e.event);

/** A flow run entering `state`. */
export const isRunState =
  (id: string, state: string) =>
  (e: TributaryEvent): boolean =>
    e.resource.id === `tributary.flow-run.${id}` && e.event === `tributary.flow-run.${state}`;
