// Identifiers that look like numbers stay the text they are: S3's request IDs are 16 hexadecimal capitals, and one in
// a few hundred reads as a number (`991379651E138351` is 9.9e138359, Infinity to SQLite); hostile or re-exported
// evidence may carry all-digit eventIDs. A case from before schema 5 holds them damaged: `trailhound migrate` reads
// each one back from its record.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, runCliInProcess } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { tmpDir } from '../helpers/paths.js';
import { apiCall, writeLog } from '../helpers/evidence.js';

const IDS = [
  { eventID: '123456789012345678', requestID: '991379651E138351', sharedEventID: '00012' },
  { eventID: '1e3', requestID: '0000000000000001', sharedEventID: '123456789012345' },
];

function evidence(dir: string): string {
  const root = path.join(dir, 'evidence');
  const records = IDS.map((ids, i) => ({
    ...apiCall({ identity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/a', accountId: '111122223333' }, eventTime: `2024-02-17T10:0${i}:00Z`, eventId: ids.eventID, account: '111122223333' }, { eventSource: 's3.amazonaws.com', eventName: 'GetObject' }),
    ...ids,
  }));
  writeLog(root, records, { name: 'numbers.json.gz' });
  return root;
}

function listed(db: string): Array<Record<string, string>> {
  const r = runCli(['search', '--db', db, '--format', 'json', '--fields', 'eventID,requestID,sharedEventID']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { events: Array<Record<string, string>> }).events.sort((a, b) => a.eventID.localeCompare(b.eventID));
}

/** The case as schema 4 wrote it: the same text bound into the ANY columns, which numeric affinity converts. */
function damage(db: string): void {
  const d = new Database(db);
  for (const ids of IDS) {
    const row = d.prepare(`SELECT row_id FROM events_v WHERE event_id = ?`).pluck().get(ids.eventID) as number;
    d.prepare('UPDATE events SET event_id = ?, request_id = ?, shared_event_id = ? WHERE id = ?').run(ids.eventID, ids.requestID, ids.sharedEventID, row);
  }
  expect(d.prepare("SELECT count(*) FROM events WHERE typeof(request_id) IN ('integer', 'real')").pluck().get()).toBe(2);
  d.pragma('user_version = 4');
  d.close();
}

const want = [...IDS].sort((a, b) => a.eventID.localeCompare(b.eventID));

describe('ids that look like numbers', () => {
  it('in the generated sample (S3 request IDs that read as numbers) equal their records', async () => {
    const sql = (q: string) => runCliInProcess(['sql', '--db', sharedCase('sample'), q, '--format', 'json']);
    const r = await sql(`SELECT sum(request_id GLOB '[0-9]*' AND request_id NOT GLOB '*[^0-9E]*') AS number_like,
      sum(NOT is_partial AND (event_id IS NOT json_extract(event_json(event_id), '$.eventID') OR request_id IS NOT json_extract(event_json(event_id), '$.requestID')
        OR shared_event_id IS NOT json_extract(event_json(event_id), '$.sharedEventID'))) AS differ FROM events_v`);
    const [row] = (JSON.parse(r.stdout) as { rows: Array<{ number_like: number; differ: number }> }).rows;
    expect(row.number_like).toBeGreaterThan(0); // the generator plants them (one S3 request ID in ~800)
    expect(row.differ).toBe(0);
  });

  it('are kept as written: listed, searched, shown by id and by prefix', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', evidence(dir), '--db', db, '--quiet']).code).toBe(0);
    expect(listed(db)).toEqual(want);
    const byRequest = runCli(['search', '--db', db, '--request-id', '991379651E138351', '--format', 'json', '--fields', 'eventID']);
    expect(JSON.parse(byRequest.stdout)).toMatchObject({ events: [{ eventID: '123456789012345678' }] });
    expect(runCli(['show', '123456789012345678', '--db', db]).stdout).toContain('# event 123456789012345678 ');
    expect(runCli(['show', '12345678', '--db', db]).stdout).toContain('# event 123456789012345678 ');
  });

  it('damaged by an older trailhound are read back from their records by trailhound migrate', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'case.db');
    const ev = evidence(dir);
    expect(runCli(['ingest', ev, '--db', db, '--quiet']).code).toBe(0);
    damage(db);
    const m = runCli(['migrate', '--db', db]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout + m.stderr).toContain('0005-text-ids');
    expect(listed(db)).toEqual(want);
    // Ingesting the same evidence again finds the events it already has (the ids match again).
    const again = runCli(['ingest', ev, '--db', db, '--format', 'json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ eventsAdded: 0 });
    expect(fs.existsSync(db)).toBe(true);
  });

  it('that cannot be read back (evidence not embedded and moved) are named in the warnings, and repaired once it is back', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'case.db');
    const ev = evidence(dir);
    expect(runCli(['ingest', ev, '--db', db, '--quiet', '--no-embed']).code).toBe(0);
    damage(db);
    fs.renameSync(ev, `${ev}.away`);
    const m = runCli(['migrate', '--db', db]);
    expect(m.code).toBe(4);
    expect(m.stderr).toContain('6 IDs an older trailhound stored as numbers could not be read back from their records');
    const w = JSON.parse(runCli(['warnings', '--db', db, '--code', 'id_not_repaired', '--format', 'json']).stdout) as { warnings: Array<{ file: string; code: string; recordIndex: number }> };
    expect(w.warnings.length).toBe(6);
    expect(w.warnings[0]).toMatchObject({ code: 'id_not_repaired', recordIndex: expect.any(Number) });
    expect(w.warnings[0].file).toMatch(/numbers\.json\.gz$/);
    // Nothing lost: the events are all there, with the damaged values as they were.
    expect(listed(db)).toHaveLength(2);
    fs.renameSync(`${ev}.away`, ev);
    const again = runCli(['migrate', '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(listed(db)).toEqual(want);
    expect(JSON.parse(runCli(['warnings', '--db', db, '--code', 'id_not_repaired', '--format', 'json']).stdout).warnings).toEqual([]);
  });
});
