// The list model: moving row by row and page by page over the whole list visits exactly the search order, memory
// stays bounded (rows are dropped far from the selection), and positions stay right after jumps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { searchEventIds, type EventFilter } from '../../src/index/search.js';
import { EventListModel, caseListSource } from '../../src/tui/list-model.js';
import { sampleCase } from './helpers.js';

describe('EventListModel on the sample', () => {
  let db: Db;
  beforeAll(() => {
    db = openCase(sampleCase(), { readonly: true });
  });
  afterAll(() => db?.close());
  const VIEW = 10;

  for (const [name, filter] of [
    ['everything', {}],
    ['the stolen key', { accessKeys: ['AKIAXXXXXXXXXXXXXXXX'] }],
    ['a text filter', { text: ['AuthorizeSecurityGroupIngress'] }],
  ] as Array<[string, EventFilter]>) {
    it(`${name}: down row by row, then up, visits the search order with bounded memory`, () => {
      const expected = searchEventIds(db, filter, {}).ids;
      const m = new EventListModel(caseListSource(db, filter), { pageSize: 25, maxRows: 60, scanBudget: 400 });
      m.loadTop();
      while (m.needsMore(VIEW)) m.step();
      m.loadCount();
      const seen: number[] = [m.selected()!.id];
      let maxRows = 0;
      for (let i = 1; i < expected.length + 5; i++) {
        m.move(1, VIEW);
        while (m.needsMore(VIEW)) m.step();
        maxRows = Math.max(maxRows, m.rows.length);
        if (m.selected()!.id !== seen[seen.length - 1]) seen.push(m.selected()!.id);
        if (filter.text === undefined) expect(m.position()).toBe(seen.length);
      }
      expect(seen).toEqual(expected);
      expect(maxRows).toBeLessThanOrEqual(60 + 25);
      const up: number[] = [m.selected()!.id];
      for (let i = 1; i < expected.length + 5; i++) {
        m.move(-1, VIEW);
        if (m.selected()!.id !== up[up.length - 1]) up.push(m.selected()!.id);
      }
      expect(up.reverse()).toEqual(expected);
      expect(m.sel - m.top).toBeGreaterThanOrEqual(0);
      expect(m.sel - m.top).toBeLessThan(VIEW);
    });
  }

  it('pages, end and home keep positions; the end is the oldest match', () => {
    const expected = searchEventIds(db, {}, {}).ids;
    const m = new EventListModel(caseListSource(db, {}), { pageSize: 50, maxRows: 200 });
    m.loadTop();
    m.loadCount();
    for (let i = 0; i < 30; i++) m.move(VIEW, VIEW);
    expect(m.position()).toBe(301);
    expect(m.selected()!.id).toBe(expected[300]);
    m.loadBottom(VIEW);
    expect(m.selected()!.id).toBe(expected[expected.length - 1]);
    expect(m.position()).toBe(expected.length);
    m.move(-VIEW * 3, VIEW);
    expect(m.selected()!.id).toBe(expected[expected.length - 1 - VIEW * 3]);
    expect(m.position()).toBe(expected.length - VIEW * 3);
    m.loadTop();
    expect(m.position()).toBe(1);
  });

  it('jumping to a time selects the newest event at or before it, with rows above to scroll to', () => {
    const expected = searchEventIds(db, {}, {}).ids;
    const rows = db.prepare('SELECT id, event_time FROM events').all() as Array<{ id: number; event_time: number }>;
    const t = Date.parse('2025-02-12T12:00:00Z');
    const target = expected.find((id) => rows.find((r) => r.id === id)!.event_time <= t)!;
    const m = new EventListModel(caseListSource(db, {}), { pageSize: 40 });
    m.loadAt(t, VIEW);
    expect(m.selected()!.id).toBe(target);
    expect(m.position()).toBe(expected.indexOf(target) + 1);
    m.move(-1, VIEW);
    expect(m.selected()!.id).toBe(expected[expected.indexOf(target) - 1]);
  });
});
