// Named, parameterised SQL queries (the YAML scenarios in scenarios/*.yaml): run read-only, with exactly the
// parameters the statement names, identifiers returned as text.

import type { Db } from './open.js';
import { unpackId } from './ids.js';

/** Run a named, parameterised SQL query (a YAML scenario). Only SELECT-style statements are allowed. */
export function runScenarioSql(db: Db, sql: string, params: Record<string, unknown>): Record<string, unknown>[] {
  const stmt = db.prepare(sql);
  if (!stmt.reader) throw new Error('a scenario query must return rows (SELECT or WITH ... SELECT)');
  const bound: Record<string, unknown> = {};
  // better-sqlite3 requires exactly the parameters the statement names; pass only those.
  for (const p of namedParams(sql)) bound[p] = normaliseParam(params[p]);
  return (stmt.all(bound) as Record<string, unknown>[]).map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      out[k] = Buffer.isBuffer(v) || v instanceof Uint8Array ? unpackId(v) : v;
    }
    return out;
  });
}

function normaliseParam(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** The :named parameters a SQL text uses (outside string literals). */
export function namedParams(sql: string): string[] {
  const names = new Set<string>();
  const stripped = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/--[^\n]*/g, '');
  for (const m of stripped.matchAll(/[:@$]([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  return [...names];
}
