/**
 * Which of the servers on one PostgreSQL database leads: runs the scheduler and the automation
 * engine. The leader holds a session advisory lock (keyed by the store's schema) on a connection of
 * its own; the others try to take it every `retryMs`. When the leader dies its connection drops,
 * PostgreSQL releases the lock, and another server takes it at its next try. The leader checks its
 * connection at the same pace, and steps down as soon as it fails (the lock may be gone with it).
 */
import type { LogLevel } from "../store/records.js";
import type { DedicatedConnection, PostgresStore } from "../store/postgres-store.js";

/** The advisory lock key space of the leader lock (the migrations' is "trib"). */
const LEADER_LOCK_NAMESPACE = 0x74726c64; // "trld"

export interface LeaderLockOptions {
  /** The store: the servers of its schema elect one leader. */
  store: PostgresStore;
  /** Called when this server becomes the leader (`true`) or stops being it (`false`). */
  onChange: (leader: boolean) => void;
  log: (level: LogLevel, message: string) => void;
  /**
   * How often a server that does not lead tries to take the lock, and the leader checks its connection.
   * @default 1000
   */
  retryMs?: number;
}

export class LeaderLock {
  private client: DedicatedConnection | undefined;
  private leading = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeaderLockOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries at once, then every `retryMs`; resolves after the first try. */
  start(): Promise<void> {
    this.attempt = this.tryOnce();
    return this.attempt;
  }

  /** Gives the lock back (so another server takes over at once) and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.attempt;
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    if (this.leading) await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [LEADER_LOCK_NAMESPACE, this.options.store.schema]).catch(() => undefined);
    this.leading = false;
    await client.close();
  }

  private async tryOnce(): Promise<void> {
    if (this.closed) return;
    let client = this.client;
    try {
      if (client === undefined) {
        const connected = await this.options.store.connect("tributary leader lock", { queryTimeoutMs: 5000 });
        client = connected;
        this.client = connected;
        connected.onLost(() => this.drop(connected));
      }
      if (!this.leading) {
        const rows = await client.query<{ taken: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken", [LEADER_LOCK_NAMESPACE, this.options.store.schema]);
        if (rows[0]?.taken === true && !this.closed) {
          this.leading = true;
          this.options.log("info", "This server leads: it runs the scheduler and the automation engine.");
          this.options.onChange(true);
        }
      } else {
        // The lock lives as long as this session: a connection that fails may have lost it.
        await client.query("SELECT 1");
      }
    } catch {
      if (client !== undefined) this.drop(client);
    }
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.attempt = this.tryOnce();
    }, this.options.retryMs ?? 1000);
    this.timer.unref();
  }

  private drop(client: DedicatedConnection): void {
    const current = this.client === client;
    if (current) this.client = undefined;
    void client.close();
    if (!current || !this.leading || this.closed) return;
    this.leading = false;
    this.options.log("warning", "Lost the database connection that holds the leader lock: this server stops scheduling until it leads again.");
    this.options.onChange(false);
  }
}
