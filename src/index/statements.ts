// Prepared statements kept per connection, and the connection's type: the one module every query module of src/index
// needs, apart from open.ts (which applies migrations, whose code reads records through bodies.ts).

import type Database from 'better-sqlite3';

export type Db = Database.Database;
export type Statement = Database.Statement<unknown[]>;

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * A statement prepared once per connection (keyed by its SQL). Modes set on it (`raw`, `pluck`) stay set: give
 * each mode its own SQL text.
 */
export function cachedStatement(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

