// Where an export is written: a folder that is new or empty (or, with --force, one holding an earlier export, of
// which only what export writes is replaced). Everything is written first into <DIR>.partial beside it and moved
// into place at the end, so an interrupted or failed export leaves DIR as it was.

import fs from 'node:fs';
import path from 'node:path';
import { ExportError } from '../model/errors.js';

/** What an export writes directly under DIR: all that --force replaces (nothing else in DIR is touched). */
export const EXPORT_ENTRIES = ['events', 'findings', 'finding_events', 'sources', 'ddl', 'export.json'] as const;

/** DuckDB's spill folder inside the partial folder while an export runs. */
export const SPILL_DIR = '.duckdb-tmp';

export interface OutputDir {
  /** DIR as given, resolved. */
  dir: string;
  /** Where the export is written until commit(). */
  partial: string;
  /** Move the finished export into DIR. */
  commit(): void;
  /** Remove the partial folder (after a failure). */
  abort(): void;
}

function entriesOf(dir: string): string[] | null {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ExportError(`--out ${dir} is a file, not a folder; give a new or empty folder`);
    throw new ExportError(`cannot read --out folder ${dir}: ${(err as Error).message}`);
  }
}

/** Check DIR and create the partial folder beside it (a stale one from an interrupted export is removed first). */
export function prepareOutput(out: string, force: boolean): OutputDir {
  const dir = path.resolve(out);
  const existing = entriesOf(dir);
  if (existing && existing.length > 0 && !force) {
    throw new ExportError(`--out ${out} is not empty (${existing.length} entr${existing.length === 1 ? 'y' : 'ies'}); give a new or empty folder, or --force to replace what an earlier export wrote there (${EXPORT_ENTRIES.join(', ')})`);
  }
  const partial = `${dir}.partial`;
  // A stale partial folder is removed only when it holds nothing but what an export writes (and DuckDB's spill folder).
  const stale = entriesOf(partial);
  const foreign = stale?.filter((e) => !(EXPORT_ENTRIES as readonly string[]).includes(e) && e !== SPILL_DIR) ?? [];
  if (foreign.length) {
    throw new ExportError(`${partial} exists and is not an unfinished export (it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); move it away, export writes there first`);
  }
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.rmSync(partial, { recursive: true, force: true });
    fs.mkdirSync(partial);
  } catch (err) {
    throw new ExportError(`cannot create ${partial} to write the export: ${(err as Error).message}`);
  }
  return {
    dir,
    partial,
    commit() {
      const now = entriesOf(dir);
      if (now === null || now.length === 0) {
        if (now) fs.rmdirSync(dir);
        fs.renameSync(partial, dir);
        return;
      }
      for (const e of EXPORT_ENTRIES) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      for (const e of fs.readdirSync(partial)) fs.renameSync(path.join(partial, e), path.join(dir, e));
      fs.rmdirSync(partial);
    },
    abort() {
      fs.rmSync(partial, { recursive: true, force: true });
    },
  };
}
