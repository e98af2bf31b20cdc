// The --db path on hostile ground: a FIFO (or anything not a regular file) is refused at once, never opened;
// a case file kept inside the evidence folder is never read back as evidence.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { cliBin, tmpDir } from '../helpers/paths.js';
import { event, writeLog } from '../helpers/evidence.js';

/** The CLI with a hard 10 s bound: a hang shows as code -1 instead of stalling the suite. */
function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliBin, ...args], { encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('--db path', () => {
  it('info and search refuse a FIFO at once, naming it', () => {
    const fifo = path.join(tmpDir(), 'case.db');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const message = `trailhound: case file ${fifo} is a FIFO (named pipe), not a trailhound case file; give the path of a case file made by trailhound ingest --db\n`;
    for (const args of [['info', '--db', fifo], ['search', '--db', fifo], ['search', '--db', fifo, '--event-name', 'x', '--format', 'json']]) {
      const r = run(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 1, stderr: message });
    }
  });

  it('info refuses a directory given as --db', () => {
    const dir = tmpDir();
    const r = run(['info', '--db', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`trailhound: case file ${dir} is a directory, not a trailhound case file; give the path of a case file made by trailhound ingest --db\n`);
  });

  // Passes once runIngest gives discover() `exclude: caseFiles(opts.dbPath)` (src/ingest/run.ts).
  it('a case file inside the evidence folder is not read back as evidence on the next ingest', () => {
    const dir = tmpDir();
    writeLog(dir, [event(), event()]);
    const db = path.join(dir, 'case.db');
    const first = run(['ingest', dir, '--db', db, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).eventsAdded).toBe(2);

    // Another reader holds the case open, so its -wal and -shm are there when the next ingest looks.
    const reader = new Database(db);
    try {
      reader.prepare('SELECT count(*) FROM sqlite_master').get();
      expect(fs.existsSync(`${db}-wal`) && fs.existsSync(`${db}-shm`)).toBe(true);
      const second = run(['ingest', dir, '--db', db, '--json']);
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      const s = JSON.parse(second.stdout);
      expect(s.problems).toEqual([]);
      expect(s.eventsAdded).toBe(0);
      expect(s.files.total).toBe(1);
      expect(s.files.alreadyInCase).toBe(1);
    } finally {
      reader.close();
    }
  });
});
