/**
 * A file host that remembers every question asked of it and the answer: what module resolution
 * read of the file system (files that exist or not, package.json and tsconfig texts, folders,
 * links). If every question gets the same answer again, resolving the same imports gives the
 * same results: that is what lets `resolution-cache.ts` reuse them without the compiler.
 */
import { createHash } from "node:crypto";
import type { FileHost } from "./file-host.js";

/** One question (`kind` and path, joined by a NUL) and its answer, as a string. */
export type HostAnswer = [question: string, answer: string];

const FILE = "f";
const READ = "r";
const DIRECTORY = "d";
const SUBDIRECTORIES = "s";
const REALPATH = "p";

export class RecordingFileHost implements FileHost {
  private readonly answers = new Map<string, string>();
  readonly directoryExists?: (dir: string) => boolean;
  readonly subdirectories?: (dir: string) => string[];
  readonly realpath?: (file: string) => string;

  constructor(private readonly inner: FileHost) {
    if (inner.directoryExists) this.directoryExists = (dir) => this.note(DIRECTORY, dir, inner.directoryExists!(dir), flag);
    if (inner.subdirectories) this.subdirectories = (dir) => this.note(SUBDIRECTORIES, dir, inner.subdirectories!(dir), (names) => names.join("\0"));
    if (inner.realpath) this.realpath = (file) => this.note(REALPATH, file, inner.realpath!(file), (real) => real);
  }

  fileExists(file: string): boolean {
    return this.note(FILE, file, this.inner.fileExists(file), flag);
  }

  readFile(file: string): string | undefined {
    return this.note(READ, file, this.inner.readFile(file), digest);
  }

  /** Forget the questions asked so far. */
  reset(): void {
    this.answers.clear();
  }

  /** Every question asked so far, with its latest answer. */
  recorded(): HostAnswer[] {
    return [...this.answers];
  }

  private note<T>(kind: string, path: string, answer: T, encode: (answer: T) => string): T {
    this.answers.set(`${kind}\0${path}`, encode(answer));
    return answer;
  }
}

/** Whether `host` answers every recorded question as it was answered then. */
export function answersHold(answers: readonly HostAnswer[], host: FileHost): boolean {
  for (const [question, answer] of answers) {
    const split = question.indexOf("\0");
    if (split < 0) return false;
    const kind = question.slice(0, split);
    const path = question.slice(split + 1);
    let now: string | undefined;
    if (kind === FILE) now = flag(host.fileExists(path));
    else if (kind === READ) now = digest(host.readFile(path));
    else if (kind === DIRECTORY && host.directoryExists) now = flag(host.directoryExists(path));
    else if (kind === SUBDIRECTORIES && host.subdirectories) now = host.subdirectories(path).join("\0");
    else if (kind === REALPATH && host.realpath) now = host.realpath(path);
    if (now !== answer) return false;
  }
  return true;
}

function flag(value: boolean): string {
  return value ? "1" : "0";
}

function digest(text: string | undefined): string {
  return text === undefined ? "-" : createHash("sha256").update(text).digest("base64");
}
