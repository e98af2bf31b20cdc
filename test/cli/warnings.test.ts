// `trailhound warnings`, the warnings line of `info`, and ingest's per-code lines, on hand-made evidence that
// gives warnings of both severities (docs/ingest.md, "Warnings and problems"). Severity `error` (problems:
// printed as `[!] file: message`, exit 4): two empty files and two {"Records":[]} logs. Severity `warning`
// (ingested with a caveat; ingest's per-code `warning:` lines): a file starting with a byte-order mark, a
// record whose recipientAccountId is not the key path's account, two records without eventID, a record that
// has @timestamp instead of eventTime.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { event, records, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';

type Key = 'empty' | 'empty2' | 'zero' | 'bom' | 'account' | 'noId' | 'alt' | 'zero2';
type Severity = 'warning' | 'error';

interface Expected {
  key: Key;
  run: number;
  code: string;
  severity: Severity;
  recordIndex: number | null;
}

/**
 * What the evidence written in beforeAll must leave in the case, in the order ingest writes it (files in path
 * order, which is the order of their stamps; a file's record warnings in record order). Every count below is
 * derived from this list.
 */
const EXPECTED: readonly Expected[] = [
  { key: 'empty', run: 1, code: 'empty_file', severity: 'error', recordIndex: null }, // 0 bytes
  { key: 'empty2', run: 1, code: 'empty_file', severity: 'error', recordIndex: null }, // whitespace only
  { key: 'zero', run: 1, code: 'zero_records', severity: 'error', recordIndex: null }, // {"Records":[]}
  { key: 'bom', run: 1, code: 'bom', severity: 'warning', recordIndex: null }, // EF BB BF, then one event
  { key: 'account', run: 1, code: 'account_mismatch', severity: 'warning', recordIndex: 0 }, // recipientAccountId 444455556666
  { key: 'noId', run: 1, code: 'no_event_id', severity: 'warning', recordIndex: 1 }, // records 1 and 2 have no eventID
  { key: 'noId', run: 1, code: 'no_event_id', severity: 'warning', recordIndex: 2 },
  { key: 'alt', run: 1, code: 'time_from_alt_field', severity: 'warning', recordIndex: null }, // record 1: @timestamp only
  { key: 'zero2', run: 2, code: 'zero_records', severity: 'error', recordIndex: null }, // run 2: {"Records":[]}
];

let dir: string;
let db: string;
let first: CliResult;
let second: CliResult;
/** Path relative to the evidence root, as the case records it. */
const rel = {} as Record<Key, string>;

/** Counts per code as `trailhound warnings` summarises them: most frequent first, then by code. */
function expectedByCode(list: readonly Expected[]): Array<{ code: string; severity: Severity; count: number; files: number; records: number; exampleFile: string; exampleRecordIndex: number | null }> {
  const codes = [...new Set(list.map((w) => w.code))];
  return codes
    .map((code) => {
      const ws = list.filter((w) => w.code === code);
      return {
        code,
        severity: ws[0].severity,
        count: ws.length,
        files: new Set(ws.map((w) => w.key)).size,
        records: ws.filter((w) => w.recordIndex !== null).length,
        exampleFile: rel[ws[0].key],
        exampleRecordIndex: ws[0].recordIndex,
      };
    })
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const only = (pred: (w: Expected) => boolean): Expected[] => EXPECTED.filter(pred);
const TOTAL = EXPECTED.length;
const ERRORS = only((w) => w.severity === 'error');
const WARNINGS = only((w) => w.severity === 'warning');
const CODES = expectedByCode(EXPECTED).map((c) => c.code);
const count = (code: string): number => only((w) => w.code === code).length;

beforeAll(async () => {
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
  const bom = writeLog(ev, [], { stamp: '20240217T1008Z', gz: false });
  fs.writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), records([event()])]));
  rel.bom = relOf(ev, bom);
  rel.account = relOf(ev, writeLog(ev, [event({ recipientAccountId: '444455556666' })], { stamp: '20240217T1010Z' }));
  rel.noId = relOf(ev, writeLog(ev, [event(), event({ eventID: undefined }), event({ eventID: undefined })], { stamp: '20240217T1015Z' }));
  rel.alt = relOf(ev, writeLog(ev, [event(), event({ eventTime: undefined, '@timestamp': '2024-02-17T10:20:00.000Z' })], { stamp: '20240217T1020Z' }));
  first = await runCliInProcess(['ingest', ev, '--db', db]);
  // A second run (run 2) with one more problem.
  const ev2 = path.join(dir, 'ev2');
  rel.zero2 = relOf(ev2, writeLog(ev2, [], { stamp: '20240218T1005Z', gz: false }));
  second = await runCliInProcess(['ingest', ev2, '--db', db, '--quiet']);
});

async function warningsJson(...args: string[]): Promise<{ warnings: Array<Record<string, unknown>>; total: number; truncated: boolean; byCode: Array<Record<string, unknown>> }> {
  const r = await runCliInProcess(['warnings', '--db', db, '--format', 'json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('ingest', () => {
  it('prints problems as [!] lines and exits 4; --quiet prints nothing but still exits 4', () => {
    expect(first.code).toBe(4);
    const lines = first.stderr.split('\n');
    expect(lines).toContain(`[!] ${rel.empty}: file is empty (0 records)`);
    expect(lines).toContain(`[!] ${rel.empty2}: file is empty (0 records)`);
    expect(lines).toContain(`[!] ${rel.zero}: file holds no records`);
    expect(lines.filter((l) => l.startsWith('[!] '))).toHaveLength(only((w) => w.run === 1 && w.severity === 'error').length);
    expect(second.code).toBe(4);
    expect(second.stderr).toBe('');
  });

  it('prints one line per warning code (severity warning only) with its count and an example file', () => {
    const lines = first.stderr.split('\n');
    const cmd = `trailhound warnings --db ${db}`;
    expect(lines).toContain(`warning: 1 file: bom (UTF-8 byte-order mark ignored) — e.g. ${rel.bom}; list all: ${cmd} --code bom`);
    expect(lines).toContain(
      `warning: 1 record in 1 file: account_mismatch (recipientAccountId differs from the key path account) — e.g. ${rel.account} [record 0]; list all: ${cmd} --code account_mismatch`,
    );
    expect(lines).toContain(
      `warning: 2 records in 1 file: no_event_id (record has no eventID; an ID was derived from its content) — e.g. ${rel.noId} [record 1]; list all: ${cmd} --code no_event_id`,
    );
    expect(lines).toContain(
      `warning: 1 file: time_from_alt_field (time taken from @timestamp (SIEM re-export); events marked) — e.g. ${rel.alt}; list all: ${cmd} --code time_from_alt_field`,
    );
    // Only severity-warning codes get a line; the problems were already printed one by one.
    const codeLines = lines.filter((l) => / — e\.g\. /.test(l));
    const runOneWarningCodes = expectedByCode(only((w) => w.run === 1 && w.severity === 'warning')).map((c) => c.code);
    expect(codeLines.map((l) => /^warning: [^:]+: (\w+) /.exec(l)?.[1])).toEqual(runOneWarningCodes);
    expect(first.stderr).not.toMatch(/^(warning|error): .*(empty_file|zero_records)/m);
    // Most frequent first (then by code), after the problem lines, before the closing summary line.
    expect(lines.findIndex((l) => l.includes('no_event_id ('))).toBeLessThan(lines.findIndex((l) => l.includes('account_mismatch (')));
    expect(lines.findIndex((l) => l.includes('account_mismatch ('))).toBeLessThan(lines.findIndex((l) => l.includes('bom (')));
    expect(lines.findIndex((l) => l.includes('bom ('))).toBeLessThan(lines.findIndex((l) => l.includes('time_from_alt_field (')));
    expect(lines.findLastIndex((l) => l.startsWith('[!] '))).toBeLessThan(lines.findIndex((l) => l.startsWith('warning: ')));
    expect(lines.findLastIndex((l) => l.startsWith('warning: '))).toBeLessThan(lines.findIndex((l) => l.startsWith('ingested ')));
  });

  it('--quiet prints none of them; --json still lists them on stderr', async () => {
    const ev = path.join(tmpDir(), 'ev');
    const bom = writeLog(ev, [], { stamp: '20240217T1005Z', gz: false });
    fs.writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), records([event()])]));
    writeLog(ev, [], { stamp: '20240217T1010Z' });
    const quiet = await runCliInProcess(['ingest', ev, '--db', path.join(ev, '..', 'q.db'), '--quiet']);
    expect(quiet.code).toBe(4);
    expect(quiet.stderr).toBe('');
    const json = await runCliInProcess(['ingest', ev, '--db', path.join(ev, '..', 'j.db'), '--json']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout).warnings).toBe(2); // bom (warning) + zero_records (error)
    expect(json.stderr).toMatch(
      /^\[!\] AWSLogs\/[^\n]*T1010Z[^\n]*: file holds no records\nwarning: 1 file: bom \(UTF-8 byte-order mark ignored\) — e\.g\. AWSLogs\/[^\n]*T1005Z[^\n]*; list all: trailhound warnings --db .*j\.db --code bom\n$/,
    );
  });

  it('quotes a case path with spaces in the command it suggests', async () => {
    const base = tmpDir();
    const ev = path.join(base, 'ev');
    writeLog(ev, [event({ eventID: undefined })], { stamp: '20240217T1005Z' });
    const spaced = path.join(base, 'my case.db');
    const r = await runCliInProcess(['ingest', ev, '--db', spaced]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`list all: trailhound warnings --db '${spaced}' --code no_event_id\n`);
  });
});

describe('trailhound warnings', () => {
  it('lists every stored warning with run, severity, code, file, record index and message (json)', async () => {
    const j = await warningsJson();
    expect(j.total).toBe(TOTAL);
    expect(j.truncated).toBe(false);
    expect(Object.keys(j.warnings[0])).toEqual(['runId', 'runStartedAt', 'severity', 'code', 'file', 'root', 'recordIndex', 'message']);
    expect(j.warnings.map((w) => [w.runId, w.severity, w.code, w.file, w.recordIndex])).toEqual(EXPECTED.map((e) => [e.run, e.severity, e.code, rel[e.key], e.recordIndex]));
    const byFile = new Map(j.warnings.map((w) => [w.file, w]));
    expect(byFile.get(rel.empty)).toMatchObject({ runId: 1, severity: 'error', code: 'empty_file', recordIndex: null, root: path.join(dir, 'ev') });
    expect(byFile.get(rel.zero2)).toMatchObject({ runId: 2, severity: 'error', code: 'zero_records', root: path.join(dir, 'ev2') });
    expect(byFile.get(rel.bom)).toMatchObject({ severity: 'warning', code: 'bom', recordIndex: null, message: 'file starts with a UTF-8 byte-order mark (ignored)' });
    expect(String(byFile.get(rel.account)!.message)).toContain('recipientAccountId 444455556666 differs from the account 111122223333');
    expect(String(byFile.get(rel.alt)!.message)).toMatch(/^1 records have no usable eventTime; their time was taken from @timestamp/);
    for (const w of j.warnings) expect(w.runStartedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    const byCode = expectedByCode(EXPECTED);
    expect(j.byCode.map((c) => [c.code, c.severity, c.count, c.files, c.records])).toEqual(byCode.map((c) => [c.code, c.severity, c.count, c.files, c.records]));
    expect(j.byCode[0]).toEqual({ ...byCode[0], meaning: 'file is empty' });
    expect(j.byCode.find((c) => c.code === 'no_event_id')).toEqual({ ...byCode.find((c) => c.code === 'no_event_id'), meaning: 'record has no eventID; an ID was derived from its content' });
  });

  it('jsonl: one object per line, nothing else', async () => {
    const r = await runCliInProcess(['warnings', '--db', db, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(TOTAL);
    const objs = lines.map((l) => JSON.parse(l));
    expect(objs.map((o) => o.code)).toEqual(EXPECTED.map((e) => e.code));
    expect(objs.map((o) => o.severity)).toEqual(EXPECTED.map((e) => e.severity));
    expect(objs.map((o) => o.file)).toEqual(EXPECTED.map((e) => rel[e.key]));
  });

  it('csv: a header of field names, one row per warning', async () => {
    const r = await runCliInProcess(['warnings', '--db', db, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('runId,runStartedAt,severity,code,file,root,recordIndex,message');
    expect(lines).toHaveLength(TOTAL + 2); // header, the rows, '' after the last CRLF
    const row = (key: Key): string => lines[1 + EXPECTED.findIndex((e) => e.key === key)];
    expect(row('account')).toMatch(new RegExp(`^1,[^,]+,warning,account_mismatch,${rel.account},${path.join(dir, 'ev')},0,record 0: recipientAccountId`));
    expect(row('empty')).toMatch(new RegExp(`^1,[^,]+,error,empty_file,${rel.empty},${path.join(dir, 'ev')},,file is empty`));
    for (const code of CODES) expect(r.stdout).toContain(`,${code},`);
  });

  it('md and table: every file and code; the table ends with counts per code', async () => {
    const md = await runCliInProcess(['warnings', '--db', db, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('| Run | Run started | Severity | Code | File | Record | Message |');
    for (const code of CODES) expect(md.stdout).toContain(`| ${code.replace(/_/g, '\\_')} |`);
    for (const f of Object.values(rel)) expect(md.stdout).toContain(f.replace(/_/g, '\\_'));

    const t = await runCliInProcess(['warnings', '--db', db]);
    expect(t.code).toBe(0);
    expect(t.stdout.split('\n')[0]).toMatch(/^Run {2}Run started +Severity {2}Code +File +Record {2}Message$/);
    for (const f of Object.values(rel)) expect(t.stdout).toContain(f);
    const at = t.stdout.indexOf(`\n${TOTAL} warnings (${ERRORS.length} of severity error) by code:\n`);
    expect(at).toBeGreaterThan(0);
    const footer = t.stdout.slice(at);
    const empty = expectedByCode(EXPECTED).find((c) => c.code === 'empty_file')!;
    const noId = expectedByCode(EXPECTED).find((c) => c.code === 'no_event_id')!;
    expect(footer).toMatch(new RegExp(`\nempty_file +error +${empty.count} +${empty.files} +${empty.records} +file is empty +AWSLogs/`));
    expect(footer).toMatch(new RegExp(`\nno_event_id +warning +${noId.count} +${noId.files} +${noId.records} +record has no eventID`));

    const narrow = await runCliInProcess(['warnings', '--db', db, '--code', 'no_event_id', '--width', '120']);
    // A cut path keeps its end (the file name). The File column is essential, the Message free text: the message
    // gives way first, so the path keeps at least its 30-cell minimum (issue 14).
    expect(narrow.stdout).not.toContain(rel.noId);
    const cut = / {2}…(\S+) {2}/.exec(narrow.stdout.split('\n')[2])?.[1] ?? '';
    expect(rel.noId.endsWith(cut)).toBe(true);
    expect(cut.length).toBeGreaterThanOrEqual(29);
    for (const line of narrow.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('--code, --severity, --file and --run filter; the summary follows the filter', async () => {
    expect((await warningsJson('--code', 'empty_file')).warnings.map((w) => w.file)).toEqual([rel.empty, rel.empty2]);
    expect((await warningsJson('--code', 'no_event_id,account_mismatch')).warnings.map((w) => w.code)).toEqual(['account_mismatch', 'no_event_id', 'no_event_id']);
    expect((await warningsJson('--code', 'no_event_id', '--code', 'empty_file')).total).toBe(count('no_event_id') + count('empty_file'));

    const warnings = await warningsJson('--severity', 'warning');
    expect(warnings.total).toBe(WARNINGS.length);
    expect(warnings.warnings.map((w) => [w.code, w.file])).toEqual(WARNINGS.map((e) => [e.code, rel[e.key]]));
    expect(warnings.byCode.map((c) => c.code)).toEqual(expectedByCode(WARNINGS).map((c) => c.code));
    const errors = await warningsJson('--severity', 'error');
    expect(errors.total).toBe(ERRORS.length);
    expect(errors.warnings.map((w) => [w.severity, w.code, w.file])).toEqual(ERRORS.map((e) => ['error', e.code, rel[e.key]]));
    expect(errors.byCode.map((c) => [c.code, c.severity, c.count])).toEqual(expectedByCode(ERRORS).map((c) => [c.code, 'error', c.count]));
    const errorTable = await runCliInProcess(['warnings', '--db', db, '--severity', 'error']);
    expect(errorTable.stdout).toContain(`\n${ERRORS.length} warnings (${ERRORS.length} of severity error) by code:\n`);

    // Run 2 holds only a problem: no warning of severity warning.
    const none = await runCliInProcess(['warnings', '--db', db, '--severity', 'warning', '--run', '2']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(`trailhound: no warnings match; the case holds ${TOTAL} (codes: ${CODES.join(', ')})\n`);

    const f = await warningsJson('--file', '*T1010Z*');
    expect(f.warnings.map((w) => w.file)).toEqual([rel.account]);
    expect(f.byCode.map((c) => c.code)).toEqual(['account_mismatch']);
    expect((await warningsJson('--file', rel.noId)).warnings.map((w) => [w.code, w.recordIndex])).toEqual([['no_event_id', 1], ['no_event_id', 2]]);
    expect((await warningsJson('--file', 'AWSLogs/111122223333/*', '--code', 'zero_records')).warnings.map((w) => w.file)).toEqual([rel.zero, rel.zero2]);
    expect((await warningsJson('--run', '2')).warnings.map((w) => w.file)).toEqual([rel.zero2]);
    expect((await warningsJson('--run', '1')).total).toBe(only((w) => w.run === 1).length);
  });

  it('--summary gives only the counts per code; --limit cuts the list, not the counts', async () => {
    const s = await runCliInProcess(['warnings', '--db', db, '--summary', '--format', 'json']);
    expect(JSON.parse(s.stdout)).toMatchObject({ total: TOTAL, byCode: expectedByCode(EXPECTED).map((c) => ({ code: c.code, severity: c.severity, count: c.count })) });
    const csv = await runCliInProcess(['warnings', '--db', db, '--summary', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe('code,severity,count,files,records,meaning,exampleFile,exampleRecordIndex');
    const table = await runCliInProcess(['warnings', '--db', db, '--summary', '--code', 'zero_records']);
    expect(table.stdout.split('\n')[0]).toBe(`${count('zero_records')} warnings (${count('zero_records')} of severity error) by code:`);
    expect(table.stdout).not.toContain('Message');
    const warnTable = await runCliInProcess(['warnings', '--db', db, '--summary', '--code', 'no_event_id']);
    expect(warnTable.stdout.split('\n')[0]).toBe(`${count('no_event_id')} warnings by code:`);

    const l = await runCliInProcess(['warnings', '--db', db, '--format', 'json', '--limit', '2']);
    const j = JSON.parse(l.stdout);
    expect(j.warnings).toHaveLength(2);
    expect(j.total).toBe(TOTAL);
    expect(j.truncated).toBe(true);
    expect(j.byCode.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(TOTAL);
    expect(l.stderr).toBe(`trailhound: showing the first 2 of ${TOTAL} matching warnings (raise --limit, or --limit 0 for all)\n`);
  });

  it('usage errors exit 2 and name the option', async () => {
    const run = await runCliInProcess(['warnings', '--db', db, '--run', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--run: "0" is not an ingest run number');
    const sev = await runCliInProcess(['warnings', '--db', db, '--severity', 'fatal']);
    expect(sev.code).toBe(2);
    expect(sev.stderr).toContain('Choices: "warning", "error"');
    const lim = await runCliInProcess(['warnings', '--db', db, '--limit', '-1']);
    expect(lim.code).toBe(2);
  });

  it('a case without warnings says so', async () => {
    const ev = path.join(tmpDir(), 'ev');
    writeLog(ev, [event()]);
    const clean = path.join(ev, '..', 'clean.db');
    const ingest = await runCliInProcess(['ingest', ev, '--db', clean]);
    expect(ingest.code).toBe(0);
    expect(ingest.stderr).not.toContain('warning:');
    expect(ingest.stderr).not.toContain('[!]');
    const r = await runCliInProcess(['warnings', '--db', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('trailhound: the case holds no warnings\n');
    expect(JSON.parse((await runCliInProcess(['warnings', '--db', clean, '--format', 'json'])).stdout)).toEqual({ warnings: [], total: 0, truncated: false, byCode: [] });
    expect((await runCliInProcess(['info', '--db', clean])).stdout).toContain('\nwarnings     0\n');
    const info = JSON.parse((await runCliInProcess(['info', '--db', clean, '--json'])).stdout);
    expect(info.warningsByCode).toEqual({});
    expect(info.warningErrors).toBe(0);
  });
});

describe('info', () => {
  it('shows the warnings count with the top codes and how to list them', async () => {
    const r = await runCliInProcess(['info', '--db', db]);
    expect(r.code).toBe(0);
    const byCode = expectedByCode(EXPECTED);
    const top = byCode.slice(0, 5).map((c) => `${c.code} ${c.count}`).join(', ') + (byCode.length > 5 ? `, … (${byCode.length - 5} more codes)` : '');
    expect(r.stdout).toContain(`\nwarnings     ${TOTAL} (${ERRORS.length} errors): top codes ${top}; list them: trailhound warnings --db ${db}\n`);
  });

  it('--json has warningsByCode (most frequent first) and warningErrors', async () => {
    const info = JSON.parse((await runCliInProcess(['info', '--db', db, '--json'])).stdout);
    expect(info.warnings).toBe(TOTAL);
    expect(info.warningErrors).toBe(ERRORS.length);
    const byCode = expectedByCode(EXPECTED);
    expect(info.warningsByCode).toEqual(Object.fromEntries(byCode.map((c) => [c.code, c.count])));
    expect(Object.keys(info.warningsByCode)).toEqual(byCode.map((c) => c.code));
  });
});
