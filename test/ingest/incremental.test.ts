// Incremental and crash-safe ingest; dedupe across organization and account trails; read-only evidence.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest } from '../../src/ingest/run.js';
import { event, writeLog } from '../helpers/evidence.js';
import { cliBin, tmpDir } from '../helpers/paths.js';

/** The logical content of a case: everything but row ids and run bookkeeping. */
function snapshot(dbPath: string): unknown {
  const d = new Database(dbPath, { readonly: true });
  try {
    return {
      events: d.prepare('SELECT hex(e.event_id) id, v.event_time, v.event_name, v.username, v.access_key_id, e.flags, hex(e.content_hash) h FROM events_v v JOIN events e ON e.id = v.row_id ORDER BY 1').all(),
      sources: d.prepare('SELECT path, sha256, content_sha256, kind, status, record_count, embedded FROM sources ORDER BY path, sha256').all(),
      occurrences: d.prepare('SELECT hex(e.event_id) id, s.path, o.record_index, o.byte_offset, o.byte_length, o.variant FROM occurrences o JOIN events e ON e.id = o.event_id JOIN sources s ON s.id = o.source_id ORDER BY 1, 2, 3').all(),
      resources: d.prepare('SELECT hex(e.event_id) id, t.value type, n.value name FROM event_resources r JOIN events e ON e.id = r.event_id JOIN strings t ON t.id = r.type JOIN strings n ON n.id = r.name ORDER BY 1, 2, 3').all(),
      blobs: d.prepare('SELECT s.path, sum(length(b.data)) n FROM source_blobs b JOIN sources s ON s.id = b.source_id GROUP BY s.path ORDER BY 1').all(),
      warnings: d.prepare('SELECT file, record_index, code FROM warnings ORDER BY 1, 2, 3').all(),
    };
  } finally {
    d.close();
  }
}

function makeEvidence(dir: string, files: number, perFile: number): string {
  const root = path.join(dir, 'evidence');
  for (let f = 0; f < files; f++) {
    const evs = Array.from({ length: perFile }, () => event({ userAgent: `agent-${f}` }));
    writeLog(root, evs, { stamp: `20240217T${String(10 + (f % 10)).padStart(2, '0')}${String(f % 60).padStart(2, '0')}Z` });
  }
  return root;
}

describe('incremental ingest', () => {
  it('re-ingesting the same evidence adds nothing; overlapping evidence adds only what is new', async () => {
    const dir = tmpDir();
    const root = makeEvidence(dir, 6, 20);
    const db = path.join(dir, 'case.db');
    const first = await runIngest({ dbPath: db, paths: [root], workers: 2 });
    expect(first.eventsAdded).toBe(120);
    const before = snapshot(db);
    const again = await runIngest({ dbPath: db, paths: [root], workers: 2 });
    expect(again.eventsAdded).toBe(0);
    expect(again.files.alreadyInCase).toBe(6);
    expect(snapshot(db)).toEqual(before);
    writeLog(root, [event(), event()], { stamp: '20240217T2359Z' });
    const third = await runIngest({ dbPath: db, paths: [root], workers: 2 });
    expect(third.eventsAdded).toBe(2);
    expect(third.files.alreadyInCase).toBe(6);
  });

  it('the same event from an organization trail and an account trail is one event with two occurrences', async () => {
    const dir = tmpDir();
    const shared = [event(), event(), event()];
    writeLog(path.join(dir, 'org'), [shared[0], shared[1], event()], { org: 'o-abcdefghij' });
    writeLog(path.join(dir, 'acct'), [shared[2], shared[1], shared[0]]);
    const db = path.join(dir, 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'org'), path.join(dir, 'acct')], workers: 0 });
    expect(s.eventsAdded).toBe(4);
    expect(s.duplicateOccurrences).toBe(2);
    expect(s.conflicts).toBe(0);
    const d = new Database(db, { readonly: true });
    const occ = d.prepare('SELECT count(*) FROM occurrences').pluck().get();
    const orgSrc = d.prepare("SELECT org_id, account_id, region, date FROM sources WHERE org_id IS NOT NULL").get();
    d.close();
    expect(occ).toBe(6);
    expect(orgSrc).toEqual({ org_id: 'o-abcdefghij', account_id: '111122223333', region: 'us-east-1', date: '2024-02-17' });
  });

  it('the same eventID with a different body is a conflict: both bodies kept, a warning', async () => {
    const dir = tmpDir();
    const a = event();
    writeLog(path.join(dir, 'e'), [a]);
    writeLog(path.join(dir, 'e'), [{ ...a, sourceIPAddress: '198.51.100.66' }], { stamp: '20240217T1100Z' });
    const db = path.join(dir, 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'e')], workers: 0 });
    expect(s.eventsAdded).toBe(1);
    expect(s.conflicts).toBe(1);
    const d = new Database(db, { readonly: true });
    const flags = d.prepare('SELECT flags FROM events').pluck().get() as number;
    const variants = d.prepare('SELECT variant FROM occurrences ORDER BY variant').pluck().all();
    d.close();
    expect(flags & 4).toBe(4);
    expect(variants).toEqual([0, 1]);
  });

  it('a partial CSV row is not a conflict, and the full record replaces it when it arrives later', async () => {
    const dir = tmpDir();
    const a = event();
    fs.mkdirSync(path.join(dir, 'csv'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'csv', 'event-history.csv'), `Event ID,Event time,User name,Event name,Event source\n${a.eventID},${a.eventTime},alice,DescribeInstances,ec2.amazonaws.com\n`);
    writeLog(path.join(dir, 'logs'), [a]);
    const db = path.join(dir, 'case.db');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'csv'), path.join(dir, 'logs')], workers: 0 });
    expect(s.eventsAdded).toBe(1);
    expect(s.conflicts).toBe(0);
    const d = new Database(db, { readonly: true });
    const row = d.prepare('SELECT v.flags, v.source_ip, s.kind FROM events_v v JOIN sources s ON s.id = v.source_id').get();
    d.close();
    expect(row).toEqual({ flags: 0, source_ip: '203.0.113.10', kind: 'cloudtrail-log' });
  });

  it('SIGKILL at any moment, then the same command again, gives the case an uninterrupted run gives', async () => {
    const dir = tmpDir();
    const root = makeEvidence(dir, 60, 250);
    const clean = path.join(dir, 'clean.db');
    await runIngest({ dbPath: clean, paths: [root], workers: 2 });
    const expected = snapshot(clean);
    let interrupted = 0;
    for (const delayMs of [150, 300, 450, 600]) {
      const db = path.join(dir, `killed-${delayMs}.db`);
      const child = spawn(process.execPath, [cliBin, 'ingest', root, '--db', db, '--quiet'], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      if ((await exited) === 'SIGKILL') interrupted++;
      const s = await runIngest({ dbPath: db, paths: [root], workers: 2 });
      expect(s.complete).toBe(true);
      expect(snapshot(db)).toEqual(expected);
    }
    expect(interrupted).toBeGreaterThan(0);
  });
});

describe('evidence is read-only', () => {
  it('ingests a tree with all write permission removed and creates nothing inside it', async () => {
    const dir = tmpDir();
    const root = makeEvidence(dir, 3, 5);
    const list = (): string[] =>
      fs.readdirSync(root, { recursive: true, withFileTypes: true }).map((e) => {
        const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
        const st = fs.statSync(p);
        return `${path.relative(root, p)} ${st.size} ${st.mtimeMs}`;
      }).sort();
    const chmodAll = (mode: number): void => {
      for (const e of fs.readdirSync(root, { recursive: true }) as string[]) fs.chmodSync(path.join(root, e), fs.statSync(path.join(root, e)).isDirectory() ? mode | 0o111 : mode);
      fs.chmodSync(root, mode | 0o111);
    };
    const before = list();
    chmodAll(0o444);
    try {
      const s = await runIngest({ dbPath: path.join(dir, 'case.db'), paths: [root], workers: 2 });
      expect(s.eventsAdded).toBe(15);
      expect(s.complete).toBe(true);
    } finally {
      chmodAll(0o755);
    }
    expect(list()).toEqual(before);
  });
});
