// The record reader gives the same records whatever the chunking of its input: a whole file in one chunk, or the
// same bytes cut anywhere (inside strings, escapes, keys, multi-byte characters, between records).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecordReader, readRecords, type RawRecord } from '../../src/sources/read-records.js';
import { event } from '../helpers/evidence.js';
import { sampleDir } from '../helpers/paths.js';

function chunked(content: Buffer, size: number): { records: RawRecord[]; notes: string[]; kind: string | null; skip: string | null } {
  const records: RawRecord[] = [];
  const reader = new RecordReader('CloudTrail', (r) => records.push(r));
  for (let at = 0; at < content.length; at += size) reader.push(content.subarray(at, at + size));
  reader.end();
  return { records: reader.skipReason ? [] : records, notes: reader.notes.map((n) => n.code), kind: reader.kind, skip: reader.skipReason };
}

function whole(content: Buffer): ReturnType<typeof chunked> {
  const r = readRecords(content, 'CloudTrail');
  return { records: r.records, notes: r.notes.map((n) => n.code), kind: r.kind, skip: r.skipReason };
}

const view = (r: ReturnType<typeof chunked>): unknown => ({ ...r, records: r.records.map((x) => [x.index, x.offset, x.length, x.text, x.code ?? null, x.record?.eventID ?? null]) });

const tricky = (): Record<string, Buffer> => {
  const e = (o: Record<string, unknown> = {}): Record<string, unknown> => event(o);
  return {
    escapes: Buffer.from(JSON.stringify({ Records: [e({ userAgent: 'a\\"b\\\\\\"c"\\' }), e({ errorMessage: '"}],{"Records":[' }), e({ userAgent: '한국어 ☃ 😀' })] })),
    pretty: Buffer.from(JSON.stringify({ Records: [e(), e()] }, null, 2)),
    ndjson: Buffer.from([e(), e({ userAgent: '{"x":[1,2]}' }), e()].map((x) => JSON.stringify(x)).join('\r\n')),
    ndjsonBroken: Buffer.from([JSON.stringify(e()), '{"eventID":"x","a":[1,2}', JSON.stringify(e()), '{"eventID":"unterminated', JSON.stringify(e())].join('\n')),
    lookup: Buffer.from(JSON.stringify({ Events: [{ EventId: 'a', CloudTrailEvent: JSON.stringify(e()) }, { EventId: 'b', CloudTrailEvent: JSON.stringify(e()) }], NextToken: 'x' })),
    pages: Buffer.from(JSON.stringify([{ Events: [{ CloudTrailEvent: JSON.stringify(e()) }] }, { Events: [{ CloudTrailEvent: JSON.stringify(e()) }] }])),
    array: Buffer.from(JSON.stringify([e(), 42, e()])),
    keysAfter: Buffer.from(`{"Records":[${JSON.stringify(e())}],"Other":{"Records":[1,2]},"Records":[${JSON.stringify(e())}]}`),
    bomStart: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ Records: [e()] }))]),
    truncated: Buffer.from(JSON.stringify({ Records: [e(), e(), e()] }).slice(0, -25)),
    mismatch: Buffer.from(`{"Records":[${JSON.stringify(e())},{"eventID":"m","x":[1}]}`),
    deep: Buffer.from(`{"Records":[{"eventID":"d","eventName":"X","r":${'['.repeat(300)}${']'.repeat(300)}},${JSON.stringify(e())}]}`),
    scalarTop: Buffer.from('"a string at the top"'),
    digest: Buffer.from(JSON.stringify({ awsAccountId: '1', digestStartTime: 'x', digestEndTime: 'y', digestS3Bucket: 'b', digestS3Object: 'o', logFiles: [] })),
  };
};

describe('record reader', () => {
  for (const [name, content] of Object.entries(tricky())) {
    it(`${name}: the same records for chunks of 1, 2, 3, 7, 64 and 4096 bytes as for the whole`, () => {
      const w = view(whole(content));
      for (const size of [1, 2, 3, 7, 64, 4096]) expect(view(chunked(content, size)), `chunks of ${size}`).toEqual(w);
    });
  }

  it('the committed sample logs: same records in 1 KiB chunks as whole', () => {
    const dir = path.join(sampleDir, 'evidence');
    expect(fs.existsSync(dir), 'committed sample is missing').toBe(true);
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json.gz') && f.includes('/CloudTrail/')).slice(0, 40);
    expect(files.length).toBe(40);
    for (const f of files) {
      const content = zlib.gunzipSync(fs.readFileSync(path.join(dir, f)));
      const w = whole(content);
      expect(w.records.length, f).toBeGreaterThan(0);
      expect(w.records.every((r) => r.record !== null), f).toBe(true);
      expect(view(chunked(content, 1024)), f).toEqual(view(w));
    }
  });

  it('keeps each record\'s exact bytes and offset', () => {
    const content = tricky().escapes;
    for (const r of whole(content).records) expect(content.toString('utf8', r.offset!, r.offset! + r.length!)).toBe(r.text);
  });

  it('names what it cannot read', () => {
    const t = tricky();
    expect(whole(t.ndjsonBroken).records.map((r) => r.code ?? 'ok')).toEqual(['ok', 'bad_record', 'ok', 'bad_record', 'ok']);
    expect(whole(t.array).records.map((r) => r.code ?? 'ok')).toEqual(['ok', 'not_an_event', 'ok']);
    expect(whole(t.keysAfter).notes).toContain('duplicate_records_key');
    expect(whole(t.keysAfter).records.length).toBe(2);
    expect(whole(t.truncated).notes).toContain('truncated_json');
    expect(whole(t.mismatch).notes).toContain('truncated_json');
    expect(whole(t.deep).records.map((r) => r.code ?? 'ok')).toEqual(['record_too_deep', 'ok']);
    expect(whole(t.scalarTop).skip).toMatch(/not JSON, and not a CSV/);
    expect(whole(t.digest).kind).toBe('cloudtrail-digest');
  });
});
