// Opening a case file: the ONLY place (with the rest of src/index) that knows better-sqlite3.
// A case is identified by PRAGMA application_id; its schema version is PRAGMA user_version.

import fs from 'node:fs';
import Database from 'better-sqlite3';
import { APPLICATION_ID, EVENT_INDEXES, MIGRATIONS, SCHEMA_VERSION, TEXT_IDS_VERSION } from './schema.js';
import { ID_NOT_REPAIRED, repairNumericIds } from './repair-ids.js';
import { CaseError, damagedCaseMessage } from '../model/errors.js';
import { describeFileKind } from '../model/file-kind.js';
import { syncViews, useCurrentViews } from './views.js';

export type { Db, Statement } from './statements.js';
import type { Db } from './statements.js';

export interface OpenOptions {
  /** Open for reading only (query commands). The file must exist and be a case. */
  readonly?: boolean;
  /** Create the file when it does not exist (ingest). */
  create?: boolean;
  /**
   * A case being built from nothing under a temporary name (ingest-target.ts): no journal, no syncs, held
   * exclusively. Only for a file that is discarded when the build does not complete.
   */
  bulk?: boolean;
}

/** Open a case file, checking that it is one, and migrate it when opened for writing. */
export function openCase(file: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly ?? false;
  const exists = fs.existsSync(file);
  if (!exists && (readonly || !options.create)) {
    throw new CaseError(`case file ${file} does not exist; create one with: trailhound ingest <evidence> --db ${file}`);
  }
  if (exists) {
    const st = checkRegularFile(file);
    if (st.size > 0) checkHeader(file);
  }
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (err) {
    if (isCorrupt(err)) throw new CaseError(damagedCaseMessage(file, `SQLite: ${(err as Error).message}`));
    throw new CaseError(`cannot open case file ${file}: ${(err as Error).message}`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const isEmpty = (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n === 0;
    if (appId !== APPLICATION_ID && !(isEmpty && appId === 0)) {
      throw new CaseError(`${file} is a SQLite database but not a trailhound case file (application_id ${appId}); use a new --db path`);
    }
    if (version > SCHEMA_VERSION) {
      throw new CaseError(
        `case file ${file} has schema version ${version}, newer than this trailhound supports (${SCHEMA_VERSION}); upgrade trailhound to read it`,
      );
    }
    if (readonly) {
      if (version < SCHEMA_VERSION) {
        throw new CaseError(
          `case file ${file} has schema version ${version}; this trailhound uses ${SCHEMA_VERSION}. Upgrade it first with: trailhound migrate --db ${file}`,
        );
      }
      // Today's readable views, whatever the case's stored ones are (views.ts): TEMP views shadow them, kept in memory.
      db.pragma('temp_store = MEMORY');
      useCurrentViews(db);
      db.pragma('query_only = ON');
    } else if (options.bulk) {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      migrate(db);
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db);
    }
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    if (isCorrupt(err)) throw new CaseError(damagedCaseMessage(file, `SQLite: ${(err as Error).message}`));
    throw err;
  }
}

function isCorrupt(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

/**
 * Refuse a case path that exists but is not a regular file (a directory, FIFO, socket or device) before anything
 * opens it: SQLite opening a FIFO blocks forever. Only stat is used here.
 */
function checkRegularFile(file: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw new CaseError(`cannot read case file ${file}: ${(err as Error).message}`);
  }
  if (!st.isFile()) {
    throw new CaseError(`case file ${file} is ${describeFileKind(st)}, not a trailhound case file; give the path of a case file made by trailhound ingest --db`);
  }
  return st;
}


/**
 * Check a case file from its raw 100-byte SQLite header, before SQLite opens it: a file that is not a case, a case
 * of a newer trailhound, or a truncated copy is refused without SQLite creating -wal/-shm files beside it.
 */
function checkHeader(file: string): void {
  // Non-blocking: should the path be swapped for a FIFO after the stat, the open still returns at once.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  let size: number;
  const buf = Buffer.alloc(100);
  let n: number;
  try {
    size = fs.fstatSync(fd).size;
    n = fs.readSync(fd, buf, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n < 16 || buf.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    throw new CaseError(`${file} is not a trailhound case file (not a SQLite database); use a new --db path`);
  }
  if (n < 100) throw new CaseError(damagedCaseMessage(file, `cut short: it ends inside its ${n}-byte SQLite header`));
  const appId = buf.readInt32BE(68);
  if (appId !== APPLICATION_ID && appId !== 0) {
    throw new CaseError(`${file} is a SQLite database but not a trailhound case file (application_id ${appId}); use a new --db path`);
  }
  const version = buf.readInt32BE(60);
  if (appId === APPLICATION_ID && version > SCHEMA_VERSION) {
    throw new CaseError(`case file ${file} has schema version ${version}, newer than this trailhound supports (${SCHEMA_VERSION}); upgrade trailhound to read it`);
  }
  const pageSize = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
  const pages = buf.readUInt32BE(28);
  // The in-header page count is valid when its "version-valid-for" number matches the change counter.
  const headerSizeValid = buf.readUInt32BE(92) === buf.readUInt32BE(24);
  if (headerSizeValid && pages > 0 && pages * pageSize > size && !fs.existsSync(`${file}-wal`)) {
    throw new CaseError(damagedCaseMessage(file, `cut short: ${size} bytes where its header says ${pages * pageSize}`));
  }
}

/** Apply pending migrations, each in its own transaction. Returns the names applied. */
export function migrate(db: Db): string[] {
  const applied: string[] = [];
  let version = db.pragma('user_version', { simple: true }) as number;
  while (version < MIGRATIONS.length) {
    const m = MIGRATIONS[version];
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      if (version === 0) {
        for (const idx of EVENT_INDEXES) db.exec(idx.sql);
        db.pragma(`application_id = ${APPLICATION_ID}`);
      }
      db.pragma(`user_version = ${version + 1}`);
    })();
    applied.push(m.name);
    version++;
  }
  syncViews(db);
  return applied;
}

/**
 * Open a case for writing, apply pending migrations, close it. A case already at schema 5 or later gets its damaged
 * ids repaired again (the evidence may be back since): `idsNotRepaired` counts what still could not be.
 */
export function migrateCase(file: string): { from: number; to: number; applied: string[]; idsNotRepaired: number } {
  if (!fs.existsSync(file)) throw new CaseError(`case file ${file} does not exist`);
  checkRegularFile(file);
  checkHeader(file);
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  const from = probe.pragma('user_version', { simple: true }) as number;
  probe.close();
  const db = openCase(file, { create: false });
  let idsNotRepaired: number;
  try {
    idsNotRepaired = from >= TEXT_IDS_VERSION ? db.transaction(() => repairNumericIds(db))().unreadable : (db.prepare('SELECT count(*) FROM warnings WHERE code = ?').pluck().get(ID_NOT_REPAIRED.code) as number);
  } finally {
    db.close();
  }
  return { from, to: SCHEMA_VERSION, applied: MIGRATIONS.slice(from).map((m) => m.name), idsNotRepaired };
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
