// Bad input: each case gives a clear problem naming the file (and record), and nothing already in the
// case is lost or corrupted.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest, type IngestSummary } from '../../src/ingest/run.js';
import { openCase } from '../../src/index/open.js';
import { caseInfo } from '../../src/index/info.js';
import { event, records, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';
import { runCli } from '../helpers/cli.js';

let root: string;
let db: string;
let baseline: IngestSummary;

async function ingest(paths: string[], extra: Partial<Parameters<typeof runIngest>[0]> = {}): Promise<IngestSummary> {
  return runIngest({ dbPath: db, paths, workers: 0, ...extra });
}

function problemFor(s: IngestSummary, file: string): string {
  return s.problems.filter((p) => p.file.endsWith(file)).map((p) => p.message).join(' | ');
}

function eventCount(): number {
  const d = openCase(db, { readonly: true });
  try {
    return caseInfo(d).events;
  } finally {
    d.close();
  }
}

beforeEach(async () => {
  const dir = tmpDir();
  root = path.join(dir, 'evidence');
  db = path.join(dir, 'case.db');
  const good = path.join(dir, 'good');
  writeLog(good, [event(), event(), event()]);
  baseline = await ingest([good]);
  expect(baseline.eventsAdded).toBe(3);
  fs.mkdirSync(root, { recursive: true });
});

function put(name: string, data: Buffer | string): string {
  const f = path.join(root, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, data);
  return f;
}

describe('bad input', () => {
  it('truncated gzip: the records before the damage are read, the file is reported, earlier events kept', async () => {
    const big = Array.from({ length: 50 }, () => event());
    const gz = zlib.gzipSync(records(big));
    put('trunc.json.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const s = await ingest([root]);
    expect(s.complete).toBe(false);
    const msg = problemFor(s, 'trunc.json.gz');
    expect(msg).toMatch(/truncated gzip data.*; (\d+) records before it were read/);
    const read = Number(/; (\d+) records before it were read/.exec(msg)![1]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(50);
    expect(eventCount()).toBe(3 + read);
  });

  it('corrupt gzip (bad CRC): its records are read and the file is reported', async () => {
    const gz = Buffer.from(zlib.gzipSync(records([event()])));
    gz.writeUInt32LE((gz.readUInt32LE(gz.length - 8) ^ 0xffff) >>> 0, gz.length - 8);
    put('crc.json.gz', gz);
    const s = await ingest([root]);
    expect(s.complete).toBe(false);
    expect(problemFor(s, 'crc.json.gz')).toMatch(/CRC32 mismatch/);
    expect(eventCount()).toBe(4);
  });

  it('a gzip that is not one (bad header): the file fails with the reason', async () => {
    put('notgz.json.gz', Buffer.from([0x1f, 0x8b, 0x09, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]));
    const s = await ingest([root]);
    expect(s.files.failed).toBe(1);
    expect(problemFor(s, 'notgz.json.gz')).toMatch(/unsupported gzip compression method 9/);
    expect(eventCount()).toBe(3);
  });

  it('gzip bomb: refused above the cap', async () => {
    put('bomb.json.gz', zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)));
    const s = await ingest([root], { maxDecompressed: 1024 * 1024 });
    expect(problemFor(s, 'bomb.json.gz')).toMatch(/exceeds the cap of 1048576 bytes/);
    expect(eventCount()).toBe(3);
  });

  it('multi-member gzip and trailing garbage: every member read (nothing silently lost), both reported', async () => {
    const a = event();
    const b = event();
    const first = zlib.gzipSync(records([a]));
    const second = zlib.gzipSync(records([b]));
    put('multi.json.gz', Buffer.concat([first, second]));
    put('trail.json.gz', Buffer.concat([zlib.gzipSync(records([event()])), Buffer.from('garbage!')]));
    const s = await ingest([root]);
    expect(s.complete).toBe(false);
    expect(s.eventsAdded).toBe(3); // a, b (second member) and the trail file's event
    const d = new Database(db, { readonly: true });
    const codes = d.prepare("SELECT file, code, message FROM warnings WHERE code LIKE 'gzip_%' ORDER BY file").all() as Array<{ file: string; code: string; message: string }>;
    d.close();
    expect(codes.map((c) => [c.file, c.code])).toEqual([
      ['multi.json.gz', 'gzip_multiple_members'],
      ['trail.json.gz', 'gzip_trailing_data'],
    ]);
    expect(codes[0].message).toContain(`the ${second.length} bytes after the first member hold records 1..`);
    expect(codes[1].message).toMatch(/8 bytes of non-gzip data/);
  });

  it('empty and zero-record files: recorded and reported (exit 4), nothing else affected', async () => {
    put('empty.json', '');
    put('zero.json', '{"Records":[]}');
    const s = await ingest([root]);
    expect(s.complete).toBe(false);
    expect(s.eventsAdded).toBe(0);
    expect(s.problems.map((p) => [p.file, p.code])).toEqual([
      ['empty.json', 'empty_file'],
      ['zero.json', 'zero_records'],
    ]);
    expect(eventCount()).toBe(3);
  });

  it('invalid JSON: complete records before the break are kept, the rest reported', async () => {
    const text = records([event(), event()]).toString();
    put('broken.json', `${text.slice(0, text.length - 40)}`);
    const s = await ingest([root]);
    expect(s.eventsAdded).toBe(1);
    expect(problemFor(s, 'broken.json')).toMatch(/truncated JSON at byte \d+.*1 records before it were read/);
  });

  it('JSON that is not CloudTrail: skipped with its top-level keys', async () => {
    put('other.json', '{"hello":"world","n":1}');
    const s = await ingest([root]);
    expect(problemFor(s, 'other.json')).toMatch(/JSON that is not CloudTrail \(top-level value: an object \(keys: hello, n\)\)/);
  });

  it('records without eventID or eventTime: kept, with a warning each', async () => {
    const e1 = event();
    delete e1.eventID;
    const e2 = event();
    delete e2.eventTime;
    put('partial.json', records([e1, e2]));
    const s = await ingest([root]);
    expect(s.eventsAdded).toBe(2);
    const d = new Database(db, { readonly: true });
    const codes = d.prepare('SELECT code, record_index FROM warnings WHERE file = ? ORDER BY record_index').all('partial.json');
    d.close();
    expect(codes).toEqual([
      { code: 'no_event_id', record_index: 0 },
      { code: 'no_event_time', record_index: 1 },
    ]);
  });

  it('invalid UTF-8 and a BOM: read, with warnings', async () => {
    const e = event({ userAgent: 'UA-PLACEHOLDER' });
    const text = records([e]);
    const bad = Buffer.from(text.toString().replace('UA-PLACEHOLDER', 'UA-\u0000X'));
    bad[bad.indexOf('\\u0000X') >= 0 ? 0 : bad.indexOf('UA-') + 3] = 0xff; // an invalid byte inside the string
    put('latin.json', bad);
    put('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), records([event()])]));
    const s = await ingest([root]);
    expect(s.eventsAdded).toBe(2);
    const d = new Database(db, { readonly: true });
    const codes = d.prepare("SELECT file, code FROM warnings WHERE code IN ('invalid_utf8','bom') ORDER BY file").all();
    d.close();
    expect(codes).toEqual([
      { file: 'bom.json', code: 'bom' },
      { file: 'latin.json', code: 'invalid_utf8' },
    ]);
  });

  it('CRLF line ends in NDJSON', async () => {
    put('lines.ndjson', `${JSON.stringify(event())}\r\n${JSON.stringify(event())}\r\n\r\n${JSON.stringify(event())}\r\n`);
    const s = await ingest([root]);
    expect(s.files.byKind).toEqual({ ndjson: 1 });
    expect(s.eventsAdded).toBe(3);
    expect(s.complete).toBe(true);
  });

  it('a record over the 4 MiB limit is a named problem; a large one under it is read; the next record too', async () => {
    const big = event({ requestParameters: { policyDocument: 'x'.repeat(3 * 1024 * 1024) } });
    const huge = event({ requestParameters: { policyDocument: 'x'.repeat(30 * 1024 * 1024) } });
    put('huge.json', records([big, huge, event()]));
    const s = await ingest([root]);
    expect(s.eventsAdded).toBe(2);
    expect(s.problems.map((p) => [p.file, p.recordIndex, p.code])).toEqual([['huge.json', 1, 'record_too_large']]);
    expect(s.recordsSkipped).toBe(1);
  });

  it('a path that cannot be read is a problem; a path given that does not exist stops the run before the case opens', async () => {
    const f = put('locked.json', records([event()]));
    fs.chmodSync(f, 0o000);
    await expect(ingest([root, path.join(root, 'nope')])).rejects.toThrow(`evidence path not found: ${path.join(root, 'nope')} (no such file or directory)`);
    const s = await ingest([root]);
    fs.chmodSync(f, 0o644);
    if (process.getuid?.() !== 0) {
      expect(problemFor(s, 'locked.json')).toMatch(/cannot read: EACCES/);
      expect(s.complete).toBe(false);
    }
    expect(eventCount()).toBeGreaterThanOrEqual(3);
  });
});

describe('case file problems', () => {
  it('a file that is not a trailhound case', async () => {
    const other = path.join(path.dirname(db), 'other.db');
    const d = new Database(other);
    d.exec('CREATE TABLE t(x)');
    d.close();
    writeLog(root, [event()]);
    await expect(runIngest({ dbPath: other, paths: [root], workers: 0 })).rejects.toThrow(`${other} is a SQLite database but not a trailhound case file (application_id 0); use a new --db path`);
    const txt = path.join(path.dirname(db), 'notes.txt');
    fs.writeFileSync(txt, 'hello, this is not a database at all');
    expect(() => openCase(txt, { readonly: true })).toThrow(`${txt} is not a trailhound case file (not a SQLite database); use a new --db path`);
  });

  it('a case from a newer schema version', () => {
    const d = new Database(db);
    d.pragma('user_version = 99');
    d.close();
    expect(() => openCase(db, { readonly: true })).toThrow(/has schema version 99, newer than this trailhound supports/);
  });

  it('a case file that does not exist', () => {
    expect(() => openCase('/nonexistent/case.db', { readonly: true })).toThrow('case file /nonexistent/case.db does not exist; create one with: trailhound ingest <evidence> --db /nonexistent/case.db');
  });
});

describe('a parser thread that dies', () => {
  it('takes only its file with it: named, the others ingested, the run goes on (exit 4)', async () => {
    const dir = tmpDir();
    const ev = path.join(dir, 'ev');
    for (let i = 0; i < 12; i++) writeLog(ev, [event(), event()], { stamp: `20240217T10${String(i).padStart(2, '0')}Z`, name: `f${String(i).padStart(2, '0')}.json.gz` });
    writeLog(ev, [event()], { stamp: '20240217T1030Z', name: 'poison.json.gz' });
    const dbPath = path.join(dir, 'case.db');
    const res = runCli(['ingest', ev, '--db', dbPath, '--json'], { env: { TRAILHOUND_TEST_WORKER_DIE_ON: 'poison' } });
    expect(res.code).toBe(4);
    const s = JSON.parse(res.stdout) as IngestSummary;
    expect(s.eventsAdded).toBe(24);
    expect(s.files.failed).toBe(1);
    expect(s.problems.map((p) => [path.basename(p.file), p.code])).toEqual([['poison.json.gz', 'failed']]);
    expect(s.problems[0].message).toMatch(/parser thread stopped while reading this file/);
  });
});
