import type { Row } from "./rows";

export interface Page<T> {
  items: T[];
  size: number;
}

export type WithMode<P> = P & { mode: "full" | "delta" };

export interface Keyed<K> {
  id: K;
}

// A default that names the parameter before it.
export interface Window<Unit = "day" | "hour", Span = { every: Unit }> {
  unit: Unit;
  skip?: Span;
}

export type RowPage = Page<Row>;

// Recursive: read to where it repeats, and open from there.
export interface Tree<T> {
  value: T;
  children?: Tree<T>[];
}

// A mapped type is not read: it accepts anything.
export type Loose<T> = { [K in keyof T]: T[K] };
