// trailhound export on small hand-made cases, through the real CLI: missing partition values (a console CSV row
// has no account, an event no time) go to __HIVE_DEFAULT_PARTITION__ with a NULL record for the partial row; a
// non-empty --out is refused, --force replaces only what export writes, a failed export (a --no-embed case whose
// evidence moved) leaves --out as it was and no partial folder, --no-records exports without the records, --out
// inside the evidence is refused, and --json prints the manifest summary.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';
import { duckSettings } from '../../src/export/duckdb.js';
import { EXPORT_ENTRIES } from '../../src/export/output-dir.js';

/** Evidence: a bucket log of 3 events, a console CSV row of another event, an event file with no time or account. */
/** (ingest exits 4: the timeless event is kept with a warning.) */
function makeEvidence(root: string): { csvEventId: string; timeless: string } {
  writeLog(root, [event(), event(), event()]);
  const csvEventId = '0b7c1a8e-5d2f-4c11-9a3e-7f00c0ffee01';
  fs.writeFileSync(
    path.join(root, 'event-history.csv'),
    'Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,AWS region,Error code,Source IP address,Event source,Read-only\n' +
      `${csvEventId},2024-02-17T11:00:00Z,alice,GetPolicy,,,AKIAEXAMPLEALICE0001,us-east-1,,203.0.113.10,iam.amazonaws.com,true\n`,
  );
  const t = event({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' });
  delete t.eventTime;
  delete t.recipientAccountId;
  fs.writeFileSync(path.join(root, 'timeless.json'), JSON.stringify(t));
  return { csvEventId, timeless: t.eventID as string };
}

async function readEvents(dir: string): Promise<Array<Record<string, unknown>>> {
  const duck = await DuckDBInstance.create(':memory:', duckSettings());
  const c = await duck.connect();
  try {
    const r = await c.runAndReadAll(
      `SELECT event_id, is_partial, record, account, region, "date", filename FROM read_parquet('${path.join(dir, 'events')}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false, filename = true) ORDER BY event_id`,
    );
    return r.getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    c.closeSync();
    duck.closeSync();
  }
}

function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
}

describe('trailhound export (CLI)', () => {
  it('missing partition values go to __HIVE_DEFAULT_PARTITION__; a console CSV row has no record', async () => {
    const dir = tmpDir('trailhound-export-cli-');
    const evidence = path.join(dir, 'evidence');
    const { csvEventId, timeless } = makeEvidence(evidence);
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence, '--db', db, '--quiet']).code).toBe(4);
    const out = path.join(dir, 'out');
    const r = runCli(['export', '--db', db, '--format', 'parquet', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown> & { tables: Record<string, { rows: number }> };
    expect(summary.out).toBe(out);
    expect(summary.tables.events.rows).toBe(5);
    expect(summary.fileCount).toBe((JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8')) as { files: unknown[] }).files.length);
    const rows = await readEvents(out);
    const byId = new Map(rows.map((x) => [x.event_id, x]));
    const csv = byId.get(csvEventId)!;
    expect(csv).toMatchObject({ is_partial: true, record: null, account: null, region: 'us-east-1', date: '2024-02-17' });
    expect(path.relative(out, csv.filename as string).split(path.sep).slice(0, 4)).toEqual(['events', 'account=__HIVE_DEFAULT_PARTITION__', 'region=us-east-1', 'date=2024-02-17']);
    const t = byId.get(timeless)!;
    expect(t).toMatchObject({ is_partial: false, account: null, date: null });
    expect(JSON.parse(t.record as string)).toMatchObject({ eventID: timeless, eventName: 'ListBuckets' });
    expect(path.relative(out, t.filename as string).split(path.sep).slice(0, 4)).toEqual(['events', 'account=__HIVE_DEFAULT_PARTITION__', 'region=us-east-1', 'date=__HIVE_DEFAULT_PARTITION__']);
    expect(rows.filter((x) => x.account === '111122223333')).toHaveLength(3);
  });

  it('refuses a non-empty --out; --force replaces only what export writes', () => {
    const dir = tmpDir('trailhound-export-cli-');
    const evidence = path.join(dir, 'evidence');
    makeEvidence(evidence);
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence, '--db', db, '--quiet']).code).toBe(4);
    const out = path.join(dir, 'out');
    fs.mkdirSync(path.join(out, 'events', 'account=1'), { recursive: true });
    fs.writeFileSync(path.join(out, 'events', 'account=1', 'stale.parquet'), 'old');
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const before = tree(out);
    const refused = runCli(['export', '--db', db, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `trailhound: --out ${out} is not empty (2 entries); give a new or empty folder, or --force to replace what an earlier export wrote there (${EXPORT_ENTRIES.join(', ')})\n`,
    );
    expect(tree(out)).toEqual(before);
    const forced = runCli(['export', '--db', db, '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 5 events in \\d+ Parquet files`));
    expect(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(out, 'events', 'account=1'))).toBe(false);
    expect(fs.readdirSync(out).sort()).toEqual([...EXPORT_ENTRIES, 'notes.txt'].sort());
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    // An export killed midway leaves DIR.partial beside DIR: the next export replaces it.
    fs.mkdirSync(path.join(`${out}.partial`, 'events'), { recursive: true });
    fs.writeFileSync(path.join(`${out}.partial`, 'events', 'half.parquet'), 'half');
    const again = runCli(['export', '--db', db, '--out', out, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(tree(out).filter((f) => f.endsWith('half.parquet'))).toEqual([]);
    // A DIR.partial that is not an unfinished export (someone's own folder of that name) is never removed.
    fs.mkdirSync(`${out}.partial`);
    fs.writeFileSync(path.join(`${out}.partial`, 'thesis.docx'), 'mine');
    const theirs = runCli(['export', '--db', db, '--out', out, '--force']);
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toBe(`trailhound: ${out}.partial exists and is not an unfinished export (it holds thesis.docx); move it away, export writes there first\n`);
    expect(fs.readFileSync(path.join(`${out}.partial`, 'thesis.docx'), 'utf8')).toBe('mine');
  });

  it('a failed export leaves --out untouched; --no-records exports without the records', async () => {
    const dir = tmpDir('trailhound-export-cli-');
    const evidence = path.join(dir, 'evidence');
    makeEvidence(evidence);
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence, '--db', db, '--quiet', '--no-embed']).code).toBe(4);
    const out = path.join(dir, 'out');
    expect(runCli(['export', '--db', db, '--out', out]).code).toBe(0);
    const before = tree(out);
    const manifest = fs.readFileSync(path.join(out, 'export.json'));
    // The evidence moves away: the records cannot be read any more.
    fs.renameSync(evidence, path.join(dir, 'moved'));
    const failed = runCli(['export', '--db', db, '--out', out, '--force']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^trailhound: cannot read the records of AWSLogs\/.*\.json\.gz: the case does not embed .* \(ingested with --no-embed\) and the evidence file .* cannot be read: .*; restore the evidence file, or export without the original records \(--no-records\)\n$/);
    expect(tree(out)).toEqual(before);
    expect(fs.readFileSync(path.join(out, 'export.json'))).toEqual(manifest);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    const bare = runCli(['export', '--db', db, '--out', out, '--force', '--no-records', '--json']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ records: false });
    const rows = await readEvents(out);
    expect(rows).toHaveLength(5);
    expect(rows.every((x) => x.record === null)).toBe(true);
  });

  it('refuses --out inside an evidence folder, and a missing --db or --out', () => {
    const dir = tmpDir('trailhound-export-cli-');
    const evidence = path.join(dir, 'evidence');
    makeEvidence(evidence);
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence, '--db', db, '--quiet']).code).toBe(4);
    const inside = path.join(evidence, 'parquet');
    const r = runCli(['export', '--db', db, '--out', inside]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`trailhound: ${inside} is inside the evidence folder ${evidence}; evidence is read-only: write the export somewhere else\n`);
    expect(fs.existsSync(inside)).toBe(false);
    expect(fs.existsSync(`${inside}.partial`)).toBe(false);
    const noOut = runCli(['export', '--db', db]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/^trailhound: --out: name the folder to write the export into/);
    const noDb = runCli(['export', '--out', path.join(dir, 'x')]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/^trailhound: --db: name the case file to export/);
  });
});
