// The `strings` dictionary: repeated text stored once, referenced by integer id.

import { cachedStatement, type Db, type Statement } from './statements.js';

/** Writer-side dictionary with an in-memory cache; use only inside the writer's transactions. */
export class StringTable {
  private readonly cache = new Map<string, number>();
  private readonly insert;
  private readonly select;
  private loaded = false;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO strings(value) VALUES (?)');
    this.select = db.prepare('SELECT id FROM strings WHERE value = ?').pluck();
  }

  /** Load the whole dictionary once (cheaper than one SELECT per new value on large cases). */
  preload(): void {
    if (this.loaded) return;
    for (const row of this.db.prepare('SELECT id, value FROM strings').iterate() as Iterable<{ id: number; value: string }>) {
      this.cache.set(row.value, row.id);
    }
    this.loaded = true;
  }

  id(value: string | null | undefined): number | null {
    if (value == null) return null;
    let id = this.cache.get(value);
    if (id !== undefined) return id;
    if (!this.loaded) {
      const found = this.select.get(value) as number | undefined;
      if (found !== undefined) {
        this.cache.set(value, found);
        return found;
      }
    }
    id = Number(this.insert.run(value).lastInsertRowid);
    this.cache.set(value, id);
    return id;
  }

  /** Forget cached ids (after a rollback they may not exist). */
  reset(): void {
    this.cache.clear();
    this.loaded = false;
  }
}

// Reader side: one lookup in each direction, with one per-connection cache of resolved ids (a case opened for reading
// never changes its dictionary; a writer's connection only adds ids, so cached ones stay right).

const CHUNK = 20_000;
const resolved = new WeakMap<Db, Map<number, string>>();

function prepared(db: Db): { ids: Statement; values: Statement } {
  return {
    ids: cachedStatement(db, 'SELECT id FROM strings WHERE value IN (SELECT value FROM json_each(?))').pluck(),
    values: cachedStatement(db, 'SELECT id, value FROM strings WHERE id IN (SELECT value FROM json_each(?))').raw(),
  };
}

/** The ids of the values the case has seen (values it has never seen are left out). */
export function stringIds(db: Db, values: Iterable<string>): number[] {
  const all = [...new Set(values)];
  const out: number[] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(...(prepared(db).ids.all(JSON.stringify(all.slice(i, i + CHUNK))) as number[]));
  return out;
}

/** The id of one value, or null when the case has never seen it. */
export function stringId(db: Db, value: string): number | null {
  return stringIds(db, [value])[0] ?? null;
}

/** Resolve string ids to their values (cached per connection); the map holds at least every id asked for. */
export function resolveStrings(db: Db, ids: Iterable<number>): Map<number, string> {
  let cache = resolved.get(db);
  if (!cache) resolved.set(db, (cache = new Map()));
  if (cache.size > 500_000) cache.clear();
  const missing: number[] = [];
  for (const id of ids) if (!cache.has(id)) missing.push(id);
  const unique = [...new Set(missing)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    for (const [id, value] of prepared(db).values.all(JSON.stringify(unique.slice(i, i + CHUNK))) as Array<[number, string]>) cache.set(id, value);
  }
  return cache;
}

/** The value of one string id (through the same cache). */
export function stringValue(db: Db, id: number | null): string | null {
  if (id == null) return null;
  return resolveStrings(db, [id]).get(id) ?? null;
}
