/**
 * The workspace model's name maps (flow name → declarations, node id → node), which every edit
 * copies: a snapshot never changes, so the join writes the edited file's names into a copy. A
 * `Map` copy costs a hash insertion per entry (7 ms for the 28,000 names of a 2,000-file
 * workspace, a fifth of an edit's analysis). This map keeps its keys, in insertion order, in a
 * list and an index that copies share, and its values in an array that `fork()` copies with one
 * slice: overwriting a key of a copy touches the copy only. Adding a key to a copy copies the
 * keys first (the join rebuilds the maps when names come or go, so that is rare); there is no
 * `delete`, for the same reason.
 */
export class ForkableMap<K, V> implements ReadonlyMap<K, V> {
  private keyList: K[] = [];
  private slots = new Map<K, number>();
  private valueList: V[] = [];
  /** False once a fork shares `keyList` and `slots`: the next new key copies them. */
  private ownsKeys = true;

  get size(): number {
    return this.keyList.length;
  }

  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.valueList[slot];
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  set(key: K, value: V): this {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      this.valueList[slot] = value;
      return this;
    }
    if (!this.ownsKeys) {
      this.keyList = [...this.keyList];
      this.slots = new Map(this.slots);
      this.ownsKeys = true;
    }
    this.slots.set(key, this.keyList.length);
    this.keyList.push(key);
    this.valueList.push(value);
    return this;
  }

  /** A copy to change without changing this one. */
  fork(): ForkableMap<K, V> {
    const copy = new ForkableMap<K, V>();
    copy.keyList = this.keyList;
    copy.slots = this.slots;
    copy.valueList = this.valueList.slice();
    copy.ownsKeys = false;
    this.ownsKeys = false;
    return copy;
  }

  // Array iterators, not generators: the checks spread and filter these maps on every join.
  keys(): MapIterator<K> {
    return this.keyList.values();
  }

  values(): MapIterator<V> {
    return this.valueList.values();
  }

  entries(): MapIterator<[K, V]> {
    return this.keyList.map((key, i): [K, V] => [key, this.valueList[i]!]).values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(each: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.keyList.length; i++) each.call(thisArg, this.valueList[i]!, this.keyList[i]!, this);
  }
}
