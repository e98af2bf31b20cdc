// The bounded-memory path (files above --stream-threshold): stream-json over {"Records":[...]} and NDJSON,
// gzipped or not, delivered to the writer in parts. Forced here with a tiny threshold.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest } from '../../src/ingest/run.js';
import { openCase } from '../../src/index/open.js';
import { eventRowId, readEventBody } from '../../src/index/bodies.js';
import { event, records, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';

describe('streaming ingest', () => {
  it('a large Records file, gzipped, in the bucket layout: every event, hashes, body on demand', async () => {
    const dir = tmpDir();
    const evs = Array.from({ length: 5000 }, (_, i) => event({ eventName: i % 2 ? 'GetObject' : 'PutObject' }));
    const file = writeLog(path.join(dir, 'ev'), evs);
    const db = path.join(dir, 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'ev')], workers: 2, streamThreshold: 1024 });
    expect(s.eventsAdded).toBe(5000);
    expect(s.files.byKind).toEqual({ 'cloudtrail-log': 1 });
    const d = new Database(db, { readonly: true });
    const src = d.prepare('SELECT sha256, content_sha256, status, record_count, embedded FROM sources').get() as Record<string, unknown>;
    d.close();
    const gz = fs.readFileSync(file);
    expect(src).toEqual({
      sha256: (await import('node:crypto')).createHash('sha256').update(gz).digest('hex'),
      content_sha256: (await import('node:crypto')).createHash('sha256').update(zlib.gunzipSync(gz)).digest('hex'),
      status: 'done',
      record_count: 5000,
      embedded: 1,
    });
    const c = openCase(db, { readonly: true });
    const body = readEventBody(c, eventRowId(c, evs[4321].eventID as string)!);
    c.close();
    expect(body?.record).toEqual(evs[4321]);
  });

  it('a large NDJSON file, plain, and the same events again gzipped: one event each, two occurrences', async () => {
    const dir = tmpDir();
    const evs = Array.from({ length: 3000 }, () => event());
    const text = evs.map((e) => JSON.stringify(e)).join('\n');
    fs.mkdirSync(path.join(dir, 'x'));
    fs.writeFileSync(path.join(dir, 'x', 'export.ndjson'), text);
    fs.writeFileSync(path.join(dir, 'x', 'export.ndjson.gz'), zlib.gzipSync(text));
    const db = path.join(dir, 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'x')], workers: 0, streamThreshold: 1024 });
    expect(s.eventsAdded).toBe(3000);
    expect(s.duplicateOccurrences).toBe(3000);
    expect(s.conflicts).toBe(0);
    expect(s.files.byKind).toEqual({ ndjson: 2 });
  });

  it('a gzip bomb on the streaming path stops at the cap', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'bomb.json.gz'), zlib.gzipSync(Buffer.concat([records([event()]).subarray(0, 12), Buffer.alloc(8 * 1024 * 1024, 0x20)])));
    const s = await runIngest({ dbPath: path.join(dir, 'case.db'), paths: [path.join(dir, 'bomb.json.gz')], workers: 0, streamThreshold: 1024, maxDecompressed: 1024 * 1024 });
    expect(s.complete).toBe(false);
    expect(s.problems.map((p) => p.message).join('\n')).toMatch(/exceeds the cap of 1048576 bytes/);
  });
});
