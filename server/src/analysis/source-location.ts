/**
 * Where something sits in a file. Lines and characters are 0-based, as in LSP; the CLI and the
 * graph JSON add 1 when they print them.
 */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A span of one file: offsets (for lookups by position) and the same span as a range. */
export interface Loc {
  start: number;
  end: number;
  range: Range;
}

/** A span in a named file. `file` is an absolute path. */
export interface FileLoc {
  file: string;
  loc: Loc;
}

export function containsOffset(loc: Loc, offset: number): boolean {
  return offset >= loc.start && offset <= loc.end;
}

export function compareLocs(a: FileLoc, b: FileLoc): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.loc.start - b.loc.start;
}
