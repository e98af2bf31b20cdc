// One parser for every file size: the same evidence ingested whole (default threshold) and as a bounded
// stream (threshold forced down to 1 byte, so every file takes the streaming feeder) gives the same case,
// row for row: events, occurrences with record indexes and byte offsets, sources, and warnings.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest } from '../../src/ingest/run.js';
import { event } from '../helpers/evidence.js';
import { corporaDir, hasCorpora, sampleDir, tmpDir } from '../helpers/paths.js';

/** The logical content of a case, in a stable order (ids and run times left out). */
function dump(db: string): Record<string, unknown[]> {
  const d = new Database(db, { readonly: true });
  try {
    return {
      sources: d.prepare('SELECT path, kind, status, reason, record_count, sha256, content_sha256, compression FROM sources ORDER BY root, path').all(),
      events: d
        .prepare(
          `SELECT v.event_id, v.event_time, v.event_name, v.event_source, v.aws_region, v.recipient_account_id, v.source_ip, v.user_agent,
             e.flags, hex(e.content_hash) AS hash, s.path AS body_source, e.record_index
           FROM events_v v JOIN events e ON e.id = v.row_id JOIN sources s ON s.id = e.source_id ORDER BY hex(v.event_id)`,
        )
        .all(),
      occurrences: d
        .prepare('SELECT s.path, o.record_index, o.byte_offset, o.byte_length FROM occurrences o JOIN sources s ON s.id = o.source_id ORDER BY s.root, s.path, o.record_index')
        .all(),
      warnings: d.prepare('SELECT file, record_index, code, severity, message FROM warnings ORDER BY file, record_index, code, message').all(),
    };
  } finally {
    d.close();
  }
}

async function both(paths: string[]): Promise<[Record<string, unknown[]>, Record<string, unknown[]>]> {
  const dir = tmpDir();
  const a = path.join(dir, 'whole.db');
  const b = path.join(dir, 'stream.db');
  await runIngest({ dbPath: a, paths, workers: 2 });
  await runIngest({ dbPath: b, paths, workers: 2, streamThreshold: 1 });
  return [dump(a), dump(b)];
}

describe('one parser for every size', () => {
  it('the committed sample (bucket copy, digests, exports): identical rows both ways', async () => {
    expect(fs.existsSync(path.join(sampleDir, 'evidence')), 'committed sample is missing: run npm run fixtures:sample').toBe(true);
    const [whole, stream] = await both([path.join(sampleDir, 'evidence'), path.join(sampleDir, 'exports')]);
    expect(whole.events.length).toBeGreaterThan(4000);
    expect(stream).toEqual(whole);
  });

  it.skipIf(!hasCorpora)('the real corpora: identical rows both ways', async () => {
    const dirs = ['awsdocs-cloudtrail-examples', 'awscli-cloudtrail-examples', 'elastic-aws-cloudtrail', 'otrf-aws-honeybucket', 'digest-samples']
      .map((d) => path.join(corporaDir, d))
      .filter((d) => fs.existsSync(d));
    const [whole, stream] = await both(dirs);
    expect(whole.events.length).toBeGreaterThan(100);
    expect(stream).toEqual(whole);
  });

  describe('awkward shapes', () => {
    let dir: string;
    beforeAll(() => {
      dir = tmpDir();
      const ev = (o: Record<string, unknown> = {}): Record<string, unknown> => event(o);
      const w = (name: string, data: string | Buffer): void => fs.writeFileSync(path.join(dir, name), data);
      const lower = (e: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(e).map(([k, v]) => [k.toLowerCase(), v]));
      w('lower.json', JSON.stringify({ Records: [lower(ev()), lower(ev())] }));
      w('multi.json.gz', Buffer.concat([zlib.gzipSync(JSON.stringify({ Records: [ev()] })), zlib.gzipSync(JSON.stringify({ Records: [ev(), ev()] }))]));
      w('second-doc.json', `${JSON.stringify({ Records: [ev()] })}\n${JSON.stringify(ev())}`);
      w('bad-mid.json', `{"Records":[${JSON.stringify(ev())},{"eventID": tru},${JSON.stringify(ev())}]}`);
      w('dup-key.json', `{"Records":[${JSON.stringify(ev())}],"Records":[${JSON.stringify(ev())}]}`);
      w('bom-mid.json', `\ufeff${JSON.stringify({ Records: [ev()] })}\ufeff${JSON.stringify({ Records: [ev()] })}`);
      w('nd-bad-line.ndjson', [JSON.stringify(ev()), '{"eventID":"cut', JSON.stringify(ev()), 'garbage', JSON.stringify(ev())].join('\n'));
      w('no-records.json', JSON.stringify({ something: [1, 2] }));
      w('top-string.json', '"just a string"');
      w('top-null.json', 'null');
      w('deep.json', `{"Records":[{"eventID":"deep-1","eventName":"X","requestParameters":${'['.repeat(20000)}${']'.repeat(20000)}},${JSON.stringify(ev())}]}`);
      w('truncated.json', JSON.stringify({ Records: [ev(), ev(), ev()] }).slice(0, -40));
      w('siem.ndjson', [ev({ eventTime: undefined, '@timestamp': '2024-02-17T11:00:00.000Z' }), ev({ eventTime: undefined })].map((e) => JSON.stringify(e)).join('\n'));
    });

    it('identical rows both ways, and every record accounted for', async () => {
      const [whole, stream] = await both([dir]);
      expect(stream).toEqual(whole);
      const warned = (file: string, code: string): boolean => whole.warnings.some((x) => (x as { file: string }).file === file && (x as { code: string }).code === code);
      const occ = (file: string): number[] => whole.occurrences.filter((o) => (o as { path: string }).path === file).map((o) => (o as { record_index: number }).record_index);
      expect(occ('lower.json')).toEqual([0, 1]);
      expect(occ('multi.json.gz')).toEqual([0, 1, 2]);
      expect(warned('multi.json.gz', 'gzip_multiple_members')).toBe(true);
      expect(occ('second-doc.json')).toEqual([0, 1]);
      expect(warned('second-doc.json', 'mixed_documents')).toBe(true);
      expect(occ('bad-mid.json')).toEqual([0, 2]);
      expect(warned('bad-mid.json', 'bad_record')).toBe(true);
      expect(occ('dup-key.json')).toEqual([0, 1]);
      expect(warned('dup-key.json', 'duplicate_records_key')).toBe(true);
      expect(occ('bom-mid.json')).toEqual([0, 1]);
      expect(occ('nd-bad-line.ndjson')).toEqual([0, 2, 4]);
      expect(whole.warnings.filter((x) => (x as { file: string }).file === 'nd-bad-line.ndjson' && (x as { code: string }).code === 'bad_record').map((x) => (x as { record_index: number }).record_index)).toEqual([1, 3]);
      for (const f of ['no-records.json', 'top-string.json', 'top-null.json']) expect(warned(f, 'skipped'), f).toBe(true);
      expect(occ('deep.json')).toEqual([1]);
      expect(warned('deep.json', 'record_too_deep')).toBe(true);
      expect(occ('truncated.json')).toEqual([0, 1]);
      expect(warned('truncated.json', 'truncated_json')).toBe(true);
      expect(occ('siem.ndjson')).toEqual([0, 1]);
      expect(warned('siem.ndjson', 'time_from_alt_field')).toBe(true);
      expect(warned('siem.ndjson', 'no_event_time')).toBe(true);
    });
  });
});
