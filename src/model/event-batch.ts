// A batch of parsed events as the parser threads hand them to the writer: columnar, with a batch-local
// string dictionary, so that a batch crosses threads as a few typed arrays (cheap to copy, little
// garbage) and the writer resolves each distinct string once per batch instead of once per event.
// The layout follows the column registry (event-columns.ts): one slot per column of each kind.

import type { EventColumns } from './types.js';
import { columnsOfKind } from './event-columns.js';

/** Columns held as batch-dictionary indices (-1 = null), in registry order. */
export const STRING_KEYS = columnsOfKind('string').map((c) => c.key);
/** Columns held as text (identifiers and free text), in registry order. */
export const TEXT_KEYS = [...columnsOfKind('id'), ...columnsOfKind('text')].map((c) => c.key);
/** Columns held as -1 (null), 0 or 1, in registry order. */
export const BOOL_KEYS = columnsOfKind('bool').map((c) => c.key);

export const N_STR = STRING_KEYS.length;
export const N_TEXT = TEXT_KEYS.length;
export const N_BOOL = BOOL_KEYS.length;
/** Per-event integers: record index, byte offset (-1 = unknown), byte length (-1), flags. */
export const N_INT = 4;

export interface EventBatch {
  count: number;
  strings: string[];
  /** count × N_STR indices into `strings` (-1 = null). */
  cols: Int32Array;
  /** count × N_TEXT values (TEXT_KEYS order). */
  texts: Array<string | null>;
  /** count × N_BOOL: -1 (null), 0, 1 (BOOL_KEYS order). */
  bools: Int8Array;
  /** eventTime in ms (NaN = none). */
  times: Float64Array;
  /** count × N_INT: index, offset, length, flags. */
  ints: Int32Array;
  /** count × 16 bytes of content hash. */
  hashes: Uint8Array;
  /** Resource pairs of event i are res[resStart[i] .. resStart[i+1]) as (type, name) string indices. */
  resStart: Int32Array;
  res: Int32Array;
}

/** A typed array that grows by doubling (the builder's columns: no boxed numbers, no copy per event). */
class Growing<T extends Int32Array | Int8Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}

  /** Room for `n` more values; returns the offset to write them at. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.data.length) {
      const next = this.make(Math.max(this.data.length * 2, at + n));
      next.set(this.data.subarray(0, at));
      this.data = next;
    }
    this.length = at + n;
    return at;
  }

  /** The values written so far, in an array of their own. */
  take(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const int32 = (n: number): Int32Array => new Int32Array(n);
const int8 = (n: number): Int8Array => new Int8Array(n);
const float64 = (n: number): Float64Array => new Float64Array(n);
const bytes = (n: number): Uint8Array => new Uint8Array(n);

export class EventBatchBuilder {
  private strings: string[] = [];
  private dict = new Map<string, number>();
  // Room for 32 events to start with (a busy account's log file holds 20-40 records); columns double as they fill.
  private cols = new Growing(int32(N_STR * 32), int32);
  private texts: Array<string | null> = [];
  private bools = new Growing(int8(N_BOOL * 32), int8);
  private times = new Growing(float64(32), float64);
  private ints = new Growing(int32(N_INT * 32), int32);
  private hashes = new Growing(bytes(16 * 32), bytes);
  private resStart = new Growing(int32(33), int32);
  private res = new Growing(int32(64), int32);
  private n = 0;

  constructor() {
    this.resStart.data[0] = 0;
    this.resStart.reserve(1);
  }

  get count(): number {
    return this.n;
  }

  private sid(v: string | null): number {
    if (v === null) return -1;
    let i = this.dict.get(v);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(v);
      this.dict.set(v, i);
    }
    return i;
  }

  add(
    cols: EventColumns,
    meta: { index: number; offset: number | null; length: number | null; flags: number; hash: Uint8Array },
    resources: ReadonlyArray<{ type: string; name: string }>,
  ): void {
    let at = this.cols.reserve(N_STR);
    const c = this.cols.data;
    for (const k of STRING_KEYS) c[at++] = this.sid(cols[k] as string | null);
    for (const k of TEXT_KEYS) this.texts.push(cols[k] as string | null);
    at = this.bools.reserve(N_BOOL);
    const b = this.bools.data;
    for (const k of BOOL_KEYS) {
      const v = cols[k] as boolean | null;
      b[at++] = v === null ? -1 : v ? 1 : 0;
    }
    // reserve() may replace .data: always reserve first, then read .data.
    at = this.times.reserve(1);
    this.times.data[at] = cols.eventTime ?? NaN;
    at = this.ints.reserve(N_INT);
    const i = this.ints.data;
    i[at] = meta.index;
    i[at + 1] = meta.offset ?? -1;
    i[at + 2] = meta.length ?? -1;
    i[at + 3] = meta.flags;
    at = this.hashes.reserve(16);
    this.hashes.data.set(meta.hash.subarray(0, 16), at);
    if (resources.length > 0) {
      at = this.res.reserve(2 * resources.length);
      const r = this.res.data;
      for (const x of resources) {
        r[at++] = this.sid(x.type);
        r[at++] = this.sid(x.name);
      }
    }
    at = this.resStart.reserve(1);
    this.resStart.data[at] = this.res.length / 2;
    this.n++;
  }

  /** The batch so far; the builder starts empty again. */
  take(): EventBatch {
    const b: EventBatch = {
      count: this.n,
      strings: this.strings,
      cols: this.cols.take(),
      texts: this.texts,
      bools: this.bools.take(),
      times: this.times.take(),
      ints: this.ints.take(),
      hashes: this.hashes.take(),
      resStart: this.resStart.take(),
      res: this.res.take(),
    };
    this.strings = [];
    this.dict = new Map();
    this.texts = [];
    for (const g of [this.cols, this.bools, this.times, this.ints, this.hashes, this.resStart, this.res]) g.length = 0;
    this.resStart.data[0] = 0;
    this.resStart.reserve(1);
    this.n = 0;
    return b;
  }
}

export function emptyBatch(): EventBatch {
  return {
    count: 0, strings: [], cols: new Int32Array(0), texts: [], bools: new Int8Array(0), times: new Float64Array(0), ints: new Int32Array(0),
    hashes: new Uint8Array(0), resStart: Int32Array.of(0), res: new Int32Array(0),
  };
}
