// show: the original JSON from the embedded evidence, with every place it was seen.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';

const haveSample = fs.existsSync(path.join(sampleDir, 'ground-truth.json'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const truth: any = haveSample ? JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8')) : null;

describe.skipIf(!haveSample)('show on the sample', () => {
  let db = '';
  beforeAll(() => {
    db = path.join(tmpDir(), 'case.db');
    expect([0, 4]).toContain(runCli(['ingest', path.join(sampleDir, 'evidence'), '--db', db]).code);
  });

  it('lists every source file and record with hashes that match the files', () => {
    const id = truth.incidents.stolenAccessKey.firstMaliciousEventId;
    const r = runCli(['show', id, '--db', db, '--format', 'json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { eventID: string; original: string; event: Record<string, unknown>; provenance: { root: string; path: string; recordIndex: number; sha256: string; contentSha256: string }[] };
    expect(s.eventID).toBe(id);
    expect(s.provenance.length).toBe(2); // the org trail and the account trail both delivered it
    for (const p of s.provenance) {
      const bytes = fs.readFileSync(path.join(p.root, p.path));
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
      const content = zlib.gunzipSync(bytes);
      expect(crypto.createHash('sha256').update(content).digest('hex')).toBe(p.contentSha256);
      const recs = (JSON.parse(content.toString('utf8')) as { Records: Record<string, unknown>[] }).Records;
      expect(recs[p.recordIndex].eventID).toBe(id);
    }
    expect(JSON.parse(s.original)).toEqual(s.event);
    expect(s.event.eventID).toBe(id);
    const text = runCli(['show', id, '--db', db]);
    expect(text.stdout).toContain('# seen 2 times:');
    expect(text.stdout).toContain(`sha256 ${s.provenance[0].sha256}`);
    const raw = runCli(['show', id, '--db', db, '--raw']);
    expect(raw.stdout).toBe(`${s.original}\n`);
  });

  it('an unknown eventID fails with what the case covers', () => {
    const r = runCli(['show', '00000000-0000-0000-0000-000000000000', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no event with eventID or eventID prefix "00000000-0000-0000-0000-000000000000" in .*; the case holds 4892 events/);
  });
});

describe('show never writes attacker control characters raw', () => {
  it('escapes escape sequences in the text view', () => {
    const root = tmpDir();
    const ev = event({ userAgent: 'evil\u001b]0;owned\u0007\u009b2J\u202e' });
    writeLog(root, [ev]);
    const db = path.join(tmpDir(), 'c.db');
    expect(runCli(['ingest', root, '--db', db]).code).toBe(0);
    const out = runCli(['show', String(ev.eventID), '--db', db]).stdout;
    expect(out).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    expect(out).toContain('evil\\u001b]0;owned\\u0007\\u009b2J\\u202e');
    const search = runCli(['search', '--db', db]).stdout;
    expect(search).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    const lookup = runCli(['lookup-events', '--db', db, '--output', 'text']).stdout;
    expect(lookup).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  });
});
