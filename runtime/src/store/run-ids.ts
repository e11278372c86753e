/**
 * Run ids: UUID version 7 (RFC 9562) — a millisecond timestamp, then random bits. Ids made close in
 * time sort close together, so the store's indexes grow at their end instead of splitting pages at
 * random (random v4 ids cost about half of a persisted task run's time; see the bench).
 */
import { randomFillSync } from "node:crypto";

const pool = new Uint8Array(16 * 256);
let offset = pool.length;
let lastMillis = -1;
let sequence = 0;

export function newRunId(now: number = Date.now()): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  // Within one millisecond, a 12-bit counter (rand_a) keeps ids made by this process in order.
  sequence = now === lastMillis ? (sequence + 1) & 0xfff : bytes[6]! & 0x7;
  lastMillis = now;
  const hex = now.toString(16).padStart(12, "0");
  const randA = (0x7000 | sequence).toString(16);
  const variant = ((bytes[8]! & 0x3f) | 0x80).toString(16).padStart(2, "0");
  let rest = "";
  for (let i = 9; i < 16; i++) rest += bytes[i]!.toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8)}-${randA}-${variant}${rest.slice(0, 2)}-${rest.slice(2)}`;
}
