/**
 * The check service's memory of the workspace's texts: a file whose size, modification and change
 * times and inode are those it had when it was read is not read again. The service's discovery
 * reads every candidate file through it, so a check of an unchanged workspace reads no text.
 */
import { readFileSync, statSync, type Stats } from "node:fs";

interface Remembered {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  text: string;
}

export class FileTextMemo {
  private readonly texts = new Map<string, Remembered>();
  private reads = 0;

  /** The text of `file` ("" when it cannot be read, as discovery takes it). */
  readonly read = (file: string): Promise<string> => Promise.resolve(this.textOf(file));

  textOf(file: string): string {
    let info: Stats;
    try {
      info = statSync(file);
    } catch {
      this.texts.delete(file);
      return "";
    }
    const known = this.texts.get(file);
    if (known && known.size === info.size && known.mtimeMs === info.mtimeMs && known.ctimeMs === info.ctimeMs && known.ino === info.ino) return known.text;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      this.texts.delete(file);
      return "";
    }
    this.reads++;
    this.texts.set(file, { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, text });
    return text;
  }

  /** How many texts were read from disk so far (the rest came from memory). */
  get readCount(): number {
    return this.reads;
  }
}
