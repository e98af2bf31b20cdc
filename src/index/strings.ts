// The `strings` dictionary: repeated text stored once, referenced by integer id.

import type { Db } from './open.js';

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

/** Reader-side lookups. */
export function stringId(db: Db, value: string): number | null {
  const row = db.prepare('SELECT id FROM strings WHERE value = ?').pluck().get(value) as number | undefined;
  return row ?? null;
}

export function stringValue(db: Db, id: number | null): string | null {
  if (id == null) return null;
  return (db.prepare('SELECT value FROM strings WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
}
