/**
 * Asking a check service one thing: connect, send the request line, read the answer line. Any
 * failure (no socket, refused, a timeout, a bad answer) is `undefined`: the caller does without.
 */
import net from "node:net";
import { LineReader, MAX_ANSWER_BYTES, type ServiceAnswer, type ServiceRequest } from "./service-protocol.js";

export interface AskOptions {
  /** How long to wait for the connection. */
  connectMs: number;
  /** How long to wait for the answer once connected (a check of a large workspace after many edits). */
  answerMs: number;
}

export function askService(socket: string, request: ServiceRequest, options: AskOptions): Promise<ServiceAnswer | undefined> {
  return new Promise((resolve) => {
    const connection = net.createConnection(socket);
    const reader = new LineReader(MAX_ANSWER_BYTES);
    let settled = false;
    const finish = (answer: ServiceAnswer | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.destroy();
      resolve(answer);
    };
    let timer = setTimeout(() => finish(undefined), options.connectMs);
    connection.on("connect", () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(undefined), options.answerMs);
      connection.write(`${JSON.stringify(request)}\n`);
    });
    connection.on("data", (data) => {
      const lines = reader.push(data);
      if (lines === "too long") return finish(undefined);
      if (lines.length > 0) finish(parseAnswer(lines[0]!));
    });
    connection.on("error", () => finish(undefined));
    connection.on("close", () => finish(undefined));
  });
}

function parseAnswer(line: string): ServiceAnswer | undefined {
  try {
    const answer = JSON.parse(line) as ServiceAnswer;
    if (answer === null || typeof answer !== "object" || typeof answer.kind !== "string") return undefined;
    if (answer.kind === "result" && (typeof answer.stdout !== "string" || typeof answer.stderr !== "string" || typeof answer.exitCode !== "number")) return undefined;
    return answer;
  } catch {
    return undefined;
  }
}
