/**
 * The API routes of the dashboard's sign-in (contract.ts SignInTicket, SessionInfo): minting a
 * one-time link, which only a holder of the token may do (a session must not extend itself or
 * sign in other browsers), and reading or ending the session itself, which only a session can.
 */
import { ApiError } from "./api-error.js";
import { signInPath, type SessionInfo, type SignInTicket } from "./contract.js";
import type { DashboardSessions } from "./dashboard-sessions.js";
import type { RequestAuth } from "./request-guard.js";
import { clearedSessionCookie } from "./session-cookie.js";

type Result = [status: number, body: unknown, headers?: Record<string, string>];

export function sessionHandlers(sessions: DashboardSessions, serverUrl: () => string) {
  return {
    createSignInTicket: async ({ auth }: { auth: RequestAuth }): Promise<Result> => {
      if (auth.kind !== "token") {
        throw new ApiError(403, "TOKEN_REQUIRED", "Sign-in links are made with the server's token, not from a dashboard session: run `tributary server open`.");
      }
      const { ticket, expiresAt } = sessions.mintTicket();
      const body: SignInTicket = { ticket, url: `${serverUrl()}${signInPath(ticket)}`, expiresAt: expiresAt.toISOString() };
      return [201, body];
    },
    getSession: async ({ auth }: { auth: RequestAuth }): Promise<Result> => {
      const session = sessionOnly(auth, "GET /api/session");
      const body: SessionInfo = { expiresAt: session.session.endsAt.toISOString() };
      return [200, body];
    },
    endSession: async ({ auth }: { auth: RequestAuth }): Promise<Result> => {
      const session = sessionOnly(auth, "DELETE /api/session");
      sessions.end(session.session);
      return [200, { signedOut: true }, { "set-cookie": clearedSessionCookie(session.cookieName) }];
    },
  };
}

function sessionOnly(auth: RequestAuth, route: string): Extract<RequestAuth, { kind: "session" }> {
  if (auth.kind !== "session") throw new ApiError(400, "NO_SESSION", `${route} is about a dashboard session, and this request was sent with the token: sign in with the link \`tributary server open\` prints.`);
  return auth;
}
