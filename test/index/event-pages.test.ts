// src/index/tui-queries.ts: keyset pages walked in either direction give exactly the search order (ties in
// event time and events without a time included), counts and positions agree with search, the histogram agrees
// with a plain GROUP BY, and the overview facts agree with caseInfo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCase, rec, tmpCasePath } from '../query/build-case.js';
import { openCase, type Db } from '../../src/index/open.js';
import { searchEventIds, type EventFilter } from '../../src/index/search.js';
import { countBefore, countMatches, cursorAtTime, pageEvents, type PageFrom } from '../../src/index/event-pages.js';
import { activity, DAY_MS, HOUR_MS, overviewDetails, overviewDetailsScan, overviewFacts } from '../../src/index/case-overview.js';
import { caseInfo } from '../../src/index/info.js';
import { sampleCase } from '../tui/helpers.js';

/** Walk the whole list page by page from one end; returns ids in newest-first order. */
function walk(db: Db, filter: EventFilter, dir: 'down' | 'up', limit: number): number[] {
  const out: number[] = [];
  let from: PageFrom = dir === 'down' ? { kind: 'top' } : { kind: 'bottom' };
  for (let guard = 0; guard < 10_000; guard++) {
    const p = pageEvents(db, filter, from, { limit });
    expect(p.rows.length).toBeLessThanOrEqual(limit);
    if (dir === 'down') out.push(...p.rows.map((r) => r.id));
    else out.unshift(...p.rows.map((r) => r.id));
    if (p.exhausted) return out;
    const edge = dir === 'down' ? p.rows[p.rows.length - 1] : p.rows[0];
    const cursor = p.resume ?? { time: edge.eventTime, id: edge.id };
    from = dir === 'down' ? { kind: 'older', cursor } : { kind: 'newer', cursor };
  }
  throw new Error('did not finish');
}

describe('keyset pages on a synthetic case (ties, untimed events)', () => {
  let db: Db;
  beforeAll(() => {
    const file = tmpCasePath();
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < 57; i++) {
      // Many events share a second; a few have no time at all.
      const t = i % 11 === 5 ? undefined : `2025-02-01T00:00:${String(Math.floor(i / 4)).padStart(2, '0')}Z`;
      records.push(rec({ eventTime: t, eventName: i % 3 === 0 ? 'StopInstances' : 'DescribeInstances', awsRegion: i % 2 ? 'us-east-1' : 'eu-west-1' }));
    }
    buildCase(file, records).close();
    db = openCase(file, { readonly: true });
  });
  afterAll(() => db.close());

  const filters: Array<[string, EventFilter]> = [
    ['everything', {}],
    ['one event name', { eventNames: ['StopInstances'] }],
    ['name and region', { eventNames: ['DescribeInstances'], regions: ['us-east-1'] }],
    ['a time range', { startMs: Date.parse('2025-02-01T00:00:03Z'), endMs: Date.parse('2025-02-01T00:00:07Z') }],
    ['a value not in the case', { eventNames: ['NoSuchCall'] }],
  ];
  for (const [name, filter] of filters) {
    for (const limit of [1, 4, 7, 100]) {
      it(`${name}, pages of ${limit}: down and up both give the search order`, () => {
        const expected = searchEventIds(db, filter, {}).ids;
        expect(walk(db, filter, 'down', limit)).toEqual(expected);
        expect(walk(db, filter, 'up', limit)).toEqual(expected);
      });
    }
    it(`${name}: counts and positions agree with search`, () => {
      const expected = searchEventIds(db, filter, {}).ids;
      expect(countMatches(db, filter)).toEqual({ count: expected.length, exact: true });
      const p = pageEvents(db, filter, { kind: 'top' }, { limit: 1000 });
      p.rows.forEach((r, i) => expect(countBefore(db, filter, { time: r.eventTime, id: r.id })).toBe(i));
    });
  }

  it('untimed events come last, newest first, as search orders them', () => {
    const top = pageEvents(db, {}, { kind: 'bottom' }, { limit: 3 });
    expect(top.rows.every((r) => r.eventTime === null)).toBe(true);
  });

  it('cursorAtTime finds the newest event at or before a time', () => {
    const c = cursorAtTime(db, {}, Date.parse('2025-02-01T00:00:05.500Z'));
    expect(c?.time).toBe(Date.parse('2025-02-01T00:00:05Z'));
    expect(cursorAtTime(db, {}, Date.parse('2024-01-01T00:00:00Z'))).not.toBeNull(); // untimed events follow every time
  });
});

describe('text filters read bodies within a budget and resume', () => {
  it('pages with a tiny scan budget still give the search order', () => {
    const file = sampleCase();
    const db = openCase(file, { readonly: true });
    try {
      const filter: EventFilter = { text: ['consolelogin'], regions: ['us-east-1'] };
      const expected = searchEventIds(db, filter, {}).ids;
      expect(expected.length).toBeGreaterThan(0);
      const out: number[] = [];
      let from: PageFrom = { kind: 'top' };
      let resumed = 0;
      for (let guard = 0; guard < 100_000; guard++) {
        const p = pageEvents(db, filter, from, { limit: 5, scanBudget: 50 });
        out.push(...p.rows.map((r) => r.id));
        if (p.exhausted) break;
        if (p.resume) resumed++;
        const last = p.rows[p.rows.length - 1];
        from = { kind: 'older', cursor: p.resume ?? { time: last.eventTime, id: last.id } };
      }
      expect(out).toEqual(expected);
      expect(resumed).toBeGreaterThan(0);
      const c = countMatches(db, filter);
      expect(c.exact).toBe(false);
      expect(c.count).toBeGreaterThanOrEqual(expected.length);
    } finally {
      db.close();
    }
  });
});

describe('on the bundled sample', () => {
  let db: Db;
  beforeAll(() => {
    db = openCase(sampleCase(), { readonly: true });
  });
  afterAll(() => db?.close());

  it('activity per hour and per day equals a GROUP BY over the events, for filters too', () => {
    for (const filter of [{}, { accessKeys: ['AKIAXXXXXXXXXXXXXXXX'] }, { regions: ['eu-west-1'], eventSources: ['s3.amazonaws.com'] }] as EventFilter[]) {
      const ids = searchEventIds(db, filter, {}).ids;
      for (const unit of [HOUR_MS, DAY_MS]) {
        const expected = new Map<number, number>();
        const times = db.prepare(`SELECT event_time FROM events WHERE id IN (${ids.join(',') || 'NULL'}) AND event_time IS NOT NULL`).pluck().all() as number[];
        for (const t of times) {
          const b = Math.floor(t / unit) * unit;
          expected.set(b, (expected.get(b) ?? 0) + 1);
        }
        const got = activity(db, { ...filter, startMs: 1, endMs: 2 }, unit); // the time range is ignored
        expect(got).toEqual([...expected.entries()].sort((a, b) => a[0] - b[0]).map(([start, count]) => ({ start, count })));
      }
    }
  });

  it('overview facts agree with caseInfo', () => {
    const info = caseInfo(db);
    const f = overviewFacts(db);
    const d = overviewDetails(db);
    expect(f.events).toBe(info.events);
    expect(f.accounts).toEqual(info.accounts);
    expect(f.regions).toEqual(info.regions);
    expect(d.accounts.map((a) => a.value).sort()).toEqual(info.accounts);
    expect(d.accounts.reduce((n, a) => n + a.events, 0)).toBe(info.events);
    expect(d.regions.reduce((n, a) => n + a.events, 0)).toBe(info.events);
    for (const a of d.accounts) expect(a.events).toBe(searchEventIds(db, { accounts: [a.value] }).ids.length);
    // Chunked the same as whole.
    const scan = overviewDetailsScan(db, 97);
    let steps = 0;
    while (!scan.step()) steps++;
    expect(steps).toBeGreaterThan(10);
    expect(scan.result()).toEqual(d);
    expect(new Date(f.firstTime!).toISOString().replace('.000Z', 'Z')).toBe(info.timeRange.start);
    expect(f.sources).toEqual(info.sources);
    expect(d.categories).toEqual(info.categories);
    expect(d.partialEvents).toBe(info.partialEvents);
    expect(d.conflicts).toBe(info.conflicts);
  });
});
