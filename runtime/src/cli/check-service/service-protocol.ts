/**
 * What the client and the check service say to each other: one JSON object per line, one request
 * per connection, one answer, then the service ends the connection. Every request carries the
 * token of the service's token file; a line longer than {@link MAX_LINE_BYTES} is refused.
 */

/** The longest line either side reads: a request is small; an answer holds a check's whole output. */
export const MAX_REQUEST_BYTES = 64 * 1024;
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** Who is asking: a check answered by one build of the analysis must be asked by the same build. */
export interface ClientIdentity {
  version: string;
  build: string;
}

export type ServiceRequest =
  | ({ kind: "check"; token: string; cwd: string; paths: string[]; format: string; cacheDir?: string } & ClientIdentity)
  | { kind: "status"; token: string }
  | { kind: "stop"; token: string };

export interface ServiceStatus {
  pid: number;
  root: string;
  cwd: string;
  version: string;
  build: string;
  startedAt: string;
  requests: number;
  idleSeconds: number;
}

export type ServiceAnswer =
  | { kind: "result"; stdout: string; stderr: string; exitCode: number }
  /** The service runs other code than the client: it exits, and the client checks by itself. */
  | { kind: "stale" }
  | ({ kind: "status" } & ServiceStatus)
  | { kind: "stopping" }
  | { kind: "error"; message: string };

/**
 * Splits a stream's bytes into lines, refusing one longer than `max` bytes (counted before it
 * ends, so a peer that never sends a newline cannot grow the buffer without bound).
 */
export class LineReader {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly max: number) {}

  /** The complete lines in `data` (with what came before it), or "too long". */
  push(data: Buffer): string[] | "too long" {
    const lines: string[] = [];
    let start = 0;
    for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, start)) {
      this.chunks.push(data.subarray(start, at));
      this.size += at - start;
      if (this.size > this.max) return "too long";
      lines.push(Buffer.concat(this.chunks).toString("utf8"));
      this.chunks = [];
      this.size = 0;
      start = at + 1;
    }
    if (start < data.length) {
      this.chunks.push(data.subarray(start));
      this.size += data.length - start;
      if (this.size > this.max) return "too long";
    }
    return lines;
  }
}
