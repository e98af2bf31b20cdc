// Event-ID prefixes (issue 14): a range scan of the packed 16-byte form for UUID prefixes, of the text form for
// other ids; case-insensitive for UUIDs; never a scan of the events table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { eventRowIdsByPrefix, resolveEventId, eventIdOfRow } from '../../src/index/bodies.js';
import { uuidPrefixRange } from '../../src/index/ids.js';
import { buildCase, rec, tmpCasePath } from '../query/build-case.js';

describe('uuidPrefixRange', () => {
  it('gives [lo, hi) on the packed bytes, odd digit counts and carries included', () => {
    expect(uuidPrefixRange('30b97dce')).toEqual({ lo: Buffer.from('30b97dce', 'hex'), hi: Buffer.from('30b97dcf', 'hex') });
    expect(uuidPrefixRange('30b97dce-5')).toEqual({ lo: Buffer.from('30b97dce50', 'hex'), hi: Buffer.from('30b97dce60', 'hex') });
    expect(uuidPrefixRange('30b97dff')).toEqual({ lo: Buffer.from('30b97dff', 'hex'), hi: Buffer.from('30b97e', 'hex') }); // the carry shortens it: still the first id after the range
    expect(uuidPrefixRange('ffffffff')).toEqual({ lo: Buffer.from('ffffffff', 'hex'), hi: null });
  });
  it('refuses what cannot begin a lowercase UUID', () => {
    expect(uuidPrefixRange('30B97DCE')).toBeNull();
    expect(uuidPrefixRange('30b97dce5')).toBeNull(); // the 9th character of a UUID is a hyphen
    expect(uuidPrefixRange('evt-0001')).toBeNull();
    expect(uuidPrefixRange('')).toBeNull();
  });
});

describe('eventRowIdsByPrefix and resolveEventId', () => {
  let db: Db;
  const ids = [
    'aaaaaaaa-0000-4000-8000-000000000001',
    'aaaaaaaa-0000-4000-8000-000000000002',
    'aaaaaaab-0000-4000-8000-000000000003',
    'ffffffff-ffff-4fff-8fff-ffffffffffff',
    'BBBBBBBB-0000-4000-8000-000000000004', // capitals: stored as text
    'custom-event-0001',
    'custom-event-0002',
  ];
  beforeAll(() => {
    const file = tmpCasePath('prefix');
    buildCase(file, ids.map((eventID) => rec({ eventID }))).close();
    db = openCase(file, { readonly: true });
  });
  afterAll(() => db.close());
  const idsOf = (rows: number[]) => rows.map((r) => eventIdOfRow(db, r));

  it('matches UUID prefixes in any case, text ids as typed or in one case', () => {
    expect(idsOf(eventRowIdsByPrefix(db, 'aaaaaaaa', 10))).toEqual(ids.slice(0, 2));
    expect(idsOf(eventRowIdsByPrefix(db, 'AAAAAAAA-0000', 10))).toEqual(ids.slice(0, 2));
    expect(idsOf(eventRowIdsByPrefix(db, 'aaaaaaa', 10))).toEqual(ids.slice(0, 3));
    expect(idsOf(eventRowIdsByPrefix(db, 'ffffffff', 10))).toEqual([ids[3]]);
    expect(idsOf(eventRowIdsByPrefix(db, 'bbbbbbbb', 10))).toEqual([ids[4]]);
    expect(idsOf(eventRowIdsByPrefix(db, 'custom-event', 10))).toEqual(ids.slice(5));
    expect(idsOf(eventRowIdsByPrefix(db, 'aaaaaaaa', 1))).toEqual([ids[0]]);
    expect(eventRowIdsByPrefix(db, 'cccccccc', 10)).toEqual([]);
  });

  it('resolves exact ids, unique prefixes, ambiguous ones and short ones', () => {
    expect(resolveEventId(db, ids[0]).kind).toBe('found');
    expect(resolveEventId(db, ids[0].toUpperCase())).toEqual(resolveEventId(db, ids[0]));
    const unique = resolveEventId(db, 'aaaaaaab');
    expect(unique.kind === 'found' && eventIdOfRow(db, unique.rowId)).toBe(ids[2]);
    expect(resolveEventId(db, 'aaaaaaaa')).toMatchObject({ kind: 'ambiguous', more: false });
    expect(resolveEventId(db, 'aaaaaaaa', 1)).toMatchObject({ kind: 'ambiguous', more: true });
    expect(resolveEventId(db, 'aaaaaaa')).toEqual({ kind: 'none', tooShort: true });
    expect(resolveEventId(db, 'cccccccc')).toEqual({ kind: 'none', tooShort: false });
  });

  it('the prefix queries search the events_event_id index', () => {
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    const r = uuidPrefixRange('aaaaaaaa')!;
    expect(plan('SELECT id FROM events WHERE event_id >= ? AND event_id < ? ORDER BY event_id LIMIT ?', r.lo, r.hi, 11)).toMatch(/SEARCH events USING (COVERING )?INDEX events_event_id \(event_id>\? AND event_id<\?\)/);
    expect(plan("SELECT id FROM events WHERE event_id >= ? AND event_id < ? AND typeof(event_id) = 'text' ORDER BY event_id LIMIT ?", 'x', 'y', 11)).toMatch(/SEARCH events USING (COVERING )?INDEX events_event_id/);
  });
});
