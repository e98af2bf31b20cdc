// Event, request and shared event ids: a lowercase UUID is stored as its 16 bytes, anything else as the text itself,
// and both round-trip exactly. packId is hand-written for speed (the writer packs every event's ids): it must agree
// with the definition, a regular expression, on UUIDs and on every near miss.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { idTextSql, markedPrefixRange, packId, unpackId } from '../../src/index/ids.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NUMBER_LIKE = /^(?:[\s+\-.0-9eE]+|\s*[+-]?(?:inf(?:inity)?|nan)\s*)$/i;
const marked = (v: string) => Buffer.concat([Buffer.of(0), Buffer.from(v), ...(Buffer.byteLength(v) === 15 ? [Buffer.of(0)] : [])]);
const byDefinition = (v: string): string | Buffer => (UUID_RE.test(v) ? Buffer.from(v.replace(/-/g, ''), 'hex') : NUMBER_LIKE.test(v) ? marked(v) : v);

describe('packId', () => {
  it('packs lowercase UUIDs and keeps everything else as text, as the definition says', () => {
    const values = ['', 'abc', 'trailhound:0123456789abcdef', crypto.randomUUID().toUpperCase(), '01234567-89ab-cdef-0123-456789abcdef', '01234567-89ab-cdef-0123-456789abcdeg',
      '01234567_89ab-cdef-0123-456789abcdef', '0123456789abcdef0123456789abcdef0123', '012345678901234567890123456789012345', '01234567-89ab-cdef-0123-456789abcdé0', '01234567-89ab-cdef-0123-456789abcde\u0000'];
    // Every UUID with one character replaced by a character of each kind (digit, hex letter, other letter, dash, non-ASCII).
    const u = crypto.randomUUID();
    for (let i = 0; i < 36; i++) for (const c of ['0', 'f', 'g', 'A', '-', 'é', '\u0661']) values.push(u.slice(0, i) + c + u.slice(i + 1));
    let packed = 0;
    for (const v of values) {
      const got = packId(v);
      expect(got, JSON.stringify(v)).toEqual(byDefinition(v));
      if (Buffer.isBuffer(got)) {
        packed++;
        expect(unpackId(got)).toBe(v);
      }
    }
    expect(packed).toBeGreaterThan(36);
  });
});

describe('ids SQLite would read as numbers', () => {
  // The columns are declared ANY (numeric affinity): stored as text, these would come back as numbers.
  const values = ['991379651E138351', '123456789012345678', '00012', '1.50', ' 7 ', '-0', '1e3', 'Infinity', 'nan', '123456789012345', '12345678901234', '1234567890123456'];

  it('are stored as marked bytes that are never 16 long (a UUID), and round-trip', () => {
    for (const v of values) {
      const p = packId(v);
      expect(Buffer.isBuffer(p), v).toBe(true);
      expect((p as Buffer).length, v).not.toBe(16);
      expect(unpackId(p)).toBe(v);
    }
  });

  it('come back from SQLite as the same text, in JavaScript and in SQL (idTextSql)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v ANY)');
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    for (const v of values) ins.run(packId(v));
    const rows = db.prepare(`SELECT v, ${idTextSql('v')} AS text FROM t ORDER BY id`).all() as Array<{ v: unknown; text: string }>;
    expect(rows.map((r) => unpackId(r.v))).toEqual(values);
    expect(rows.map((r) => r.text)).toEqual(values);
    // Plain text would not have survived: the point of marking.
    db.prepare('INSERT INTO t (v) VALUES (?)').run('991379651E138351');
    expect(db.prepare('SELECT typeof(v) FROM t ORDER BY id DESC LIMIT 1').pluck().get()).toBe('real');
    db.close();
  });

  it('are found by their prefix', () => {
    const r = markedPrefixRange('1234');
    expect(r).not.toBeNull();
    const p = packId('123456789012345678') as Buffer;
    expect(Buffer.compare(p, r!.lo) >= 0 && Buffer.compare(p, r!.hi) < 0).toBe(true);
    expect(markedPrefixRange('abcd')).toBeNull();
  });
});
