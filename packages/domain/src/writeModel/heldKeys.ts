/**
 * The unique keys (see outputKeys) held by the rows of an output table: which row holds a key, and which key a row
 * holds. Each row holds at most one key and each key is held by at most one row.
 *
 * Kept in typed arrays, not a Map of strings: a write process caches every project it writes to, and a Map held
 * three heap objects per key (the key, built as a concatenation, its prefix and its id) — 2.5 million objects of
 * the 3.1 million on the heap at 1,000 projects of 1,000 outputs, which every full garbage collection marked while
 * queries waited (the benchmark row "project, right after the writes"). Here the key text is bytes in one pool
 * (one per code unit; a key with a code unit beyond U+00FF is kept as a string beside it), found through an
 * open-addressing index by a hash of the text, and compared in full, so lookups are exact: a hash collision costs a
 * probe, never a wrong answer.
 */
export interface HeldKeys {
  /** The row holding `key`, if one does. */
  rowOf(key: string): number | undefined;
  /** The key `row` holds, if any. */
  keyOf(row: number): string | undefined;
  /** Makes `row` hold `key` (undefined: none), releasing what it held; a row that held `key` before loses it. */
  hold(row: number, key: string | undefined): void;
  readonly size: number;
  /** Every held key with its row, by row. */
  entries(): IterableIterator<[string, number]>;
}

const free = 0;
const released = -1; // a slot whose key was released: lookups probe past it, inserts may reuse it

function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createHeldKeys(): HeldKeys {
  let pool = new Uint8Array(256);
  let used = 0;
  const wide = new Map<number, string>(); // row → a key the pool cannot hold
  // Per row: where its key's text starts in the pool, and its length (-1: holds none).
  let starts = new Int32Array(16);
  let lengths = new Int32Array(16).fill(-1);
  let slots = new Int32Array(32); // row + 1, or free, or released
  let taken = 0; // slots not free (held and released): the index is rehashed before it is half taken
  let held = 0;

  const textOf = (row: number): string => {
    const beside = wide.get(row);
    if (beside !== undefined) return beside;
    const start = starts[row]!;
    const end = start + lengths[row]!;
    let text = '';
    // In chunks: fromCharCode takes its code units as arguments.
    for (let i = start; i < end; i += 4096) text += String.fromCharCode(...pool.subarray(i, Math.min(end, i + 4096)));
    return text;
  };

  const holds = (row: number, key: string): boolean => {
    if (lengths[row] !== key.length) return false;
    const beside = wide.get(row);
    if (beside !== undefined) return beside === key;
    const start = starts[row]!;
    for (let i = 0; i < key.length; i++) if (pool[start + i] !== key.charCodeAt(i)) return false;
    return true;
  };

  /** The slot holding `key`'s row, or -1. */
  function slotOfKey(key: string): number {
    const mask = slots.length - 1;
    for (let i = hashOf(key) & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === free) return -1;
      if (s > 0 && holds(s - 1, key)) return i;
    }
  }

  function place(row: number, hash: number): void {
    const mask = slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === free || s === released) {
        if (s === free) taken++;
        slots[i] = row + 1;
        return;
      }
    }
  }

  function rehash(): void {
    let size = 32;
    while (size < 4 * (held + 1)) size *= 2;
    slots = new Int32Array(size);
    taken = 0;
    for (let row = 0; row < lengths.length; row++) if (lengths[row]! >= 0) place(row, hashOf(textOf(row)));
  }

  function release(row: number): void {
    if (row >= lengths.length || lengths[row]! < 0) return;
    slots[slotOfKey(textOf(row))] = released;
    lengths[row] = -1;
    wide.delete(row);
    held--;
  }

  function ensureRow(row: number): void {
    if (row < lengths.length) return;
    let size = lengths.length;
    while (size <= row) size *= 2;
    const grownStarts = new Int32Array(size);
    grownStarts.set(starts);
    starts = grownStarts;
    const grownLengths = new Int32Array(size).fill(-1);
    grownLengths.set(lengths);
    lengths = grownLengths;
  }

  /** Puts `key`'s text in the pool and says where it starts (-1: it is kept beside, in `wide`). */
  function append(key: string): number {
    for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return -1;
    if (used + key.length > pool.length) {
      // Grown by half, not doubled: the pool is most of a cached project's memory.
      let size = pool.length;
      while (size < used + key.length) size = Math.ceil(size * 1.5);
      const grown = new Uint8Array(size);
      grown.set(pool.subarray(0, used));
      pool = grown;
    }
    const start = used;
    for (let i = 0; i < key.length; i++) pool[used++] = key.charCodeAt(i);
    return start;
  }

  function rowOf(key: string): number | undefined {
    const slot = slotOfKey(key);
    return slot < 0 ? undefined : slots[slot]! - 1;
  }

  return {
    rowOf,
    keyOf: (row) => (row < lengths.length && lengths[row]! >= 0 ? textOf(row) : undefined),
    hold(row, key) {
      if (key !== undefined && row < lengths.length && holds(row, key)) return;
      release(row);
      if (key === undefined) return;
      const holder = rowOf(key);
      if (holder !== undefined) release(holder);
      ensureRow(row);
      // The text of released keys stays in the pool: they come from corrections and retractions, which are rare.
      starts[row] = append(key);
      if (starts[row] === -1) wide.set(row, key);
      lengths[row] = key.length;
      held++;
      if (2 * (taken + 1) > slots.length) rehash();
      else place(row, hashOf(key));
    },
    get size() {
      return held;
    },
    *entries() {
      for (let row = 0; row < lengths.length; row++) if (lengths[row]! >= 0) yield [textOf(row), row];
    },
  };
}
