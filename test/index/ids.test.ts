// Event, request and shared event ids: a lowercase UUID is stored as its 16 bytes, anything else as the text itself,
// and both round-trip exactly. packId is hand-written for speed (the writer packs every event's ids): it must agree
// with the definition, a regular expression, on UUIDs and on every near miss.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { packId, unpackId } from '../../src/index/ids.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const byDefinition = (v: string): string | Buffer => (UUID_RE.test(v) ? Buffer.from(v.replace(/-/g, ''), 'hex') : v);

describe('packId', () => {
  it('packs lowercase UUIDs and keeps everything else as text, as the definition says', () => {
    const values = ['', 'abc', 'trailhound:0123456789abcdef', crypto.randomUUID().toUpperCase(), '01234567-89ab-cdef-0123-456789abcdef', '01234567-89ab-cdef-0123-456789abcdeg',
      '01234567_89ab-cdef-0123-456789abcdef', '0123456789abcdef0123456789abcdef0123', '01234567-89ab-cdef-0123-456789abcdé0', '01234567-89ab-cdef-0123-456789abcde\u0000'];
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
