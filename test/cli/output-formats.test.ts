// docs/output-formats.md is the contract: every data-printing command × every format (issue 14 item 3), exports not
// capped and capped lists marked (item 4), one field vocabulary with aliases and body paths, --excel.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runCliInProcess } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import { cliBin, sampleDir } from '../helpers/paths.js';
import { truth } from '../helpers/sample.js';
import { effectiveLimit, OUTPUT_FORMATS, readOutput, type OutputChoice } from '../../src/cli/options.js';
import { EVENT_FIELD_NAMES, FIELD_ALIASES } from '../../src/report/events.js';
import { renderWarnings } from '../../src/report/warnings.js';
import type { StoredWarning } from '../../src/index/warnings.js';

const evidence = path.join(sampleDir, 'evidence');
const exportsDir = path.join(sampleDir, 'exports');
const keys = path.join(evidence, 'keys', 'list-public-keys.json');
const metadata = path.join(evidence, 'digest-metadata.json');

/** Split CSV text into records (RFC 4180 quoting; line ends CRLF). */
function csvRecords(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) out.push([...row, cell]);
  return out;
}

describe('one --format everywhere (docs/output-formats.md)', () => {
  let db = '';
  let eventId = '';
  beforeAll(async () => {
    db = copyCase('sampleWithExports'); // the ingest row ingests into it again
    const r = await runCliInProcess(['search', '--db', db, '--event-name', 'AuthorizeSecurityGroupIngress', '--format', 'jsonl', '--limit', '1', '--fields', 'eventID']);
    eventId = (JSON.parse(r.stdout.split('\n')[0]) as { eventID: string }).eventID;
  });

  const k = () => truth.incidents.stolenAccessKey.accessKeyId as string;
  const oneEventId = (): string => eventId;
  /** Every command that prints data, on the small case. `table` may print to stderr only (ingest). */
  const commands: Array<[string, () => string[]]> = [
    ['ingest', () => ['ingest', evidence, exportsDir, '--db', db, '-q']],
    ['info', () => ['info', '--db', db]],
    ['verify', () => ['verify', evidence, '--public-keys', keys, '--digest-metadata', metadata]],
    ['search', () => ['search', '--db', db, '--event-name', 'AuthorizeSecurityGroupIngress']],
    ['show', () => ['show', oneEventId(), '--db', db]],
    ['warnings', () => ['warnings', '--db', db]],
    ['warnings --summary', () => ['warnings', '--db', db, '--summary']],
    ['investigate access-key', () => ['investigate', 'access-key', k(), '--db', db]],
    ['investigate instance', () => ['investigate', 'instance', truth.incidents.instanceStopTerminate.instanceId as string, '--db', db]],
    ['investigate security-group', () => ['investigate', 'security-group', '--all', '--db', db]],
    ['investigate iam', () => ['investigate', 'iam', '--db', db]],
    ['investigate console-logins', () => ['investigate', 'console-logins', '--db', db]],
    ['investigate list', () => ['investigate', 'list']],
    ['investigate run', () => ['investigate', 'run', 'errors.access-denied', '--db', db, '-p', 'minCount=1']],
  ];
  const cases = commands.flatMap(([name, args]) => OUTPUT_FORMATS.map((f) => [name, f, args] as const));

  // In this process: the test is about what each command prints (process behaviour is tested where it matters).
  it.each(cases)('%s --format %s', async (name, format, args) => {
    const r = await runCliInProcess([...args(), '--format', format]);
    expect(r.stderr).not.toMatch(/Run 'trailhound --help'|fatal/);
    // verify's exit is its integrity verdict (5: the sample has gaps in assurance), the same in every format
    expect(r.code).toBe(name === 'verify' ? 5 : 0);
    const out = r.stdout;
    const mayBeEmpty = name.startsWith('warnings'); // the sample case holds no warnings
    if (format === 'json') {
      expect(() => JSON.parse(out)).not.toThrow();
    } else if (format === 'jsonl') {
      const lines = out.split('\n').filter((l) => l !== '');
      if (!mayBeEmpty) expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(JSON.parse(l)).toBeTypeOf('object');
      expect(out === '' || out.endsWith('\n')).toBe(true);
    } else if (format === 'csv') {
      expect(out.charCodeAt(0)).not.toBe(0xfeff);
      const recs = csvRecords(out);
      expect(recs[0].length).toBeGreaterThan(0);
      expect(recs[0].every((h) => /^[A-Za-z_][\w.]*$/.test(h))).toBe(true);
      if (!mayBeEmpty) expect(recs.length).toBeGreaterThan(1);
      for (const rec of recs) expect(rec.length).toBe(recs[0].length);
      expect(out.endsWith('\r\n')).toBe(true);
    } else if (format === 'md') {
      const lines = out.split('\n');
      expect(lines.some((l) => /^\|( --- \|)+$/.test(l))).toBe(true);
    } else if (name !== 'ingest' && !mayBeEmpty) {
      expect(out.length).toBeGreaterThan(0);
    }
  });

  it('--json is --format json; both together only when they agree; info --format json is no longer a usage error', async () => {
    const a = await runCliInProcess(['info', '--db', db, '--json']);
    const b = await runCliInProcess(['info', '--db', db, '--format', 'json']);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
    expect((await runCliInProcess(['info', '--db', db, '--json', '--format', 'json'])).code).toBe(0);
    const both = await runCliInProcess(['search', '--db', db, '--json', '--format', 'csv']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('trailhound: --json means --format json; it cannot be combined with --format csv');
    expect(JSON.parse((await runCliInProcess(['search', '--db', db, '--event-name', 'CreateUser', '--json'])).stdout)).toHaveProperty('events');
    expect((await runCliInProcess(['show', oneEventId(), '--db', db, '--format', 'text'])).stdout).toMatch(/^# event /);
  });

  it('documents: info as csv is key,value rows with dotted keys', async () => {
    const recs = csvRecords((await runCliInProcess(['info', '--db', db, '--format', 'csv'])).stdout);
    expect(recs[0]).toEqual(['key', 'value']);
    const m = new Map(recs.slice(1).map(([kk, v]) => [kk, v]));
    expect(m.get('events')).toBe(String(truth.counts.events));
    expect(m.has('timeRange.start')).toBe(true);
  });

  it('investigate jsonl/csv: every table row with its section; the findings keep every event ID', async () => {
    const json = JSON.parse((await runCliInProcess(['investigate', 'access-key', k(), '--db', db, '--format', 'json'])).stdout) as { findings: { eventIds: string[] }[]; events: unknown[] };
    const rows = (await runCliInProcess(['investigate', 'access-key', k(), '--db', db, '--format', 'jsonl'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string | null>);
    const findings = rows.filter((r) => r.section === 'Findings');
    expect(findings.map((f) => f.eventIds)).toEqual(json.findings.map((f) => f.eventIds.join(' ') || null));
    // exports list every event, not only the suspect window
    expect(rows.filter((r) => r.section?.startsWith('Events')).length).toBe(json.events.length);
    const header = csvRecords((await runCliInProcess(['investigate', 'access-key', k(), '--db', db, '--format', 'csv'])).stdout)[0];
    expect(header[0]).toBe('section');
    expect(header).toContain('eventID');
    expect(header).toContain('eventTime');
    expect(header).not.toContain('eventId');
  });

  it('exports are not capped: piped csv and jsonl give every match without --limit', async () => {
    const all = Number(JSON.parse((await runCliInProcess(['info', '--db', db, '--format', 'json'])).stdout).events);
    const csv = await runCliInProcess(['search', '--db', db, '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csvRecords(csv.stdout).length).toBe(all + 1);
    expect(csv.stderr).toBe('');
    const jsonl = (await runCliInProcess(['search', '--db', db, '--format', 'jsonl', '--fields', 'eventID'])).stdout.trim().split('\n');
    expect(jsonl).toHaveLength(all);
    const j = JSON.parse((await runCliInProcess(['search', '--db', db, '--format', 'json', '--fields', 'eventID'])).stdout) as { events: unknown[]; truncated: boolean };
    expect(j.events).toHaveLength(all);
    expect(j.truncated).toBe(false);
    // a table piped to a file is not capped either
    expect((await runCliInProcess(['search', '--db', db, '--fields', 'eventID'])).stdout.trim().split('\n')).toHaveLength(all + 2);
  });

  // util-linux `script` gives the CLI a terminal (stdout and stderr both go to it).
  const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!haveScript)('on a terminal the default --limit caps the table, never a csv export', async () => {
    const onTty = (...a: string[]): string[] => {
      const cmd = [process.execPath, cliBin, 'search', '--db', db, '--fields', 'eventID', ...a].map((x) => `'${x}'`).join(' ');
      return spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout.split(/\r?\n/).filter((l) => l !== '');
    };
    const table = onTty();
    expect(table.filter((l) => /^[0-9a-f-]{36}\s*$/.test(l))).toHaveLength(200);
    expect(table.join('\n')).toContain('trailhound: showing the first 200 matching events; more match');
    const all = Number(JSON.parse((await runCliInProcess(['info', '--db', db, '--format', 'json'])).stdout).events);
    expect(onTty('--format', 'csv')).toHaveLength(all + 1);
  });

  it('a capped list says so in every format', async () => {
    const s = (...a: string[]) => runCliInProcess(['search', '--db', db, '--limit', '5', ...a]);
    const j = JSON.parse((await s('--format', 'json')).stdout) as { events: unknown[]; truncated: boolean; limit: number };
    expect([j.events.length, j.truncated, j.limit]).toEqual([5, true, 5]);
    const lines = (await s('--format', 'jsonl')).stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[5])).toEqual({ _truncated: true, limit: 5 });
    const recs = csvRecords((await s('--format', 'csv')).stdout);
    expect(recs).toHaveLength(7);
    expect(recs[6].slice(0, 2)).toEqual(['_truncated', 'limit=5']);
    expect(recs[6].slice(2).every((c) => c === '')).toBe(true);
    expect(csvRecords((await s('--format', 'csv', '--fields', 'eventID')).stdout)[6]).toEqual(['_truncated limit=5']);
    expect((await s('--format', 'md')).stdout.trimEnd().split('\n').pop()).toBe('_Truncated: the first 5 matching events (--limit 5); --limit 0 for all._');
    // not capped when everything fits
    const few = (await runCliInProcess(['search', '--db', db, '--event-name', 'CreateUser', '--limit', '1000', '--format', 'jsonl'])).stdout;
    expect(few).not.toContain('_truncated');
  });

  it('--fields takes request/response/additionalEventData paths as JSON-valued columns', async () => {
    const rows = (await runCliInProcess(['search', '--db', db, '--event-source', 's3.amazonaws.com', '--limit', '3', '--format', 'jsonl', '--fields', 'eventID,requestParameters.bucketName,requestParameters,responseElements.nope,additionalEventData'])).stdout.trim().split('\n').slice(0, 3).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of rows) {
      const shown = JSON.parse((await runCliInProcess(['show', String(r.eventID), '--db', db, '--format', 'json'])).stdout) as { event: Record<string, Record<string, unknown>> };
      expect(r.requestParameters).toEqual(shown.event.requestParameters);
      expect(r['requestParameters.bucketName']).toBe(shown.event.requestParameters.bucketName);
      expect(r['responseElements.nope']).toBeNull();
      expect(r.additionalEventData).toEqual(shown.event.additionalEventData ?? null);
    }
    const csv = csvRecords((await runCliInProcess(['search', '--db', db, '--event-source', 's3.amazonaws.com', '--limit', '1', '--format', 'csv', '--fields', 'requestParameters.bucketName,requestParameters'])).stdout);
    expect(csv[0]).toEqual(['requestParameters.bucketName', 'requestParameters']);
    expect(csv[1][0]).toBe(rows[0]['requestParameters.bucketName']);
    expect(JSON.parse(csv[1][1])).toEqual(rows[0].requestParameters);
  });

  it('one field vocabulary: investigation names are accepted, no two headers differ only by case', async () => {
    const r = await runCliInProcess(['search', '--db', db, '--limit', '1', '--format', 'csv', '--fields', 'eventId,arn,userName,username']);
    expect(r.code).toBe(0);
    expect(csvRecords(r.stdout)[0]).toEqual(['eventID', 'principalArn', 'identityUserName', 'username']);
    const header = csvRecords((await runCliInProcess(['search', '--db', db, '--limit', '1', '--format', 'csv'])).stdout)[0];
    expect(new Set(header.map((h) => h.toLowerCase())).size).toBe(header.length);
    expect(header).toContain('identityUserName');
    expect(header).not.toContain('userName');
    for (const [alias, canon] of Object.entries(FIELD_ALIASES)) {
      expect(EVENT_FIELD_NAMES).not.toContain(alias);
      expect(EVENT_FIELD_NAMES).toContain(canon);
    }
  });

  it('--excel: UTF-8 BOM and CRLF; formula neutralisation stays; refused without csv', async () => {
    const out = (await runCliInProcess(['search', '--db', db, '--limit', '3', '--format', 'csv', '--excel'])).stdout;
    expect(out.charCodeAt(0)).toBe(0xfeff);
    expect(out.slice(1).split('\r\n')[0]).toMatch(/^eventTime,eventID,/);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    const bad = await runCliInProcess(['search', '--db', db, '--excel']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('trailhound: --excel applies to CSV only: add --format csv');
  });
});

describe('--limit default and markers (unit)', () => {
  const out = (format: OutputChoice['format'], tty: boolean): OutputChoice => ({ format, tty, excel: false, width: 0 });
  it('the default cap applies to table and md on a terminal only', () => {
    expect(effectiveLimit(undefined, 200, out('table', true))).toBe(200);
    expect(effectiveLimit(undefined, 200, out('md', true))).toBe(200);
    for (const f of ['json', 'jsonl', 'csv'] as const) expect(effectiveLimit(undefined, 200, out(f, true))).toBeNull();
    for (const f of OUTPUT_FORMATS) expect(effectiveLimit(undefined, 200, out(f, false))).toBeNull();
    expect(effectiveLimit(7, 200, out('csv', false))).toBe(7);
    expect(effectiveLimit(0, 200, out('table', true))).toBeNull();
    expect(() => effectiveLimit(-1, 200, out('table', true))).toThrow('--limit: "-1" is not a whole number ≥ 0 (0 means all)');
  });
  it('readOutput: --json alias, show\'s text alias, unknown format', () => {
    expect(readOutput({ json: true }).format).toBe('json');
    expect(readOutput({ format: 'text' }, { text: 'table' }).format).toBe('table');
    expect(() => readOutput({ format: 'text' })).toThrow('--format: unknown format "text"; allowed: table, json, jsonl, csv, md');
  });
  it('warnings: a capped list ends with the same markers', () => {
    const w: StoredWarning = { runId: 1, runStartedAt: '2025-01-01T00:00:00.000Z', severity: 'warning', code: 'empty_file', file: 'a', root: '/r', recordIndex: null, message: 'm' };
    const base = { total: 5, truncated: true, summary: [], truncatedAt: 1 };
    expect(renderWarnings([w], { ...base, format: 'jsonl' }).trim().split('\n').pop()).toBe('{"_truncated":true,"limit":1}');
    expect(renderWarnings([w], { ...base, format: 'csv' }).trim().split('\r\n').pop()).toBe('_truncated,limit=1,,,,,,');
    expect(JSON.parse(renderWarnings([w], { ...base, format: 'json' }))).toMatchObject({ truncated: true, limit: 1, total: 5 });
    expect(renderWarnings([w], { ...base, format: 'md' }).trimEnd().split('\n').pop()).toBe('_Truncated: the first 1 matching warnings (--limit 1); --limit 0 for all._');
    expect(renderWarnings([w], { ...base, truncated: false, format: 'jsonl' })).not.toContain('_truncated');
  });
});
