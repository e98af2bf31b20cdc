// Filters that help: event names and sources ignoring case (bare service names too) without losing the index, and
// the case's closest values when a name is not in the case (docs/search.md "When nothing matches").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { buildSearch, distinctColumnIds, searchEvents, type EventFilter } from '../../src/index/search.js';
import { caseValues, closestValues, describeSuggestion, editDistance, suggestFilterValues } from '../../src/index/suggest.js';
import { buildCase, rec, tmpCasePath } from './build-case.js';

const names = ['RunInstances', 'StopInstances', 'DescribeInstances', 'CreateUser', 'ConsoleLogin'];
const sources = ['ec2.amazonaws.com', 'ec2.amazonaws.com', 'ec2.amazonaws.com', 'iam.amazonaws.com', 'signin.amazonaws.com'];
const records: Record<string, unknown>[] = [];
for (let i = 0; i < 500; i++) {
  const k = i % 5;
  records.push(
    rec({
      eventTime: new Date(Date.UTC(2025, 1, 1) + i * 60_000).toISOString().replace('.000Z', 'Z'),
      eventName: names[k],
      eventSource: sources[k],
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${i % 2 ? 'm.keller' : 'j.doe'}`, accountId: '123456789012', userName: i % 2 ? 'm.keller' : 'j.doe' },
    }),
  );
}

let db: Db;
beforeAll(() => {
  const file = tmpCasePath();
  buildCase(file, records).close();
  db = openCase(file, { readonly: true });
});
afterAll(() => db?.close());

const count = (f: EventFilter): number => searchEvents(db, f).rows.length;

describe('edit distance and closest values', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(editDistance('runinstance', 'runinstances')).toBe(1);
    expect(editDistance('RnuInstances', 'RunInstances')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('ranks the same text in another case first, then distance ≤ 2, then prefix and substring; at most 5', () => {
    expect(closestValues('runinstance', names)).toEqual(['RunInstances']);
    expect(closestValues('instances', names)).toEqual(['RunInstances', 'StopInstances', 'DescribeInstances']);
    expect(closestValues('M.Keller', ['m.keller', 'j.doe'])).toEqual(['m.keller']);
    expect(closestValues('zzz', names)).toEqual([]);
    expect(closestValues('a', ['ab', 'ac', 'ad', 'ae', 'af', 'ag'])).toHaveLength(5);
  });
});

describe('case-insensitive event names and sources (search matching: foldCase)', () => {
  it('finds event names and sources whatever their case; a bare service name means <name>.amazonaws.com', () => {
    expect(count({ eventNames: ['runinstances'], foldCase: true })).toBe(100);
    expect(count({ eventNames: ['RUNINSTANCES', 'stopinstances'], foldCase: true })).toBe(200);
    expect(count({ eventSources: ['ec2'], foldCase: true })).toBe(300);
    expect(count({ eventSources: ['EC2.AmazonAWS.com'], foldCase: true })).toBe(300);
    expect(count({ eventSources: ['IAM'], foldCase: true })).toBe(100);
  });
  it('stays exact without foldCase (lookup-events keeps AWS behaviour)', () => {
    expect(count({ eventNames: ['runinstances'] })).toBe(0);
    expect(count({ eventSources: ['ec2'] })).toBe(0);
    expect(count({ eventNames: ['RunInstances'] })).toBe(100);
  });
  it('keeps the index: the folded lookup still drives events_name / events_source with an IN list of ids', () => {
    const cases: [EventFilter, string][] = [
      [{ eventNames: ['runinstances'], foldCase: true }, 'events_name'],
      [{ eventSources: ['ec2'], foldCase: true }, 'events_source'],
    ];
    for (const [f, idx] of cases) {
      const q = buildSearch(db, f, { limit: 100 });
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql} LIMIT 100`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX ${idx}`));
      expect(plan).not.toMatch(/SCAN (e|events)$/m);
    }
  });
  it('reads a column\'s distinct values with one index seek per value', () => {
    expect(distinctColumnIds(db, 'event_name', 'events_name')).toHaveLength(5);
    expect(caseValues(db, 'event-source').sort()).toEqual(['ec2.amazonaws.com', 'iam.amazonaws.com', 'signin.amazonaws.com']);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT event_name FROM events INDEXED BY events_name WHERE event_name IS NOT NULL AND event_name > ? ORDER BY event_name LIMIT 1').all(0) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH events USING COVERING INDEX events_name \(event_name>\?\)/);
  });
});

describe('suggestions from the case', () => {
  const exactly = (_o: string, v: string, known: readonly string[]): boolean => known.includes(v);
  it('names the closest values for every given value the case does not hold', () => {
    const s = suggestFilterValues(db, { 'event-name': ['runinstance', 'StopInstances'], user: ['M.Keller'] }, exactly);
    expect(s).toEqual([
      { option: 'event-name', given: 'runinstance', closest: ['RunInstances'] },
      { option: 'user', given: 'M.Keller', closest: ['m.keller'] },
    ]);
    expect(describeSuggestion(s[0])).toBe('did you mean --event-name RunInstances? (the case\'s event names closest to "runinstance")');
    expect(describeSuggestion({ option: 'event-name', given: 'instances', closest: ['RunInstances', 'StopInstances'] })).toBe(
      'did you mean --event-name RunInstances (or StopInstances)? (the case\'s event names closest to "instances")',
    );
    expect(describeSuggestion({ option: 'user', given: 'zz', closest: [] })).toBeNull();
    expect(suggestFilterValues(db, { 'event-source': ['ec3'] }, exactly)).toEqual([{ option: 'event-source', given: 'ec3', closest: ['ec2.amazonaws.com'] }]);
  });
});
