/**
 * For tests that play a hostile client: one HTTP request with exactly the headers given (fetch
 * forbids some, such as `Host`, and adds others, such as `Origin`-less defaults), and a WebSocket
 * upgrade read as its status line.
 */
import http from "node:http";
import net from "node:net";

export interface RawResponse {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

export async function rawRequest(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const { status, text } = await rawRequestWithHeaders(url, method, path, headers, body);
  let parsed: RawResponse["body"] = {};
  try {
    parsed = JSON.parse(text) as RawResponse["body"];
  } catch {
    // Not JSON: the status alone is checked.
  }
  return { status, body: parsed };
}

/** Sends a WebSocket upgrade request with `headers`; resolves to the status of the answer (101 when accepted). */
export function rawUpgrade(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; socket: net.Socket; head: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = "";
    socket.on("error", reject);
    socket.on("data", function onData(chunk: Buffer) {
      received += chunk.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      socket.off("data", onData);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), socket, head: received.slice(0, end) });
    });
    const lines = [
      `GET ${path} HTTP/1.1`,
      ...(Object.keys(headers).some((h) => h.toLowerCase() === "host") ? [] : [`Host: ${hostname}:${port}`]),
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

/** One request as `rawRequest` sends it; resolves to the status, the headers and the body as text. */
export function rawRequestWithHeaders(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path, headers, setHost: !Object.keys(headers).some((h) => h.toLowerCase() === "host") }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end(body);
  });
}
