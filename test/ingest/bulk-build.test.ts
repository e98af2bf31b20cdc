// A new case is built in bulk as CASE.building and moved into place when complete. The case it gives is the case
// the file-by-file path gives, row for row; a leftover of a killed build is discarded; a build in progress is not
// touched; a build that fails leaves nothing under the case's name.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runIngest } from '../../src/ingest/run.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';
import { sharedCase } from '../helpers/cases.js';

/** Every row of every table, run ids aside: two cases with the same content give the same dump. */
function dump(dbPath: string): Record<string, unknown[]> {
  const d = new Database(dbPath, { readonly: true });
  try {
    const tables = d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'ingest_runs' ORDER BY name").pluck().all() as string[];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      const n = (d.prepare(`SELECT count(*) FROM pragma_table_info('${t}')`).pluck().get() as number);
      const order = Array.from({ length: n }, (_, i) => i + 1).join(', ');
      out[t] = (d.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).all() as Array<Record<string, unknown>>).map((r) => {
        const { run_id: _run, ...rest } = r;
        return rest;
      });
    }
    return out;
  } finally {
    d.close();
  }
}

const evidence = [path.join(sampleDir, 'evidence'), path.join(sampleDir, 'exports')];

describe('building a new case in bulk', () => {
  it('gives the same case, row for row, as writing it file by file (and as parsing on one thread)', async () => {
    const dir = tmpDir();
    // Built in bulk by the CLI (`ingest evidence exports --db`), once for the whole suite.
    const bulk = sharedCase('sampleWithExports');
    const inPlace = path.join(dir, 'in-place.db');
    const oneThread = path.join(dir, 'one-thread.db');
    const a = await runIngest({ dbPath: inPlace, paths: evidence, bulk: false });
    await runIngest({ dbPath: oneThread, paths: evidence, workers: 0 });
    // The evidence holds what makes the writer branch: the same events in two trails and in the exports, CSV rows replaced by full records.
    expect(a.duplicateOccurrences).toBeGreaterThan(1000);
    const expected = dump(inPlace);
    expect((expected.extra_occurrences ?? []).length).toBeGreaterThan(1000);
    expect(dump(bulk)).toEqual(expected);
    expect(dump(oneThread)).toEqual(expected);
  }, 120_000);

  it('discards what a killed first ingest left in CASE.building, says so, and builds the case anew', async () => {
    const dir = tmpDir();
    writeLog(path.join(dir, 'ev'), [event(), event()]);
    const db = path.join(dir, 'case.db');
    // A killed build: a database cut off mid-write (no journal) or not even a database yet.
    fs.writeFileSync(`${db}.building`, 'SQLite format 3\0 cut short');
    const s = await runIngest({ dbPath: db, paths: [path.join(dir, 'ev')] });
    expect(s.discardedBuild).toBe(`${path.resolve(db)}.building`);
    expect(s.eventsAdded).toBe(2);
    expect(fs.existsSync(`${db}.building`)).toBe(false);
    const again = await runIngest({ dbPath: db, paths: [path.join(dir, 'ev')] });
    expect(again.discardedBuild).toBeNull();
    expect(again.eventsAdded).toBe(0);
  });

  it('refuses to start while another ingest is building the same case, and leaves its file alone', async () => {
    const dir = tmpDir();
    writeLog(path.join(dir, 'ev'), [event()]);
    const db = path.join(dir, 'case.db');
    // The other ingest: a connection holding the build's exclusive lock.
    const other = new Database(`${db}.building`);
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    try {
      await expect(runIngest({ dbPath: db, paths: [path.join(dir, 'ev')] })).rejects.toThrow(
        `another trailhound ingest is building this case (${path.resolve(db)}.building); wait for it to finish`,
      );
      expect(other.prepare('SELECT x FROM t').pluck().get()).toBe(1);
    } finally {
      other.close();
    }
    expect(fs.existsSync(db)).toBe(false);
  });

  it('a first ingest that fails leaves neither the case nor its build file', async () => {
    const dir = tmpDir();
    writeLog(path.join(dir, 'ev'), [event(), event()]);
    const db = path.join(dir, 'case.db');
    const failing = runIngest({
      dbPath: db, paths: [path.join(dir, 'ev')], workers: 0,
      onProgress: () => {
        throw new Error('stopped by the test');
      },
    });
    await expect(failing).rejects.toThrow('stopped by the test');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('case.db'))).toEqual([]);
  });

  it('an existing case is written in place: a failure keeps what earlier runs ingested', async () => {
    const dir = tmpDir();
    writeLog(path.join(dir, 'ev1'), [event(), event()]);
    writeLog(path.join(dir, 'ev2'), [event()]);
    const db = path.join(dir, 'case.db');
    await runIngest({ dbPath: db, paths: [path.join(dir, 'ev1')] });
    await expect(
      runIngest({
        dbPath: db, paths: [path.join(dir, 'ev2')], workers: 0,
        onProgress: () => {
          throw new Error('stopped by the test');
        },
      }),
    ).rejects.toThrow('stopped by the test');
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT count(*) FROM events').pluck().get()).toBeGreaterThanOrEqual(2);
      expect(d.prepare("SELECT status FROM ingest_runs ORDER BY id").pluck().all()).toEqual(['done', 'failed']);
    } finally {
      d.close();
    }
  });

  it('a case in a directory that does not exist is refused naming the case, not its build file', async () => {
    const dir = tmpDir();
    writeLog(path.join(dir, 'ev'), [event()]);
    const db = path.join(dir, 'no', 'such', 'case.db');
    await expect(runIngest({ dbPath: db, paths: [path.join(dir, 'ev')] })).rejects.toThrow(`cannot create case file ${db}: the directory ${path.dirname(db)} does not exist`);
    expect(fs.existsSync(path.join(dir, 'no'))).toBe(false);
  });
});
