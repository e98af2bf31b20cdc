// The columnar batch the parser threads hand to the writer: whatever the number of events (its typed columns grow as
// they fill), every value added comes back at its place, and a builder starts empty again after take().
import { describe, expect, it } from 'vitest';
import { BOOL_KEYS, EventBatchBuilder, N_BOOL, N_INT, N_STR, N_TEXT, STRING_KEYS, TEXT_KEYS } from '../../src/model/event-batch.js';
import type { EventColumns } from '../../src/model/types.js';

function columns(i: number): EventColumns {
  const c: Record<string, unknown> = {};
  for (const k of STRING_KEYS) c[k] = i % 5 === 0 ? null : `${k}-${i % 7}`;
  for (const k of TEXT_KEYS) c[k] = i % 3 === 0 ? null : `${k}-${i}`;
  for (const k of BOOL_KEYS) c[k] = i % 4 === 0 ? null : i % 2 === 0;
  c.eventTime = i % 11 === 0 ? null : 1_700_000_000_000 + i;
  return c as unknown as EventColumns;
}

describe('EventBatchBuilder', () => {
  it('keeps every value of thousands of events, with their resources, across growth and take()', () => {
    const b = new EventBatchBuilder();
    for (const round of [0, 1]) {
      const n = 1500 + round;
      for (let i = 0; i < n; i++) {
        const hash = Uint8Array.from({ length: 16 }, (_, k) => (i + k) & 255);
        const res = Array.from({ length: i % 4 }, (_, r) => ({ type: `AWS::T::${r}`, name: `name-${i}-${r}` }));
        b.add(columns(i), { index: i, offset: i % 9 === 0 ? null : i * 100, length: i % 9 === 0 ? null : 99, flags: i & 7, hash }, res);
      }
      const batch = b.take();
      expect(batch.count).toBe(n);
      for (let i = 0; i < n; i++) {
        const want = columns(i) as unknown as Record<string, unknown>;
        STRING_KEYS.forEach((k, s) => expect(want[k] === null ? null : batch.strings[batch.cols[i * N_STR + s]]).toBe(want[k]));
        TEXT_KEYS.forEach((k, s) => expect(batch.texts[i * N_TEXT + s]).toBe(want[k]));
        BOOL_KEYS.forEach((k, s) => expect(batch.bools[i * N_BOOL + s]).toBe(want[k] === null ? -1 : want[k] ? 1 : 0));
        expect(Number.isNaN(batch.times[i]) ? null : batch.times[i]).toBe(want.eventTime);
        expect([...batch.ints.subarray(i * N_INT, i * N_INT + N_INT)]).toEqual([i, i % 9 === 0 ? -1 : i * 100, i % 9 === 0 ? -1 : 99, i & 7]);
        expect([...batch.hashes.subarray(i * 16, i * 16 + 16)]).toEqual(Array.from({ length: 16 }, (_, k) => (i + k) & 255));
        const res = [];
        for (let r = batch.resStart[i]; r < batch.resStart[i + 1]; r++) res.push({ type: batch.strings[batch.res[2 * r]], name: batch.strings[batch.res[2 * r + 1]] });
        expect(res).toEqual(Array.from({ length: i % 4 }, (_, r) => ({ type: `AWS::T::${r}`, name: `name-${i}-${r}` })));
      }
      expect(batch.resStart[0]).toBe(0);
      expect(batch.resStart).toHaveLength(n + 1);
    }
    expect(b.take().count).toBe(0);
  });
});
