// Where an ingest writes. A case that does not exist yet is built in bulk beside its final path
// (`CASE.building`: no journal, no fsync per commit, indexes built once at the end) and moved into place only when
// complete, so a killed first ingest never leaves a half-built case under the case's name: the next run discards the
// leftover and starts over. An existing case is written in place, in WAL mode, file by file (crash-safe per
// transaction; recover() in writer.ts removes what an interrupted run left).

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openCase, type Db } from './open.js';
import { CaseError } from '../model/errors.js';

export interface IngestTarget {
  db: Db;
  /** The case is being built from nothing in CASE.building. */
  building: boolean;
  /** A leftover CASE.building of an interrupted first ingest was discarded. */
  discarded: string | null;
  /** Close the case; a built case is synced and moved into place. */
  complete(): void;
  /** Give up after an error: an existing case is closed as it is (its committed files stay); a build is removed. */
  abandon(): void;
}

/** The files an ingest into `dbPath` may create beside it (never read as evidence). */
export function buildFiles(dbPath: string): string[] {
  return siblingsOf(buildPath(dbPath));
}

/** A database file and the journal files SQLite may put beside it. */
function siblingsOf(file: string): string[] {
  return [file, `${file}-journal`, `${file}-wal`, `${file}-shm`];
}

function buildPath(dbPath: string): string {
  return `${path.resolve(dbPath)}.building`;
}

/** WAL pages between automatic checkpoints while ingesting into an existing case (the default, 1000, checkpoints every 4 MB). */
const INGEST_AUTOCHECKPOINT = 16384;

export function openForIngest(dbPath: string, opts: { build: boolean } = { build: true }): IngestTarget {
  if (fs.existsSync(dbPath) || !opts.build) {
    const db = openCase(dbPath, { create: true });
    db.pragma(`wal_autocheckpoint = ${INGEST_AUTOCHECKPOINT}`);
    return {
      db, building: false, discarded: null,
      complete: () => {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.pragma('optimize');
        db.close();
      },
      abandon: () => db.close(),
    };
  }
  const building = buildPath(dbPath);
  const dir = path.dirname(building);
  if (!fs.existsSync(dir)) throw new CaseError(`cannot create case file ${dbPath}: the directory ${path.dirname(dbPath)} does not exist`);
  const discarded = discardStaleBuild(building);
  let db: Db;
  try {
    db = openCase(building, { create: true, bulk: true });
  } catch (err) {
    // Name the case the user gave, not its temporary build file.
    if (err instanceof CaseError) throw new CaseError(err.message.split(building).join(dbPath));
    throw err;
  }
  const remove = (): void => {
    for (const f of buildFiles(dbPath)) fs.rmSync(f, { force: true });
  };
  return {
    db, building: true, discarded,
    complete: () => {
      db.pragma('optimize');
      db.close();
      // The finished case reads and writes like any other: WAL mode, recorded in its header.
      const wal = new Database(building, { fileMustExist: true });
      wal.pragma('journal_mode = WAL');
      wal.close();
      syncFile(building);
      const taken = (): CaseError => new CaseError(`case file ${dbPath} appeared while this ingest was building it; the new case is kept as ${building}`);
      let linked = false;
      try {
        // link fails when the name is taken: a case that appeared meanwhile is never replaced.
        fs.linkSync(building, dbPath);
        linked = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw taken();
        // A file system without hard links: a rename, after checking the name is free.
        if (fs.existsSync(dbPath)) throw taken();
        fs.renameSync(building, dbPath);
      }
      if (linked) fs.unlinkSync(building);
      syncFile(path.dirname(path.resolve(dbPath)));
    },
    abandon: () => {
      db.close();
      remove();
    },
  };
}

/**
 * A CASE.building left by an ingest that was killed: removed. One that another ingest is still writing (it holds
 * SQLite's exclusive lock) is refused.
 */
function discardStaleBuild(building: string): string | null {
  if (!fs.existsSync(building)) return null;
  let probe: Database.Database | null = null;
  try {
    probe = new Database(building, { fileMustExist: true, timeout: 0 });
    probe.exec('BEGIN IMMEDIATE; ROLLBACK');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new CaseError(`another trailhound ingest is building this case (${building}); wait for it to finish`);
    }
    // Not a database at all (cut short when killed): nothing to keep either.
  } finally {
    probe?.close();
  }
  for (const f of siblingsOf(building)) fs.rmSync(f, { force: true });
  return building;
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory: the rename is still atomic.
  } finally {
    fs.closeSync(fd);
  }
}
