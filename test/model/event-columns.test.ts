// The column registry is the one list of event columns: extraction fills exactly its keys, the case's table has a
// column for each, and the names users see are unique (also ignoring case: spreadsheets match headers that way).
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { EVENT_COLUMNS, EVENT_FLAGS, FLAG_COLUMNS } from '../../src/model/event-columns.js';
import { extractColumns } from '../../src/sources/extract.js';
import { MIGRATIONS } from '../../src/index/schema.js';
import { viewDefinitions } from '../../src/index/views.js';
import { EVENT_FIELD_NAMES } from '../../src/report/events.js';

describe('the event-column registry', () => {
  it('lists exactly the columns extraction fills', () => {
    const cols = extractColumns({ eventID: 'x', eventName: 'A', userIdentity: { type: 'IAMUser' } }, 'x', 0);
    expect(EVENT_COLUMNS.map((c) => c.key).sort()).toEqual(Object.keys(cols).sort());
  });

  it('has unique keys, columns and output names (ignoring case too)', () => {
    expect(new Set(EVENT_COLUMNS.map((c) => c.key)).size).toBe(EVENT_COLUMNS.length);
    for (const prop of ['column', 'field'] as const) {
      const values = EVENT_COLUMNS.map((c) => c[prop].toLowerCase());
      expect(new Set(values).size, prop).toBe(values.length);
    }
    expect(new Set(FLAG_COLUMNS.map((f) => EVENT_FLAGS[f.flag])).size).toBe(Object.keys(EVENT_FLAGS).length);
  });

  it('every registry column exists in the events table, and the views build on a fresh case', () => {
    const db = new Database(':memory:');
    for (const m of MIGRATIONS) db.exec(m.sql);
    const table = db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[];
    for (const c of EVENT_COLUMNS) expect(table, c.column).toContain(c.column);
    for (const v of viewDefinitions()) {
      db.exec(`DROP VIEW IF EXISTS ${v.name}`);
      db.exec(v.sql);
      expect(db.prepare(`SELECT * FROM ${v.name}`).all()).toEqual([]);
    }
    db.close();
  });

  it('output lists the listed columns in registry order, resources last', () => {
    expect(EVENT_FIELD_NAMES).toEqual([...EVENT_COLUMNS.filter((c) => c.listed).map((c) => c.field), 'resources']);
  });
});
