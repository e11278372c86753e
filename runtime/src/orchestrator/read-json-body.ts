/**
 * A request's JSON body, read with a bound: a declared length above `maxBytes` is refused before
 * a byte is read, and a body that grows past it while it streams in is refused at that point —
 * the server never holds more than `maxBytes` of one request.
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes, `${declared} bytes`);
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop keeping the body but keep the socket: the 413 still has to be written on it (http-api.ts
      // then drops what still arrives and closes it).
      request.off("data", onData).off("end", onEnd).off("error", onError).pause();
      chunks.length = 0;
      reject(tooLarge(maxBytes, "more"));
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    const onError = (error: Error) => reject(error);
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(400, "BAD_JSON", `The request body is not valid JSON: ${(error as Error).message}.`);
  }
}

function tooLarge(maxBytes: number, got: string): ApiError {
  return new ApiError(413, "PAYLOAD_TOO_LARGE", `The request body may be at most ${maxBytes} bytes, got ${got}: send less at once (or start the server with a larger maxBodyBytes).`);
}
