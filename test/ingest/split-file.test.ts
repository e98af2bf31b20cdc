// Big single files read by all parser threads (ingest/split-file.ts, sources/record-splitter.ts): the splitter's
// cuts, and the essential property — a case built with splitting is the same, row for row, as one built without.
// Small files with a tiny split threshold and chunk size, so every file spans many chunks.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { RecordSplitter, splitShape, type SplitChunk } from '../../src/sources/record-splitter.js';
import { runIngest, type IngestOptions, type IngestSummary } from '../../src/ingest/run.js';
import { event } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Push `input` in pieces of `piece` bytes; take every chunk of at least `min` bytes; then the rest. */
function splitAll(input: string | Buffer, piece: number, min: number): { chunks: SplitChunk[]; rest: SplitChunk; stopped: string | null } {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const sh = splitShape(bytes.subarray(0, 4096))!;
  const sp = new RecordSplitter(sh.shape, sh.bodyStart, 64);
  const chunks: SplitChunk[] = [];
  for (let at = 0; at < bytes.length; at += piece) {
    sp.push(bytes.subarray(at, at + piece));
    for (let c = sp.take(min); c; c = sp.take(min)) chunks.push(c);
  }
  const stopped = sp.stopped;
  return { chunks, rest: sp.rest(), stopped };
}

describe('record splitter', () => {
  it('recognises the two shapes it splits, and nothing else', () => {
    expect(splitShape(enc('{"Records":[{"a":1}]}'))).toEqual({ shape: 'records', bodyStart: 12 });
    expect(splitShape(enc(' \n{\n  "Records" : [\n {}'))).toEqual({ shape: 'records', bodyStart: 19 });
    expect(splitShape(enc('{"eventVersion":"1.08"}\n{"eventVersion":"1.08"}\n'))).toEqual({ shape: 'ndjson', bodyStart: 0 });
    expect(splitShape(enc('\ufeff{"Records":[]}'))).toBeNull();
    expect(splitShape(enc('[{"eventVersion":"1.08"}]'))).toBeNull();
    expect(splitShape(enc('{"Events":[{"CloudTrailEvent":"{}"}]}'))).toBeNull();
    expect(splitShape(enc('{"NextToken":[],"Records":[{}]}'))).toBeNull();
    // Only a candidate: whether NDJSON is split is decided by the reader on the first line (one value, line mode).
    expect(splitShape(enc('{"NextToken":"x","Records":[{}]}'))).toEqual({ shape: 'ndjson', bodyStart: 0 });
    expect(splitShape(enc('{"records":[{}]}'))).toBeNull();
    expect(splitShape(enc('eventTime,eventName\n2024-01-01T00:00:00Z,X\n'))).toBeNull();
    expect(splitShape(enc('   '))).toBeNull();
  });

  it('cuts a Records array only after the commas between its elements, whatever the strings hold', () => {
    const recs = [
      { s: 'braces } { and brackets ] [ and commas , ,' },
      { s: 'escaped \\" quote", then },{ inside', t: 'a\\\\' },
      { s: 'newline\nand tab\tescapes', u: 'ünïcødé ✓ 𝄞' },
      { n: [1, [2, [3, { x: '],' }]]] },
      5,
      'a string element, with a comma',
      null,
    ];
    const input = `{"Records":[${recs.map((r) => JSON.stringify(r)).join(',')}]}`;
    for (const piece of [1, 3, 7, 64, input.length]) {
      const { chunks, rest, stopped } = splitAll(input, piece, 1);
      expect(stopped).toBe('the Records array ends');
      expect(chunks.map((c) => text(c.bytes))).toEqual([`{"Records":[${JSON.stringify(recs[0])},`, ...recs.slice(1, -1).map((r) => `${JSON.stringify(r)},`)]);
      expect(text(rest.bytes)).toBe(`${JSON.stringify(recs.at(-1))}]}`);
      let at = 0;
      for (const c of [...chunks, rest]) {
        expect(c.offset).toBe(at);
        at += c.bytes.length;
      }
    }
  });

  it('takes chunks of at least the asked size, each ending at a cut; pretty-printed and empty arrays', () => {
    const pretty = JSON.stringify({ Records: Array.from({ length: 40 }, (_, i) => ({ i, s: `x${'y'.repeat(i)}` })) }, null, 2);
    const { chunks, rest } = splitAll(pretty, 100, 200);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.bytes.length).toBeGreaterThanOrEqual(200);
      expect(text(c.bytes)).toMatch(/\},$/);
    }
    expect(Buffer.concat([...chunks, rest].map((c) => c.bytes)).toString()).toBe(pretty);
    const empty = splitAll('{"Records":[]}', 5, 1);
    expect(empty.chunks).toEqual([]);
    expect(empty.stopped).toBe('the Records array ends');
    expect(text(empty.rest.bytes)).toBe('{"Records":[]}');
  });

  it('stops cutting where the array cannot go on (a stray brace)', () => {
    const { chunks, rest, stopped } = splitAll('{"Records":[{"a":1},{"b":2}},{"c":3},{"d":4}]}', 4, 1);
    expect(chunks.map((c) => text(c.bytes))).toEqual(['{"Records":[{"a":1},']);
    expect(stopped).toBe("unexpected '}' in the Records array at byte 27");
    expect(text(rest.bytes)).toBe('{"b":2}},{"c":3},{"d":4}]}');
  });

  it('cuts NDJSON after every newline: CRLF and blank lines included', () => {
    const input = '{"a":1}\r\n\r\n{"b":"x\\ny"}\n\n{"c":3}';
    const { chunks, rest } = splitAll(input, 2, 1);
    expect(chunks.map((c) => text(c.bytes))).toEqual(['{"a":1}\r\n', '\r\n', '{"b":"x\\ny"}\n', '\n']);
    expect(text(rest.bytes)).toBe('{"c":3}');
  });
});

/** Every table of a case that ingest fills, row for row (run ids left out: they say when, not what). */
function dump(dbPath: string): Record<string, unknown[]> {
  const d = new Database(dbPath, { readonly: true });
  const out: Record<string, unknown[]> = {};
  const tables = d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('meta', 'ingest_runs', 'source_blobs') AND name NOT LIKE 'integrity_%' AND name NOT LIKE 'detect_%' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    const cols = (d.prepare(`SELECT name FROM pragma_table_info('${t}')`).pluck().all() as string[]).filter((c) => c !== 'run_id');
    out[t] = d.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${t}" ORDER BY ${cols.map((c) => `"${c}"`).join(', ')}`).raw().all();
  }
  const blobs = d.prepare('SELECT s.id, s.blob_format, b.data FROM sources s JOIN source_blobs b ON b.source_id = s.id ORDER BY s.id, b.seq').all() as Array<{ id: number; blob_format: string; data: Buffer }>;
  const bySource = new Map<number, { format: string; parts: Buffer[] }>();
  for (const b of blobs) {
    const e = bySource.get(b.id) ?? { format: b.blob_format, parts: [] };
    e.parts.push(b.data);
    bySource.set(b.id, e);
  }
  // The embedded bytes must give back the file; how they were compressed may differ.
  out.embedded = [...bySource].map(([id, e]) => {
    const all = Buffer.concat(e.parts);
    return [id, e.format, (e.format === 'gzip' ? zlib.gunzipSync(all) : all).toString('base64')];
  });
  d.close();
  return out;
}

const SMALL = { streamThreshold: 1024, splitChunkBytes: 2048 } satisfies Partial<IngestOptions>;

/**
 * Ingest `dir` split (2 threads, tiny chunks) and not split; both cases must be equal. The split run hands the
 * writer a part per merged chunk (a few events each), the other parts of 5,000 events: many more parts show
 * that chunks were read by other threads.
 */
async function bothWays(dir: string): Promise<{ split: IngestSummary; one: IngestSummary; rows: Record<string, unknown[]> }> {
  const a = path.join(path.dirname(dir), `${path.basename(dir)}-split.db`);
  const b = path.join(path.dirname(dir), `${path.basename(dir)}-one.db`);
  let splitParts = 0;
  let oneParts = 0;
  const split = await runIngest({ dbPath: a, paths: [dir], workers: 2, ...SMALL, splitThreshold: 1, onProgress: () => splitParts++ });
  const one = await runIngest({ dbPath: b, paths: [dir], workers: 2, ...SMALL, splitThreshold: Number.MAX_SAFE_INTEGER, onProgress: () => oneParts++ });
  expect(splitParts).toBeGreaterThan(oneParts + 20);
  const rows = dump(a);
  expect(rows).toEqual(dump(b));
  const strip = (s: IngestSummary): unknown => ({ ...s, case: null, runId: null, seconds: null });
  expect(strip(split)).toEqual(strip(one));
  return { split, one, rows };
}

/** A bucket-layout directory for one file; returns the file path. */
function bucketFile(root: string, name: string): string {
  const dir = path.join(root, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '02', '17');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `111122223333_CloudTrail_us-east-1_20240217T1005Z_${name}`);
}

/** Events with what makes a file's warnings and flags interesting, spread so that many chunks hold each kind. */
function mixedEvents(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    if (i % 3 === 1) return event({ eventID: undefined, userAgent: `no id ${i} } ] { [ , "quoted"` });
    if (i % 11 === 5) return event({ eventTime: undefined, '@timestamp': '2024-02-17T10:00:00Z' });
    if (i % 13 === 6) return event({ eventTime: 'not a time' });
    if (i === 40) return event({ recipientAccountId: '999999999999', awsRegion: 'eu-west-1' });
    if (i === 90) return event({ recipientAccountId: '888888888888', awsRegion: 'eu-west-2' });
    if (i % 17 === 8) return event({ eventType: 'AwsCloudTrailInsight', requestParameters: { s: 'line\nbreak\u2028 ünï ✓ 𝄞 \\ back' } });
    return event({ requestParameters: { i, s: `x${'y'.repeat(i % 50)}` } });
  });
}

describe('a big file read by all parser threads', () => {
  afterEach(() => {
    delete process.env.TRAILHOUND_TEST_WORKER_DIE_ON_CHUNK;
  });

  it('Records, plain and pretty-printed: the same case as from one thread (warnings past the per-code cap included)', async () => {
    const root = tmpDir();
    const evs = mixedEvents(3600);
    const body = JSON.stringify({ Records: evs });
    fs.writeFileSync(bucketFile(root, 'plain.json'), body);
    fs.writeFileSync(bucketFile(root, 'pretty.json'), JSON.stringify({ Records: evs.slice(0, 300) }, null, 2));
    const { split, rows } = await bothWays(root);
    expect(split.records).toBe(3900);
    expect(split.duplicateOccurrences).toBe(300);
    const warnings = rows.warnings as unknown[][];
    expect(warnings.some((w) => String(w.join(' ')).includes('more records (indexes'))).toBe(true);
    expect(warnings.filter((w) => w.includes('account_mismatch'))).toHaveLength(2);
  });

  it('Records gzipped (one inflating thread), a truncated gzip and a gzip of two members', async () => {
    const root = tmpDir();
    const body = Buffer.from(JSON.stringify({ Records: mixedEvents(800) }));
    fs.writeFileSync(bucketFile(root, 'whole.json.gz'), zlib.gzipSync(body));
    const cut = zlib.gzipSync(Buffer.from(JSON.stringify({ Records: mixedEvents(800) })));
    fs.writeFileSync(bucketFile(root, 'cut.json.gz'), cut.subarray(0, Math.floor(cut.length * 0.6)));
    const two = Buffer.from(JSON.stringify({ Records: mixedEvents(600) }));
    fs.writeFileSync(bucketFile(root, 'two.json.gz'), Buffer.concat([zlib.gzipSync(two.subarray(0, 70_001)), zlib.gzipSync(two.subarray(70_001))]));
    const { split } = await bothWays(root);
    expect(split.problems.map((p) => p.code).sort()).toEqual(expect.arrayContaining(['gzip_multiple_members', 'gzip_truncated']));
  });

  it('NDJSON with CRLF, blank lines, broken lines, non-events, two values on a line, an envelope line, invalid UTF-8 twice', async () => {
    const root = tmpDir();
    const lines = mixedEvents(1500).map((e) => JSON.stringify(e));
    lines[30] = '';
    lines[60] = '{"eventVersion":"1.08", "broken';
    lines[200] = '{"hello":"not an event"}';
    lines[201] = '42';
    lines[400] = `${JSON.stringify(event())} ${JSON.stringify(event())}`;
    lines[700] = JSON.stringify({ Records: [event(), event()] });
    lines[800] = '{"eventVersion":"1.08","eventID":"x\udcff","x":"}';
    const raw = Buffer.from(lines.join('\r\n'));
    const bad = Buffer.from(JSON.stringify(event({ userAgent: 'AAAA' })));
    bad[bad.indexOf('AAAA')] = 0xff;
    const bytes = Buffer.concat([raw.subarray(0, 20_000), Buffer.from('\n'), bad, Buffer.from('\n'), raw.subarray(20_000), Buffer.from('\n'), bad, Buffer.from('\n\n')]);
    fs.mkdirSync(path.join(root, 'export'));
    fs.writeFileSync(path.join(root, 'export', 'siem.ndjson'), bytes);
    fs.writeFileSync(path.join(root, 'export', 'siem2.ndjson.gz'), zlib.gzipSync(Buffer.from(lines.slice(0, 500).join('\n'))));
    const { split } = await bothWays(root);
    expect(split.files.byKind).toEqual({ ndjson: 2 });
    expect(split.problems.some((p) => p.code === 'bad_record')).toBe(true);
  });

  it('a top-level array line, a fatal JSON error and a record over the value limit: the rest is read on one thread', async () => {
    const root = tmpDir();
    fs.mkdirSync(path.join(root, 'x'));
    const lines = mixedEvents(600).map((e) => JSON.stringify(e));
    lines[300] = JSON.stringify([event(), event()]);
    fs.writeFileSync(path.join(root, 'x', 'array-line.ndjson'), lines.join('\n'));
    const recs = mixedEvents(600).map((e) => JSON.stringify(e));
    recs[250] = `${recs[250]} ${recs[251]}`;
    fs.writeFileSync(path.join(root, 'x', 'fatal.json'), `{"Records":[${recs.join(',')}]}`);
    const huge = mixedEvents(300);
    huge[150] = event({ requestParameters: { blob: 'z'.repeat(4 * 1024 * 1024 + 10) } });
    fs.writeFileSync(path.join(root, 'x', 'huge.json'), JSON.stringify({ Records: huge }));
    fs.writeFileSync(path.join(root, 'x', 'huge.ndjson'), huge.map((e) => JSON.stringify(e)).join('\n'));
    const { split } = await bothWays(root);
    expect(split.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['truncated_json', 'record_too_large']));
  });

  it('duplicates and conflicting bodies across chunks, and other keys after the Records array', async () => {
    const root = tmpDir();
    const evs = Array.from({ length: 500 }, (_, i) => event({ requestParameters: { i } }));
    const again = evs.slice(10, 60);
    const conflicting = evs.slice(100, 120).map((e) => ({ ...e, eventName: 'Changed' }));
    const all = [...evs, ...again, ...conflicting];
    fs.writeFileSync(bucketFile(root, 'dups.json'), `{"Records":${JSON.stringify(all)},"Extra":{"Records":"no"},"Records":[${JSON.stringify(event())}]}`);
    fs.writeFileSync(bucketFile(root, 'first-key.json'), `{"NextToken":"x","Records":${JSON.stringify(evs.slice(0, 5))}}\n${JSON.stringify({ Records: evs.slice(5, 300) })}`);
    const { split } = await bothWays(root);
    // 50 repeated, 20 with another body (also occurrences of a known event), 300 again in the second file.
    expect(split.duplicateOccurrences).toBe(50 + 20 + 300);
    expect(split.conflicts).toBe(20);
  });

  it('a thread that stops while it holds a chunk: the file fails as when its own thread stops, and the next run recovers it', async () => {
    const root = tmpDir();
    const evs = mixedEvents(1200);
    fs.writeFileSync(bucketFile(root, 'big.json'), JSON.stringify({ Records: evs }));
    const db = path.join(root, '..', `${path.basename(root)}-die.db`);
    process.env.TRAILHOUND_TEST_WORKER_DIE_ON_CHUNK = '20';
    const s = await runIngest({ dbPath: db, paths: [root], workers: 2, ...SMALL, splitThreshold: 1 });
    delete process.env.TRAILHOUND_TEST_WORKER_DIE_ON_CHUNK;
    expect(s.files.failed).toBe(1);
    expect(s.problems.map((p) => p.code)).toEqual(['failed']);
    expect(s.problems[0].message).toBe('parser error: the parser thread stopped while reading this file (a parser thread reading part of it stopped: exit code 70); the file is not (completely) ingested');
    const again = await runIngest({ dbPath: db, paths: [root], workers: 2, ...SMALL, splitThreshold: 1 });
    expect(again.recoveredSources).toBe(1);
    expect(again.records).toBe(1200);
    const clean = path.join(root, '..', `${path.basename(root)}-clean.db`);
    await runIngest({ dbPath: clean, paths: [root], workers: 2, ...SMALL, splitThreshold: Number.MAX_SAFE_INTEGER });
    const strip = (rows: Record<string, unknown[]>): Record<string, unknown[]> => ({ ...rows, sources: [], warnings: [] });
    expect(strip(dump(db))).toEqual(strip(dump(clean)));
  });
});
