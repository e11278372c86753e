/**
 * The dashboard's session cookie. Browsers keep cookies per host name, not per port, so two
 * servers on 127.0.0.1 would overwrite each other's `tributary_session`: the name carries the
 * port. `HttpOnly` keeps it from page scripts; `SameSite=Strict` keeps other sites' pages from
 * sending it (pages of other ports on the same host are the same site, and servers there receive
 * it: the cookie alone opens only the pages, which hold no data; the API also needs the session's
 * key, request-guard.ts); `Secure` only where the server is served over https, which it is not yet.
 */

/** `tributary_session_4200`. */
export function sessionCookieName(port: number): string {
  return `tributary_session_${port}`;
}

/** The `Set-Cookie` value that gives the browser session `id`. */
export function sessionCookie(name: string, id: string, secure = false): string {
  return `${name}=${id}; HttpOnly; SameSite=Strict; Path=/${secure ? "; Secure" : ""}`;
}

/** The `Set-Cookie` value that makes the browser forget the session. */
export function clearedSessionCookie(name: string, secure = false): string {
  return `${name}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? "; Secure" : ""}`;
}

/** Every value of cookie `name` in a `Cookie` header (a browser may send one name twice). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) values.push(part.slice(at + 1).trim());
  }
  return values;
}
