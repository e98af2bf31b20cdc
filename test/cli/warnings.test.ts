// `trailhound warnings`, the warnings line of `info`, and ingest's per-code lines, on hand-made evidence that
// gives one warning of each kind: empty files, a {"Records":[]} log, a key-path account mismatch, a record
// without eventID.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { event, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';

let dir: string;
let db: string;
let first: CliResult;
/** Path relative to the evidence root, as the case records it. */
const rel: Record<'empty' | 'empty2' | 'zero' | 'account' | 'noId' | 'zero2', string> = { empty: '', empty2: '', zero: '', account: '', noId: '', zero2: '' };

beforeAll(() => {
  dir = tmpDir();
  db = path.join(dir, 'case.db');
  const ev = path.join(dir, 'ev');
  const relOf = (root: string, f: string): string => path.relative(root, f).split(path.sep).join('/');
  const empty = writeLog(ev, [], { stamp: '20240217T1000Z', gz: false });
  fs.writeFileSync(empty, '');
  const empty2 = writeLog(ev, [], { stamp: '20240217T1001Z', gz: false });
  fs.writeFileSync(empty2, '  \n');
  rel.empty = relOf(ev, empty);
  rel.empty2 = relOf(ev, empty2);
  rel.zero = relOf(ev, writeLog(ev, [], { stamp: '20240217T1005Z' }));
  rel.account = relOf(ev, writeLog(ev, [event({ recipientAccountId: '444455556666' })], { stamp: '20240217T1010Z' }));
  rel.noId = relOf(ev, writeLog(ev, [event(), event({ eventID: undefined })], { stamp: '20240217T1015Z' }));
  first = runCli(['ingest', ev, '--db', db]);
  // A second run (run 2) with one more warning.
  const ev2 = path.join(dir, 'ev2');
  rel.zero2 = relOf(ev2, writeLog(ev2, [], { stamp: '20240218T1005Z', gz: false }));
  const second = runCli(['ingest', ev2, '--db', db, '--quiet']);
  expect(second.stderr).toBe('');
});

const CODES = ['empty_file', 'zero_records', 'account_mismatch', 'no_event_id'];

function warningsJson(...args: string[]): { warnings: Array<Record<string, unknown>>; total: number; truncated: boolean; byCode: Array<Record<string, unknown>> } {
  const r = runCli(['warnings', '--db', db, '--format', 'json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('ingest', () => {
  it('prints one line per warning code with its count and an example file', () => {
    const lines = first.stderr.split('\n');
    const cmd = `trailhound warnings --db ${db}`;
    expect(lines).toContain(`warning: 2 files: empty_file (file is empty) — e.g. ${rel.empty}; list all: ${cmd} --code empty_file`);
    expect(lines).toContain(`warning: 1 file: zero_records (file holds no records) — e.g. ${rel.zero}; list all: ${cmd} --code zero_records`);
    expect(lines).toContain(
      `warning: 1 record in 1 file: account_mismatch (recipientAccountId differs from the key path account) — e.g. ${rel.account} [record 0]; list all: ${cmd} --code account_mismatch`,
    );
    expect(lines).toContain(
      `warning: 1 record in 1 file: no_event_id (record has no eventID; an ID was derived from its content) — e.g. ${rel.noId} [record 1]; list all: ${cmd} --code no_event_id`,
    );
    // Most frequent first, before the closing summary line.
    expect(lines.findIndex((l) => l.includes('empty_file ('))).toBeLessThan(lines.findIndex((l) => l.includes('zero_records (')));
    expect(lines.findIndex((l) => l.includes('no_event_id ('))).toBeLessThan(lines.findIndex((l) => l.startsWith('ingested ')));
  });

  it('--quiet prints none of them; --json still lists them on stderr', () => {
    const ev = path.join(tmpDir(), 'ev');
    writeLog(ev, [], { stamp: '20240217T1005Z' });
    const quiet = runCli(['ingest', ev, '--db', path.join(ev, '..', 'q.db'), '--quiet']);
    expect(quiet.stderr).toBe('');
    const json = runCli(['ingest', ev, '--db', path.join(ev, '..', 'j.db'), '--json']);
    expect(JSON.parse(json.stdout).warnings).toBe(1);
    expect(json.stderr).toMatch(/^warning: 1 file: zero_records \(file holds no records\) — e\.g\. AWSLogs\/.*; list all: trailhound warnings --db .*j\.db --code zero_records\n$/);
  });

  it('quotes a case path with spaces in the command it suggests', () => {
    const base = tmpDir();
    const ev = path.join(base, 'ev');
    writeLog(ev, [], { stamp: '20240217T1005Z' });
    const spaced = path.join(base, 'my case.db');
    const r = runCli(['ingest', ev, '--db', spaced]);
    expect(r.stderr).toContain(`list all: trailhound warnings --db '${spaced}' --code zero_records\n`);
  });
});

describe('trailhound warnings', () => {
  it('lists every stored warning with run, severity, code, file, record index and message (json)', () => {
    const j = warningsJson();
    expect(j.total).toBe(6);
    expect(j.truncated).toBe(false);
    expect(Object.keys(j.warnings[0])).toEqual(['runId', 'runStartedAt', 'severity', 'code', 'file', 'root', 'recordIndex', 'message']);
    const byFile = new Map(j.warnings.map((w) => [w.file, w]));
    expect(byFile.get(rel.empty)).toMatchObject({ runId: 1, severity: 'warning', code: 'empty_file', recordIndex: null, root: path.join(dir, 'ev') });
    expect(byFile.get(rel.empty2)).toMatchObject({ code: 'empty_file' });
    expect(byFile.get(rel.zero)).toMatchObject({ code: 'zero_records', recordIndex: null });
    expect(byFile.get(rel.account)).toMatchObject({ code: 'account_mismatch', recordIndex: 0 });
    expect(byFile.get(rel.noId)).toMatchObject({ code: 'no_event_id', recordIndex: 1 });
    expect(byFile.get(rel.zero2)).toMatchObject({ runId: 2, code: 'zero_records' });
    expect(String(byFile.get(rel.account)!.message)).toContain('recipientAccountId 444455556666 differs from the account 111122223333');
    for (const w of j.warnings) expect(w.runStartedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(j.byCode.map((c) => [c.code, c.count, c.files])).toEqual([
      ['empty_file', 2, 2],
      ['zero_records', 2, 2],
      ['account_mismatch', 1, 1],
      ['no_event_id', 1, 1],
    ]);
    expect(j.byCode[0]).toEqual({ code: 'empty_file', severity: 'warning', count: 2, files: 2, records: 0, meaning: 'file is empty', exampleFile: rel.empty, exampleRecordIndex: null });
  });

  it('jsonl: one object per line, nothing else', () => {
    const r = runCli(['warnings', '--db', db, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const objs = lines.map((l) => JSON.parse(l));
    expect(objs.map((o) => o.code)).toEqual(['empty_file', 'empty_file', 'zero_records', 'account_mismatch', 'no_event_id', 'zero_records']);
    expect(objs.map((o) => o.file)).toEqual([rel.empty, rel.empty2, rel.zero, rel.account, rel.noId, rel.zero2]);
  });

  it('csv: a header of field names, one row per warning', () => {
    const r = runCli(['warnings', '--db', db, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('runId,runStartedAt,severity,code,file,root,recordIndex,message');
    expect(lines).toHaveLength(8); // header, 6 rows, '' after the last CRLF
    expect(lines[4]).toMatch(new RegExp(`^1,[^,]+,warning,account_mismatch,${rel.account},${path.join(dir, 'ev')},0,record 0: recipientAccountId`));
    for (const code of CODES) expect(r.stdout).toContain(`,${code},`);
  });

  it('md and table: every file and code; the table ends with counts per code', () => {
    const md = runCli(['warnings', '--db', db, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('| Run | Run started | Severity | Code | File | Record | Message |');
    for (const code of CODES) expect(md.stdout).toContain(`| ${code.replace(/_/g, '\\_')} |`);
    for (const f of Object.values(rel)) expect(md.stdout).toContain(f.replace(/_/g, '\\_'));

    const t = runCli(['warnings', '--db', db]);
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n')[0]).toMatch(/^Run {2}Run started +Severity {2}Code +File +Record {2}Message$/);
    for (const f of Object.values(rel)) expect(t.stdout).toContain(f);
    const footer = t.stdout.slice(t.stdout.indexOf('\n6 warnings by code:\n'));
    expect(footer).toMatch(/\nempty_file +warning +2 +2 +0 +file is empty +AWSLogs\//);
    expect(footer).toMatch(/\nno_event_id +warning +1 +1 +1 +record has no eventID/);

    const narrow = runCli(['warnings', '--db', db, '--code', 'no_event_id', '--width', '120']);
    // A cut path keeps its end (the file name).
    expect(narrow.stdout).not.toContain(rel.noId);
    expect(narrow.stdout).toContain(`  …${rel.noId.slice(-29)}  `);
  });

  it('--code, --severity, --file and --run filter; the summary follows the filter', () => {
    expect(warningsJson('--code', 'empty_file').warnings.map((w) => w.file)).toEqual([rel.empty, rel.empty2]);
    expect(warningsJson('--code', 'no_event_id,account_mismatch').warnings.map((w) => w.code)).toEqual(['account_mismatch', 'no_event_id']);
    expect(warningsJson('--code', 'no_event_id', '--code', 'empty_file').total).toBe(3);
    expect(warningsJson('--severity', 'warning').total).toBe(6);
    const errors = runCli(['warnings', '--db', db, '--severity', 'error']);
    expect(errors.code).toBe(0);
    expect(errors.stdout).toBe('');
    expect(errors.stderr).toBe('trailhound: no warnings match; the case holds 6 (codes: empty_file, zero_records, account_mismatch, no_event_id)\n');
    const f = warningsJson('--file', '*T1010Z*');
    expect(f.warnings.map((w) => w.file)).toEqual([rel.account]);
    expect(f.byCode.map((c) => c.code)).toEqual(['account_mismatch']);
    expect(warningsJson('--file', rel.noId).warnings.map((w) => w.code)).toEqual(['no_event_id']);
    expect(warningsJson('--file', 'AWSLogs/111122223333/*', '--code', 'zero_records').warnings.map((w) => w.file)).toEqual([rel.zero, rel.zero2]);
    expect(warningsJson('--run', '2').warnings.map((w) => w.file)).toEqual([rel.zero2]);
    expect(warningsJson('--run', '1').total).toBe(5);
  });

  it('--summary gives only the counts per code; --limit cuts the list, not the counts', () => {
    const s = runCli(['warnings', '--db', db, '--summary', '--format', 'json']);
    expect(JSON.parse(s.stdout)).toMatchObject({ total: 6, byCode: [{ code: 'empty_file', count: 2 }, { code: 'zero_records', count: 2 }, { code: 'account_mismatch', count: 1 }, { code: 'no_event_id', count: 1 }] });
    const csv = runCli(['warnings', '--db', db, '--summary', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe('code,severity,count,files,records,meaning,exampleFile,exampleRecordIndex');
    const table = runCli(['warnings', '--db', db, '--summary', '--code', 'zero_records']);
    expect(table.stdout.split('\n')[0]).toBe('2 warnings by code:');
    expect(table.stdout).not.toContain('Message');

    const l = runCli(['warnings', '--db', db, '--format', 'json', '--limit', '2']);
    const j = JSON.parse(l.stdout);
    expect(j.warnings).toHaveLength(2);
    expect(j.total).toBe(6);
    expect(j.truncated).toBe(true);
    expect(j.byCode.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(6);
    expect(l.stderr).toBe('trailhound: showing the first 2 of 6 matching warnings (raise --limit, or --limit 0 for all)\n');
  });

  it('usage errors exit 2 and name the option', () => {
    const run = runCli(['warnings', '--db', db, '--run', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--run: "0" is not an ingest run number');
    const sev = runCli(['warnings', '--db', db, '--severity', 'fatal']);
    expect(sev.code).toBe(2);
    expect(sev.stderr).toContain('Choices: "warning", "error"');
    const lim = runCli(['warnings', '--db', db, '--limit', '-1']);
    expect(lim.code).toBe(2);
  });

  it('a case without warnings says so', () => {
    const ev = path.join(tmpDir(), 'ev');
    writeLog(ev, [event()]);
    const clean = path.join(ev, '..', 'clean.db');
    expect(runCli(['ingest', ev, '--db', clean]).stderr).not.toContain('warning:');
    const r = runCli(['warnings', '--db', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('trailhound: the case holds no warnings\n');
    expect(JSON.parse(runCli(['warnings', '--db', clean, '--format', 'json']).stdout)).toEqual({ warnings: [], total: 0, truncated: false, byCode: [] });
    expect(runCli(['info', '--db', clean]).stdout).toContain('\nwarnings     0\n');
    expect(JSON.parse(runCli(['info', '--db', clean, '--json']).stdout).warningsByCode).toEqual({});
  });
});

describe('info', () => {
  it('shows the warnings count with the top codes and how to list them', () => {
    const r = runCli(['info', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `\nwarnings     6 (0 errors): top codes empty_file 2, zero_records 2, account_mismatch 1, no_event_id 1; list them: trailhound warnings --db ${db}\n`,
    );
  });

  it('--json has warningsByCode (most frequent first) and warningErrors', () => {
    const info = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(info.warnings).toBe(6);
    expect(info.warningErrors).toBe(0);
    expect(info.warningsByCode).toEqual({ empty_file: 2, zero_records: 2, account_mismatch: 1, no_event_id: 1 });
    expect(Object.keys(info.warningsByCode)).toEqual(['empty_file', 'zero_records', 'account_mismatch', 'no_event_id']);
  });
});
