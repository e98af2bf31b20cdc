// `trailhound info --stats` on the sample case: the bytes of every table and index add up to the file, the main
// tables are named, the JSON shape is the documented one (docs/json-output.md#info), and the case is only read.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import type { CaseStats as Stats } from '../../src/index/case-stats.js';


const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('trailhound info --stats', () => {
  let db: string;
  let before: { sha: string; mtime: number };
  let r: CliResult;
  let doc: { events: number; embeddedBytes: number; stats: Stats };
  let s: Stats;
  beforeAll(() => {
    db = copyCase('sample');
    before = { sha: sha(db), mtime: fs.statSync(db).mtimeMs };
    r = runCli(['info', '--db', db, '--stats', '--json']);
    doc = JSON.parse(r.stdout) as typeof doc;
    s = doc.stats;
  });

  it('adds a stats object to the info document, in the documented shape', () => {
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(Object.keys(s)).toEqual(['fileBytes', 'pageSize', 'freeBytes', 'parts', 'tables', 'tableBytes', 'indexBytes', 'events', 'bytesPerEvent', 'evidenceBytes', 'evidenceShare', 'bytesPerEventWithoutEvidence']);
    expect(Object.keys(s.parts[0])).toEqual(['name', 'type', 'table', 'bytes', 'pages']);
    expect(Object.keys(s.tables[0])).toEqual(['name', 'bytes', 'indexBytes', 'totalBytes']);
    expect(s.events).toBe(doc.events);
    // Without --stats the document has no stats (reading every page is only done when asked).
    expect(JSON.parse(runCli(['info', '--db', db, '--json']).stdout)).not.toHaveProperty('stats');
  });

  it('the parts add up to the file size (free pages included), and the file size is the file on disk', () => {
    expect(s.fileBytes).toBe(fs.statSync(db).size);
    const sum = s.parts.reduce((a, p) => a + p.bytes, 0);
    expect(Math.abs(sum + s.freeBytes - s.fileBytes)).toBeLessThanOrEqual(s.pageSize);
    expect(s.tableBytes + s.indexBytes).toBe(sum);
    for (const p of s.parts) expect(p.bytes).toBe(p.pages * s.pageSize);
    for (const t of s.tables) expect(t.totalBytes).toBe(s.parts.filter((p) => p.table === t.name).reduce((a, p) => a + p.bytes, 0));
    // Largest first.
    expect(s.parts.map((p) => p.bytes)).toEqual([...s.parts.map((p) => p.bytes)].sort((a, b) => b - a));
  });

  it('names the tables and their indexes, with the embedded evidence and the bytes per event', () => {
    const tables = s.tables.map((t) => t.name);
    for (const t of ['events', 'extra_occurrences', 'event_resources', 'strings', 'source_blobs', 'sources']) expect(tables).toContain(t);
    const eventIndexes = s.parts.filter((p) => p.type === 'index' && p.table === 'events');
    expect(eventIndexes.length).toBeGreaterThan(0);
    expect(s.parts.filter((p) => p.type === 'index').every((p) => tables.includes(p.table))).toBe(true);
    const blobs = s.tables.find((t) => t.name === 'source_blobs')!;
    expect(s.evidenceBytes).toBe(blobs.totalBytes);
    // The b-tree holds at least the embedded bytes info reports (pages are never fuller than their data).
    expect(s.evidenceBytes).toBeGreaterThanOrEqual(doc.embeddedBytes);
    expect(s.evidenceShare).toBeCloseTo(s.evidenceBytes / s.fileBytes, 3);
    expect(s.bytesPerEvent).toBe(Math.round(s.fileBytes / s.events));
    expect(s.bytesPerEventWithoutEvidence).toBe(Math.round((s.fileBytes - s.evidenceBytes) / s.events));
  });

  it('prints the same as a table: size per event, evidence share, each big table with its indexes under it', () => {
    const t = runCli(['info', '--db', db, '--stats']);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain(`${s.bytesPerEvent} bytes per unique event (${s.bytesPerEventWithoutEvidence} without the embedded evidence)`);
    expect(t.stdout).toContain(`of the file)`);
    const lines = t.stdout.split('\n');
    const at = lines.indexOf('bytes by table and index:');
    expect(at).toBeGreaterThan(0);
    const events = lines.findIndex((l) => /^ {2}events +\d/.test(l));
    expect(events).toBeGreaterThan(at);
    expect(lines[events + 1]).toMatch(/^ {4}events_\w+ +\d/);
    expect(t.stdout).toMatch(/\n {2}\d+ small tables \(one page per b-tree\) +\d/);
  });

  it('only reads the case: same bytes, same modification time, nothing written to a write-ahead log', () => {
    expect(sha(db)).toBe(before.sha);
    expect(fs.statSync(db).mtimeMs).toBe(before.mtime);
    // A read-only reader of a WAL-mode case may leave SQLite's -shm index and an empty -wal beside it; no journal.
    const beside = fs.readdirSync(path.dirname(db)).filter((f) => f !== path.basename(db));
    expect(beside.filter((f) => !/-(wal|shm)$/.test(f))).toEqual([]);
    if (beside.includes(`${path.basename(db)}-wal`)) expect(fs.statSync(`${db}-wal`).size).toBe(0);
  });
});
