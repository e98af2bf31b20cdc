// trailhound sql: analysts' read-only SQL over the readable views, event_json(), every output format, and a case
// that cannot be changed through it. Also: the views read the same in a plain SQLite connection (the sqlite3 shell).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cli.js';
import { sampleDir } from '../helpers/paths.js';
import { sharedCase } from '../helpers/cases.js';
import { findRawControl } from '../helpers/raw-control.js';
import { EVENT_COLUMNS, FLAG_COLUMNS } from '../../src/model/event-columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const truth: any = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
const sha = (f: string): string => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('trailhound sql', () => {
  let db = '';
  let id = '';
  beforeAll(() => {
    db = sharedCase('sample');
    id = truth.incidents.stolenAccessKey.firstMaliciousEventId;
  });

  const sql = (...args: string[]) => runCliInProcess(['sql', '--db', db, ...args]);

  it("finds an event by its text eventID (WHERE event_id = '<uuid>') with times, strings and flags readable", async () => {
    const r = await sql(`SELECT event_id, event_time, event_time_ms, event_name, access_key_id, is_partial, trust, source_file FROM events_v WHERE event_id = '${id}'`, '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rowCount).toBe(1);
    const row = out.rows[0];
    expect(row.event_id).toBe(id);
    expect(row.event_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(row.event_time)).toBe(row.event_time_ms);
    expect(row.access_key_id).toBe(truth.incidents.stolenAccessKey.accessKeyId);
    expect(row.is_partial).toBe(0);
    expect(row.trust).toBe('unverified');
    expect(row.source_file).toMatch(/\.json\.gz$/);
    // The same event through search: the views and the commands agree.
    const s = JSON.parse((await runCliInProcess(['search', '--db', db, '--event-id', id, '--format', 'json'])).stdout);
    expect(s.events[0].eventName).toBe(row.event_name);
    expect(s.events[0].eventTime).toBe(row.event_time);
  });

  it("events_v's trust is the label search --trust filters by (on a verified case)", async () => {
    const verified = sharedCase('sampleVerified');
    const counts = JSON.parse((await runCliInProcess(['sql', '--db', verified, 'SELECT trust, count(*) AS n FROM events_v GROUP BY trust', '--format', 'json'])).stdout).rows as { trust: string; n: number }[];
    expect(counts.find((c) => c.trust === 'proven')?.n).toBeGreaterThan(0);
    for (const trust of ['proven', 'provisional', 'unverified']) {
      const s = JSON.parse((await runCliInProcess(['search', '--db', verified, '--trust', trust, '--format', 'json', '--fields', 'eventID'])).stdout);
      expect(s.events.length, trust).toBe(counts.find((c) => c.trust === trust)?.n ?? 0);
    }
  });

  it('event_json returns the original record, so json_extract reads any field', async () => {
    const r = await sql(`SELECT event_json(event_id) AS body, json_extract(event_json(event_id), '$.eventID') AS eid, event_json('no-such-event') AS none FROM events_v WHERE event_id = '${id}'`, '--format', 'json');
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout).rows[0];
    expect(row.eid).toBe(id);
    expect(row.none).toBeNull();
    const shown = JSON.parse((await runCliInProcess(['show', id, '--db', db, '--format', 'json'])).stdout);
    expect(row.body).toBe(shown.original);
  });

  it('json_extract over many events matches what search finds', async () => {
    const r = await sql(
      "SELECT json_extract(event_json(event_id), '$.requestParameters.bucketName') AS bucket, count(*) AS n FROM events_v WHERE event_name = 'GetObject' GROUP BY 1 ORDER BY n DESC, bucket",
      '--format',
      'jsonl',
    );
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const total = rows.reduce((a, x) => a + x.n, 0);
    const s = JSON.parse((await runCliInProcess(['search', '--db', db, '--event-name', 'GetObject', '--format', 'json', '--limit', '0'])).stdout);
    expect(total).toBe(s.events.length);
    expect(total).toBeGreaterThan(0);
    expect(rows.every((x) => typeof x.bucket === 'string' && x.bucket.length > 0)).toBe(true);
  });

  it('prints every output format', async () => {
    const q = "SELECT event_name, count(*) AS n FROM events_v GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3";
    const json = JSON.parse((await sql(q, '--format', 'json')).stdout);
    expect(json.columns).toEqual(['event_name', 'n']);
    const names = json.rows.map((x: { event_name: string }) => x.event_name);
    const table = await sql(q);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^event_name\s+n$/);
    expect(table.stdout).toContain('(3 rows)');
    for (const n of names) expect(table.stdout).toContain(n);
    const csv = (await sql(q, '--format', 'csv')).stdout.split('\r\n');
    expect(csv[0]).toBe('event_name,n');
    expect(csv[1]).toBe(`${names[0]},${json.rows[0].n}`);
    const md = (await sql(q, '--format', 'md')).stdout.split('\n');
    expect(md[0]).toBe('| event\\_name | n |');
    expect(md.length).toBe(3 + 2 + 1);
    expect((await sql(q, '--format', 'jsonl')).stdout.trim().split('\n').map((l) => JSON.parse(l).event_name)).toEqual(names);
    expect((await sql(q, '--json')).stdout).toBe((await sql(q, '--format', 'json')).stdout);
  });

  it('binds --param values (numbers as numbers) and names a missing one', async () => {
    const r = await sql('SELECT count(*) AS n FROM events_v WHERE event_time_ms >= :t AND access_key_id = :key', '--param', `t=0`, '--param', `key=${truth.incidents.stolenAccessKey.accessKeyId}`, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].n).toBeGreaterThan(0);
    const missing = await sql('SELECT :x AS x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--param x=VALUE');
    const malformed = await sql('SELECT :x AS x', '--param', 'x');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--param: "x" is not NAME=VALUE');
    const unused = await sql('SELECT 1 AS one', '--param', 'y=2');
    expect(unused.code).toBe(2);
    expect(unused.stderr).toContain('--param y: the statement has no :y');
  });

  it('names a case that is not there, and creates nothing', async () => {
    const missingDb = path.join(path.dirname(db), 'no-such-case.db');
    const r = await runCliInProcess(['sql', '--db', missingDb, 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`case file ${missingDb} does not exist`);
    expect(fs.existsSync(missingDb)).toBe(false);
  });

  it('hostile text in the results never reaches the terminal raw, in any format', async () => {
    // Values a query can return from evidence: escape sequences, C1 controls, bidi overrides, line breaks.
    const hostile = "char(27) || '[31mred' || char(7) || char(155) || char(8238) || 'x' || char(10) || 'y' || char(13) AS v";
    for (const format of ['table', 'json', 'jsonl', 'csv', 'md']) {
      const r = await sql(`SELECT ${hostile}, 'ok' AS w`, '--format', format);
      expect(r.code, format).toBe(0);
      expect(findRawControl(r.stdout), format).toBeNull();
    }
    const back = JSON.parse((await sql(`SELECT ${hostile}`, '--format', 'json')).stdout).rows[0].v;
    expect(back).toBe('\u001b[31mred\u0007\u009b\u202ex\ny\r');
  });

  it('refuses anything but a query, and the case stays byte for byte the same', async () => {
    const before = sha(db);
    for (const q of ['DELETE FROM events', "UPDATE strings SET value = 'x'", 'DROP VIEW events_v', "ATTACH 'x.db' AS x", 'SELECT 1; DELETE FROM events', 'VACUUM']) {
      const r = await sql(q);
      expect(r.code, q).toBe(2);
      expect(r.stderr, q).toMatch(/^trailhound: /);
    }
    const bad = await sql('SELECT nope FROM events_v');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no such column: nope');
    expect(sha(db)).toBe(before);
    expect(fs.existsSync(path.join(path.dirname(db), 'x.db'))).toBe(false);
  });

  it('the stored views read the same in a plain SQLite connection (the sqlite3 shell, Datasette)', async () => {
    const conn = new Database(db, { readonly: true });
    try {
      const names = (conn.prepare("SELECT name FROM pragma_table_info('events_v')").pluck().all() as string[]);
      for (const c of EVENT_COLUMNS) expect(names).toContain(c.column);
      for (const f of FLAG_COLUMNS) expect(names).toContain(f.column);
      const row = conn.prepare('SELECT event_name, event_time FROM events_v WHERE event_id = ?').get(id) as { event_name: string; event_time: string };
      expect(row.event_time).toMatch(/Z$/);
      const res = conn.prepare('SELECT count(*) FROM event_resources_v WHERE event_id = ?').pluck().get(id) as number;
      const shown = JSON.parse((await runCliInProcess(['search', '--db', db, '--event-id', id, '--format', 'json'])).stdout);
      expect(res).toBe(shown.events[0].resources.length);
    } finally {
      conn.close();
    }
  });

  it('docs/case-format.md documents every events_v column', () => {
    const doc = fs.readFileSync(path.resolve(sampleDir, '../../docs/case-format.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### `events_v`, column by column'));
    const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    const conn = new Database(db, { readonly: true });
    const names = conn.prepare("SELECT name FROM pragma_table_info('events_v')").pluck().all() as string[];
    conn.close();
    expect(documented).toEqual(names);
  });
});
