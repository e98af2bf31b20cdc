// show: the original JSON from the embedded evidence, with every place it was seen.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { tmpDir } from '../helpers/paths.js';
import { truth } from '../helpers/sample.js';
import { event, writeLog } from '../helpers/evidence.js';

describe('show on the sample', () => {
  let db = '';
  beforeAll(() => {
    db = sharedCase('sample');
  });

  it('lists every source file and record with hashes that match the files', async () => {
    const id = truth.incidents.stolenAccessKey.firstMaliciousEventId;
    const r = await runCliInProcess(['show', id, '--db', db, '--format', 'json']);
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
    const text = await runCliInProcess(['show', id, '--db', db]);
    expect(text.stdout).toContain('# seen 2 times:');
    expect(text.stdout).toContain(`sha256 ${s.provenance[0].sha256}`);
    const raw = await runCliInProcess(['show', id, '--db', db, '--raw']);
    expect(raw.stdout).toBe(`${s.original}\n`);
  });

  it('an unknown eventID fails with what the case covers', async () => {
    const r = await runCliInProcess(['show', '00000000-0000-0000-0000-000000000000', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no event with eventID or eventID prefix "00000000-0000-0000-0000-000000000000" in .*; the case holds \d+ events/);
    expect(r.stderr).toContain(`the case holds ${truth.counts.events} events`);
  });
});

describe('show never writes attacker control characters raw', () => {
  it('escapes escape sequences in the text view', async () => {
    const root = tmpDir();
    const ev = event({ userAgent: 'evil\u001b]0;owned\u0007\u009b2J\u202e' });
    writeLog(root, [ev]);
    const db = path.join(tmpDir(), 'c.db');
    expect((await runCliInProcess(['ingest', root, '--db', db])).code).toBe(0);
    const out = (await runCliInProcess(['show', String(ev.eventID), '--db', db])).stdout;
    expect(out).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    expect(out).toContain('evil\\u001b]0;owned\\u0007\\u009b2J\\u202e');
    const search = (await runCliInProcess(['search', '--db', db])).stdout;
    expect(search).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
    const lookup = (await runCliInProcess(['lookup-events', '--db', db, '--output', 'text'])).stdout;
    expect(lookup).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  });
});

describe('show <prefix> (issue 14): a unique eventID prefix of 8 or more characters', () => {
  const ids = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'bbbbbbbb-1111-4111-8111-111111111111'];
  let db = '';
  beforeAll(async () => {
    const root = tmpDir();
    writeLog(root, ids.map((eventID, i) => event({ eventID, eventName: `Call${i}`, eventTime: `2024-02-17T10:00:0${i}Z` })));
    db = path.join(tmpDir(), 'c.db');
    expect((await runCliInProcess(['ingest', root, '--db', db])).code).toBe(0);
  });

  it('unique: that event, in any case, shown with its whole ID', async () => {
    for (const p of ['bbbbbbbb', 'BBBBBBBB-1111', ids[2]]) {
      const r = await runCliInProcess(['show', p, '--db', db, '--format', 'json']);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { eventID: string }).eventID).toBe(ids[2]);
    }
    expect((await runCliInProcess(['show', 'bbbbbbbb', '--db', db])).stdout.split('\n')[0]).toBe(`# event ${ids[2]}  2024-02-17T10:00:02Z  Call2`);
  });

  it('ambiguous: exit 2, the candidates with time and name, nothing on stdout', async () => {
    const r = await runCliInProcess(['show', 'aaaaaaaa', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'trailhound: eventID prefix "aaaaaaaa" matches 2 events; give more of the ID:\n' +
        `  ${ids[0]}  2024-02-17T10:00:00Z  Call0\n` +
        `  ${ids[1]}  2024-02-17T10:00:01Z  Call1\n`,
    );
    // one ambiguous argument among good ones: still exit 2, nothing shown
    expect(await runCliInProcess(['show', 'bbbbbbbb', 'aaaaaaaa-0000', '--db', db])).toMatchObject({ code: 2, stdout: '' });
  });

  it('none: exit 1 with what the case covers; a prefix shorter than 8 characters says so', async () => {
    const r = await runCliInProcess(['show', 'cccccccc', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^trailhound: no event with eventID or eventID prefix "cccccccc" in \S+; the case holds 3 events from /);
    const short = await runCliInProcess(['show', 'bbbbbbb', '--db', db]);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/^trailhound: no event with eventID or eventID prefix "bbbbbbb" in \S+ \(a prefix needs at least 8 characters\); the case holds 3 events/);
  });
});
