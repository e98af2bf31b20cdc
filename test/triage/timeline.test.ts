// exportTimeline (src/triage/timeline.ts): the timeline files a responder imports into Timesketch or opens in a
// spreadsheet. On the sample with detect run: each flavour and format holds every event once with the same tags
// (CSV parsed back with csv-parse); the counts returned match the file. Hostile evidence text (a formula user agent,
// line breaks, quotes, terminal escapes) is neutralised in CSV and exact in JSON Lines. Events without a time. A
// target inside the evidence folder (directly or through a symbolic link) is refused and nothing is written.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import { tmpDir } from '../helpers/paths.js';
import { at, event, makeCase, newId, user, type TestCase } from '../detect/engine/engine-case.js';
import { openCase, type Db } from '../../src/index/open.js';
import { exportTimeline, timelineFormatOfPath } from '../../src/triage/timeline.js';
import { timelineColumns } from '../../src/report/timeline.js';
import { ExportError } from '../../src/model/errors.js';

type Rec = Record<string, unknown>;

const readJsonl = (file: string): Rec[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length)
    .map((l) => JSON.parse(l) as Rec);

const readCsv = (file: string): Rec[] => parseCsv(fs.readFileSync(file, 'utf8'), { columns: true }) as Rec[];

describe('timeline files of the sample case after detect', () => {
  let db: Db;
  let out: string;
  let total: number;
  let tagged: number;
  beforeAll(async () => {
    const file = copyCase('sample');
    expect((await runCliInProcess(['detect', '--db', file, '--format', 'json'])).code).toBe(0);
    db = openCase(file, { readonly: true });
    out = tmpDir('trailhound-timeline-');
    total = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    tagged = db.prepare('SELECT count(DISTINCT event_row) FROM finding_events').pluck().get() as number;
  });
  afterAll(() => db?.close());

  it('Timesketch JSON Lines: one line per event, oldest first, the counts returned match the file', () => {
    const file = path.join(out, 'ts.jsonl');
    const r = exportTimeline(db, file, { flavour: 'timesketch', format: 'jsonl' });
    const lines = readJsonl(file);
    expect(r).toEqual({ events: total, taggedEvents: tagged, bytes: fs.statSync(file).size, skippedUntimed: 0 });
    expect(tagged).toBeGreaterThan(0);
    expect(lines).toHaveLength(total);
    expect(new Set(lines.map((l) => l.eventID)).size).toBe(total);
    expect(lines.filter((l) => (l.tag as string[]).length > 0)).toHaveLength(tagged);
    const times = lines.map((l) => l.timestamp as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // No temporary file is left beside it.
    expect(fs.readdirSync(out)).toEqual(['ts.jsonl']);
  });

  it('Timesketch CSV: the header names the mandatory columns; every row parses back to the JSON Lines values', () => {
    const jsonl = readJsonl(path.join(out, 'ts.jsonl'));
    const file = path.join(out, 'ts.csv');
    const r = exportTimeline(db, file, { flavour: 'timesketch', format: 'csv' });
    expect(r.events).toBe(total);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.slice(0, text.indexOf('\r\n')).split(',')).toEqual(timelineColumns('timesketch'));
    const rows = readCsv(file);
    expect(rows).toHaveLength(total);
    rows.forEach((row, i) => {
      const j = jsonl[i];
      expect(row.eventID).toBe(j.eventID);
      expect(row.datetime).toBe(j.datetime);
      expect(Number(row.timestamp)).toBe(j.timestamp);
      expect(row.timestamp_desc).toBe('Event Time');
      // Timesketch reads a `[…]` tag cell as a JSON list.
      expect(JSON.parse(row.tag as string)).toEqual(j.tag);
    });
  });

  it('generic JSON Lines and CSV: flat event and findings fields, the same events in the same order', () => {
    const jf = path.join(out, 'g.jsonl');
    const cf = path.join(out, 'g.csv');
    expect(exportTimeline(db, jf, { flavour: 'generic', format: 'jsonl' }).events).toBe(total);
    expect(exportTimeline(db, cf, { flavour: 'generic', format: 'csv' }).taggedEvents).toBe(tagged);
    const j = readJsonl(jf);
    const c = readCsv(cf);
    expect(Object.keys(j[0])).toEqual(timelineColumns('generic'));
    expect(Object.keys(c[0])).toEqual(timelineColumns('generic'));
    expect(c.map((r) => r.eventID)).toEqual(j.map((r) => r.eventID));
    const withFinding = j.findIndex((r) => (r.findingIds as string[]).length > 0);
    expect(JSON.parse(c[withFinding].findingIds as string)).toEqual(j[withFinding].findingIds);
    expect(JSON.parse(c[withFinding].findingTitles as string)).toEqual(j[withFinding].findingTitles);
    expect(c[withFinding].findingLevel).toBe(j[withFinding].findingLevel);
  });

  it('replaces an existing file', () => {
    const file = path.join(out, 'again.jsonl');
    fs.writeFileSync(file, 'old\n');
    exportTimeline(db, file, { flavour: 'generic', format: 'jsonl' });
    expect(readJsonl(file)).toHaveLength(total);
  });
});

describe('timeline files of hostile evidence', () => {
  const FORMULA = "=cmd|'/C calc'!A0";
  let tc: TestCase;
  let db: Db;
  let out: string;
  beforeAll(async () => {
    tc = await makeCase([
      event({ eventTime: at(1), userAgent: FORMULA, errorCode: 'AccessDenied', errorMessage: 'said "no",\r\nthen\u001b[2J cleared' }),
      event({ eventTime: at(2), userIdentity: { ...user('x'), userName: '@SUM(1+1)\nfake line' }, sourceIPAddress: '-2+3' }),
      event({ eventTime: at(3), errorCode: 'ValidationException', errorMessage: `${'ü'.repeat(400_000)}end` }),
      event({ eventTime: undefined, eventID: newId() }),
    ]);
    db = openCase(tc.dbPath, { readonly: true });
    out = tmpDir('trailhound-timeline-hostile-');
  });
  afterAll(() => {
    db?.close();
    tc?.remove();
  });

  it('CSV: formula cells start with a quote mark, line breaks and escapes are shown escaped, quotes survive', () => {
    for (const flavour of ['timesketch', 'generic'] as const) {
      const file = path.join(out, `${flavour}.csv`);
      exportTimeline(db, file, { flavour, format: 'csv' });
      const text = fs.readFileSync(file, 'utf8');
      expect(text).not.toMatch(/\u001b/);
      // Every CRLF ends a row: no cell holds a raw line break.
      const rows = readCsv(file);
      expect(text.split('\r\n').length - 2).toBe(rows.length);
      expect(rows[0].userAgent).toBe(`'${FORMULA}`);
      expect(rows[0].errorMessage).toBe('said "no",\\r\\nthen\\e[2J cleared');
      expect(rows[1].username).toBe("'@SUM(1+1)\\nfake line");
      expect(rows[1].sourceIPAddress).toBe("'-2+3");
      if (flavour === 'timesketch') expect(rows[1].message).toBe("'@SUM(1+1)\\nfake line (AKIAX000000000000000) DescribeInstances on ec2.amazonaws.com from -2+3");
      for (const r of rows) for (const v of Object.values(r)) expect(String(v)).not.toMatch(/^[=+\-@]/);
    }
  });

  it('JSON Lines: the evidence exact, the message escaped', () => {
    const file = path.join(out, 'ts.jsonl');
    exportTimeline(db, file, { flavour: 'timesketch', format: 'jsonl' });
    const lines = readJsonl(file);
    expect(lines[0]).toMatchObject({ userAgent: FORMULA, errorMessage: 'said "no",\r\nthen\u001b[2J cleared' });
    // A line longer than the write buffer (800 kB of UTF-8) is written whole.
    expect(lines[2].errorMessage).toBe(`${'ü'.repeat(400_000)}end`);
    expect(lines[1].message).toBe('@SUM(1+1)\\nfake line (AKIAX000000000000000) DescribeInstances on ec2.amazonaws.com from -2+3');
  });

  it('events without a time: left out of Timesketch files (and counted), last in generic ones', () => {
    const ts = exportTimeline(db, path.join(out, 'untimed.jsonl'), { flavour: 'timesketch', format: 'jsonl' });
    expect(ts).toMatchObject({ events: 3, skippedUntimed: 1 });
    const gf = path.join(out, 'untimed-generic.jsonl');
    expect(exportTimeline(db, gf, { flavour: 'generic', format: 'jsonl' })).toMatchObject({ events: 4, skippedUntimed: 0 });
    expect(readJsonl(gf).map((r) => r.eventTime)).toEqual([at(1), at(2), at(3), null]);
  });

  it('refuses to write inside the evidence folder, directly or through a symbolic link, and writes nothing', () => {
    const evidence = path.join(tc.dir, 'evidence-1');
    const before = fs.readdirSync(evidence);
    const target = path.join(evidence, 'timeline.jsonl');
    expect(() => exportTimeline(db, target, { flavour: 'timesketch', format: 'jsonl' })).toThrow(ExportError);
    expect(() => exportTimeline(db, target, { flavour: 'timesketch', format: 'jsonl' })).toThrow(
      `${target} is inside the evidence folder ${evidence}; evidence is read-only: write the timeline somewhere else`,
    );
    const link = path.join(out, 'link-to-evidence');
    fs.symlinkSync(evidence, link);
    expect(() => exportTimeline(db, path.join(link, 'sub', 't.csv'), { flavour: 'generic', format: 'csv' })).toThrow(/is inside the evidence folder/);
    expect(fs.readdirSync(evidence)).toEqual(before);
  });

  it('says when the folder does not exist', () => {
    const target = path.join(out, 'missing', 't.csv');
    expect(() => exportTimeline(db, target, { flavour: 'generic', format: 'csv' })).toThrow(`cannot write the timeline ${target}: folder ${path.dirname(target)} does not exist`);
  });
});

describe('timelineFormatOfPath', () => {
  it('reads the format from the extension', () => {
    expect(['t.jsonl', 'T.NDJSON', 'x/t.csv', 't.json', 't'].map(timelineFormatOfPath)).toEqual(['jsonl', 'jsonl', 'csv', null, null]);
  });
});
