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

export class EventBatchBuilder {
  private strings: string[] = [];
  private dict = new Map<string, number>();
  private cols: number[] = [];
  private texts: Array<string | null> = [];
  private bools: number[] = [];
  private times: number[] = [];
  private ints: number[] = [];
  private hashes: number[] = [];
  private resStart: number[] = [0];
  private res: number[] = [];
  private n = 0;

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
    for (const k of STRING_KEYS) this.cols.push(this.sid(cols[k] as string | null));
    for (const k of TEXT_KEYS) this.texts.push(cols[k] as string | null);
    for (const k of BOOL_KEYS) {
      const v = cols[k] as boolean | null;
      this.bools.push(v === null ? -1 : v ? 1 : 0);
    }
    this.times.push(cols.eventTime ?? NaN);
    this.ints.push(meta.index, meta.offset ?? -1, meta.length ?? -1, meta.flags);
    for (let i = 0; i < 16; i++) this.hashes.push(meta.hash[i]);
    for (const r of resources) this.res.push(this.sid(r.type), this.sid(r.name));
    this.resStart.push(this.res.length / 2);
    this.n++;
  }

  /** The batch so far; the builder starts empty again. */
  take(): EventBatch {
    const b: EventBatch = {
      count: this.n,
      strings: this.strings,
      cols: Int32Array.from(this.cols),
      texts: this.texts,
      bools: Int8Array.from(this.bools),
      times: Float64Array.from(this.times),
      ints: Int32Array.from(this.ints),
      hashes: Uint8Array.from(this.hashes),
      resStart: Int32Array.from(this.resStart),
      res: Int32Array.from(this.res),
    };
    this.strings = [];
    this.dict = new Map();
    this.cols = [];
    this.texts = [];
    this.bools = [];
    this.times = [];
    this.ints = [];
    this.hashes = [];
    this.resStart = [0];
    this.res = [];
    this.n = 0;
    return b;
  }
}

export function emptyBatch(): EventBatch {
  return new EventBatchBuilder().take();
}
