import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../engine/manual-clock.js";
import { DashboardSessions, SESSION_IDLE_MS, SESSION_MAX_MS, TICKET_TTL_MS } from "./dashboard-sessions.js";

describe("dashboard sign-in tickets and sessions", () => {
  it("a ticket signs in once, within its 60 s", () => {
    const clock = new ManualClock();
    const sessions = new DashboardSessions(clock);
    const { ticket, expiresAt } = sessions.mintTicket();
    assert.match(ticket, /^[A-Za-z0-9_-]{43}$/, "256 random bits, base64url");
    assert.equal(expiresAt.getTime(), clock.now().getTime() + TICKET_TTL_MS);
    const signedIn = sessions.redeemTicket(ticket);
    assert.ok(signedIn);
    assert.notEqual(signedIn.id, ticket);
    assert.equal(sessions.redeemTicket(ticket), undefined, "used up");

    const late = sessions.mintTicket().ticket;
    clock.advance(TICKET_TTL_MS);
    assert.equal(sessions.redeemTicket(late), undefined, "expired at 60 s");
    assert.equal(sessions.redeemTicket("made-up"), undefined);
  });

  it("a session ends after 12 hours unused, 7 days after sign-in, or when ended", () => {
    const clock = new ManualClock();
    const sessions = new DashboardSessions(clock);
    const signIn = () => sessions.redeemTicket(sessions.mintTicket().ticket)!;

    const idle = signIn();
    clock.advance(SESSION_IDLE_MS - 1);
    assert.ok(sessions.session(idle.id), "used just before the idle limit");
    clock.advance(SESSION_IDLE_MS);
    assert.equal(sessions.session(idle.id), undefined, "unused for 12 hours");

    const busy = signIn();
    for (let used = 0; used + SESSION_IDLE_MS / 2 < SESSION_MAX_MS; used += SESSION_IDLE_MS / 2) {
      assert.ok(sessions.session(busy.id));
      clock.advance(SESSION_IDLE_MS / 2);
    }
    clock.advance(SESSION_MAX_MS);
    assert.equal(sessions.session(busy.id), undefined, "7 days after sign-in, however busy");

    const ended = signIn();
    sessions.end(ended.session);
    assert.equal(sessions.session(ended.id), undefined);
  });

  it("a session's key is a second 256-bit secret, unrelated to its id, and is compared whole", () => {
    const sessions = new DashboardSessions(new ManualClock());
    const { id, session } = sessions.redeemTicket(sessions.mintTicket().ticket)!;
    assert.match(session.sessionKey, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(session.sessionKey, id, "the cookie does not give away the key");
    assert.equal(sessions.session(id)?.sessionKey, session.sessionKey);
    assert.equal(DashboardSessions.keyMatches(session, session.sessionKey), true);
    assert.equal(DashboardSessions.keyMatches(session, session.sessionKey.slice(1)), false);
    assert.equal(DashboardSessions.keyMatches(session, `${session.sessionKey}x`), false);
    assert.equal(DashboardSessions.keyMatches(session, id), false);
    assert.equal(DashboardSessions.keyMatches(session, undefined), false);
    assert.equal(DashboardSessions.keyMatches(session, ""), false);
  });

  it("keeps at most 1,000 outstanding tickets: the oldest go first", () => {
    const sessions = new DashboardSessions(new ManualClock());
    const first = sessions.mintTicket().ticket;
    const rest = Array.from({ length: 1_000 }, () => sessions.mintTicket().ticket);
    assert.equal(sessions.redeemTicket(first), undefined);
    assert.ok(sessions.redeemTicket(rest.at(-1)!));
  });
});
