/**
 * Sign-in for the dashboard a browser shows: the server's token signs a browser in once, through a
 * one-time link, and the browser then holds a session cookie instead of the token (a page cannot
 * be given `Authorization: Bearer`, and the token must not sit in a page or its history).
 *
 * - A **ticket** (`tributary server open` mints one with the token) is 256 random bits, good for
 *   one sign-in within TICKET_TTL_MS. A used ticket is gone, so a link copied from a terminal's
 *   scroll-back or a browser's history signs nobody in.
 * - A **session** is 256 random bits (the cookie) and a second 256-bit secret, its **key**. The
 *   cookie goes to every port of the host (browsers scope cookies by host name), so it alone must
 *   not be enough: the key reaches the page only in the fragment of the sign-in redirect
 *   (`/#key=…`, never sent to any server), the page keeps it in this origin's localStorage, and
 *   every API request by cookie must carry it (request-guard.ts). A server on another port that
 *   receives the cookie has no key. It ends after SESSION_IDLE_MS without a request,
 *   SESSION_MAX_MS after sign-in, on sign-out, or when the server stops (kept in memory).
 *
 * Only SHA-256 hashes of tickets and session ids are kept, so a heap dump or a timing difference in
 * a map lookup gives away nothing that signs in. Time comes from the server's Clock.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../engine/clock.js";

/** How long a sign-in link works. */
export const TICKET_TTL_MS = 60_000;
/** A session unused this long ends. */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
/** A session ends this long after sign-in, used or not. */
export const SESSION_MAX_MS = 7 * 24 * 60 * 60_000;
/** Outstanding tickets and live sessions kept at most; beyond it the oldest goes (nothing grows without bound). */
const MAX_ENTRIES = 1_000;

export interface DashboardSession {
  /**
   * The session's key: the page sends it in `X-Tributary-Session-Key` on every API request and as
   * the `key.<key>` subprotocol of the event stream. Handed out once, in the sign-in redirect.
   */
  readonly sessionKey: string;
  /** When the session ends if it stays in use (the absolute limit). */
  readonly endsAt: Date;
  /** The hash of its id, which it is kept under (to end it). */
  readonly idHash: string;
}

interface StoredSession extends DashboardSession {
  lastUsed: number;
}

export class DashboardSessions {
  private readonly tickets = new Map<string, number>();
  private readonly sessions = new Map<string, StoredSession>();

  constructor(private readonly clock: Clock) {}

  /** A new one-time ticket and when it expires. */
  mintTicket(): { ticket: string; expiresAt: Date } {
    const now = this.clock.now().getTime();
    this.prune(now);
    const ticket = randomBytes(32).toString("base64url");
    const expiresAt = now + TICKET_TTL_MS;
    keepAtMost(this.tickets, MAX_ENTRIES - 1);
    this.tickets.set(hash(ticket), expiresAt);
    return { ticket, expiresAt: new Date(expiresAt) };
  }

  /**
   * Uses up `ticket`: a new session and its id (the cookie's value) when the ticket is known and
   * unexpired; undefined otherwise. Either way the ticket cannot be used again.
   */
  redeemTicket(ticket: string): { id: string; session: DashboardSession } | undefined {
    const now = this.clock.now().getTime();
    const key = hash(ticket);
    const expiresAt = this.tickets.get(key);
    this.tickets.delete(key);
    if (expiresAt === undefined || now >= expiresAt) return undefined;
    this.prune(now);
    const id = randomBytes(32).toString("base64url");
    const session: StoredSession = { idHash: hash(id), sessionKey: randomBytes(32).toString("base64url"), endsAt: new Date(now + SESSION_MAX_MS), lastUsed: now };
    keepAtMost(this.sessions, MAX_ENTRIES - 1);
    this.sessions.set(session.idHash, session);
    return { id, session };
  }

  /** The live session whose id is `id` (and marks it used), or undefined. */
  session(id: string): DashboardSession | undefined {
    const now = this.clock.now().getTime();
    const key = hash(id);
    const session = this.sessions.get(key);
    if (session === undefined) return undefined;
    if (!isLive(session, now)) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastUsed = now;
    return session;
  }

  /** Whether `given` is the session's key (constant time). */
  static keyMatches(session: DashboardSession, given: string | undefined): boolean {
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(session.sessionKey);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  end(session: DashboardSession): void {
    this.sessions.delete(session.idHash);
  }

  private prune(now: number): void {
    for (const [key, expiresAt] of this.tickets) if (now >= expiresAt) this.tickets.delete(key);
    for (const [key, session] of this.sessions) if (!isLive(session, now)) this.sessions.delete(key);
  }
}

function isLive(session: StoredSession, now: number): boolean {
  return now < session.endsAt.getTime() && now - session.lastUsed < SESSION_IDLE_MS;
}

function hash(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** Drops the oldest entries (Map keeps insertion order) until at most `size` are left. */
function keepAtMost<V>(map: Map<string, V>, size: number): void {
  for (const key of map.keys()) {
    if (map.size <= size) return;
    map.delete(key);
  }
}
