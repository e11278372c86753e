/**
 * The file format of the analysis caches under `.tributary/cache/`: a header line (format, version,
 * key, and an HMAC of key and payload under this user's secret, `cache-secret.ts`) and the payload.
 * A text that is truncated, corrupt, of another format or version, for another key, or signed by
 * anyone else reads as nothing. Written to a temporary name in the same folder and renamed into
 * place, so a reader sees a whole entry or none, whoever writes at the time.
 */
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile, rename } from "node:fs/promises";
import path from "node:path";
import { cacheSecret } from "./cache-secret.js";
import { decodeValue, encodeValue } from "./summary-codec.js";

export interface EntryKind {
  format: string;
  version: number;
}

/** The payload of an entry's text, or undefined when it is not a whole, signed entry of this kind and key. */
export function readSignedEntry(text: string, kind: EntryKind, key: string): string | undefined {
  const newline = text.indexOf("\n");
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
    const payload = text.slice(newline + 1);
    if (header.format !== kind.format || header.version !== kind.version || header.key !== key || header.mac !== macOf(key, payload)) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

/**
 * The value stored in the entry `file` (`summary-codec.ts`'s JSON as payload), when it is whole,
 * signed, of this kind and key, and passes `accept`; otherwise undefined.
 */
export function readSignedValue<T>(file: string, kind: EntryKind, key: string, accept: (value: T) => boolean): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const payload = readSignedEntry(text, kind, key);
  if (payload === undefined) return undefined;
  try {
    const value = decodeValue(JSON.parse(payload)) as T;
    return accept(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes `value` (encoded as the summaries are, so that Maps, Sets and the like survive) as the
 * entry `file`, making its folder; true when it is in place. Never throws: a value the format has
 * no word for, or a folder that cannot be written, leaves the entry unwritten.
 */
export async function writeSignedValue(file: string, kind: EntryKind, key: string, value: unknown): Promise<boolean> {
  try {
    const payload = JSON.stringify(encodeValue(value));
    await mkdir(path.dirname(file), { recursive: true });
    return await writeSignedEntry(file, kind, key, payload);
  } catch {
    return false;
  }
}

/** Writes `payload` as the entry `file`; true when it is in place. Never throws. */
export async function writeSignedEntry(file: string, kind: EntryKind, key: string, payload: string): Promise<boolean> {
  const header = JSON.stringify({ format: kind.format, version: kind.version, key, mac: macOf(key, payload) });
  // Unique per writer, in the entry's folder: the rename is atomic, and readers never see this name.
  const temp = path.join(path.dirname(file), `${path.basename(file, ".json")}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, `${header}\n${payload}`, { flag: "wx" });
    await rename(temp, file);
    return true;
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
    return false;
  }
}

function macOf(key: string, payload: string): string {
  return createHmac("sha256", cacheSecret()).update(key).update("\n").update(payload).digest("hex");
}
