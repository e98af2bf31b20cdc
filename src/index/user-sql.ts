// Analysts' own SQL over a case (`trailhound sql`): a read-only connection (which sees the current readable views,
// views.ts) with `event_json(event_id)`, the original record of an event as JSON text, so
// `json_extract(event_json(event_id), '$.requestParameters.bucketName')` works. Only statements that return rows
// run; the case cannot be changed through it (read-only connection, query_only, writers refused before running).

import type { Db } from './open.js';
import { openCase } from './open.js';
import { exactEventRowId, readEventBody } from './bodies.js';
import { namedParams } from './named-query.js';
import { UserSqlError } from '../model/errors.js';

export interface SqlResult {
  /** Column names as the statement gives them, in order (duplicates possible: `SELECT a.x, b.x`). */
  columns: string[];
  /** One array of values per row, in column order: text, numbers, null, or a Buffer for a BLOB. */
  rows: unknown[][];
}

export interface SqlSession {
  db: Db;
  run(sql: string, params?: Record<string, unknown>): SqlResult;
  close(): void;
}

/** Open a case for analysts' SQL: read-only, current views, event_json(). */
export function openSqlSession(file: string): SqlSession {
  const db = openCase(file, { readonly: true });
  // event_json reads bodies through a second connection: a SQL function may not use the connection running it.
  let bodies: Db | null = null;
  try {
    db.function('event_json', { deterministic: true }, (id: unknown) => {
      if (id === null || id === undefined) return null;
      bodies ??= openCase(file, { readonly: true });
      const rowId = typeof id === 'number' || typeof id === 'bigint' ? Number(id) : exactEventRowId(bodies, String(id));
      return rowId === null ? null : (readEventBody(bodies, rowId)?.json ?? null);
    });
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    db,
    run: (sql, params) => runSql(db, sql, params ?? {}),
    close: () => {
      db.close();
      bodies?.close();
    },
  };
}

function runSql(db: Db, sql: string, params: Record<string, unknown>): SqlResult {
  let stmt;
  try {
    stmt = db.prepare(sql);
  } catch (err) {
    throw new UserSqlError(sqliteMessage(err));
  }
  if (!stmt.reader) {
    throw new UserSqlError('only statements that return rows run here (SELECT, WITH … SELECT, EXPLAIN, a PRAGMA that reads): the case is opened read-only');
  }
  const names = new Set(namedParams(sql));
  const bound: Record<string, unknown> = {};
  for (const n of names) {
    if (!(n in params)) throw new UserSqlError(`the statement uses :${n}; give it with --param ${n}=VALUE`);
    bound[n] = params[n];
  }
  for (const n of Object.keys(params)) if (!names.has(n)) throw new UserSqlError(`--param ${n}: the statement has no :${n}`);
  try {
    const columns = stmt.columns().map((c) => c.name);
    const rows = (names.size ? stmt.raw(true).all(bound) : stmt.raw(true).all()) as unknown[][];
    return { columns, rows };
  } catch (err) {
    throw new UserSqlError(sqliteMessage(err));
  }
}

function sqliteMessage(err: unknown): string {
  return `SQLite: ${(err as Error).message}`;
}
