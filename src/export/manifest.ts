// The manifest of an export (DIR/export.json; contract in docs/export.md#manifest): the tool, the case, rows per
// table and every file written with its rows, bytes and SHA-256 (paths relative to DIR, POSIX separators).
// Rows are read back from each Parquet file's footer by DuckDB, not taken from the writer's own count.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Duck } from './duckdb.js';
import { sqlString } from '../model/sql-targets.js';
import { EXPORT_TABLE_LAYOUT } from '../model/export-schema.js';

export interface ManifestFile {
  /** Relative to DIR, `/`-separated. */
  path: string;
  /** The table the file belongs to (events, findings, finding_events, sources), or `ddl`. */
  table: string;
  /** Rows in the Parquet file; null for a DDL file. */
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  format: 'trailhound-export';
  formatVersion: 1;
  tool: { name: 'trailhound'; version: string };
  case: { file: string; schemaVersion: number; events: number; lastVerifyRun: number | null };
  startedAt: string;
  finishedAt: string;
  /** False when written with --no-records (the record column is NULL). */
  records: boolean;
  tables: Record<string, { name: string; folder: string; rows: number; files: number; partitionedBy: string[] }>;
  files: ManifestFile[];
}

function sha256Of(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

function listFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(root, p));
    else if (e.isFile()) out.push(path.relative(root, p).split(path.sep).join('/'));
  }
  return out;
}

/** Every file under `dir` (export.json aside) with rows, bytes and SHA-256, and per-table totals. */
export async function describeFiles(duck: Duck, dir: string): Promise<{ files: ManifestFile[]; tables: ExportManifest['tables'] }> {
  const rowsOf = new Map<string, number>();
  const parquet = listFiles(dir).filter((f) => f.endsWith('.parquet'));
  if (parquet.length) {
    const list = parquet.map((f) => sqlString(path.join(dir, f))).join(', ');
    const r = await duck.connection.runAndReadAll(`SELECT file_name, sum(num_rows)::BIGINT AS n FROM parquet_file_metadata([${list}]) GROUP BY file_name`);
    for (const [name, n] of r.getRows() as Array<[string, bigint]>) rowsOf.set(path.relative(dir, name).split(path.sep).join('/'), Number(n));
  }
  const files: ManifestFile[] = listFiles(dir)
    .filter((f) => f !== 'export.json')
    .map((f) => {
      const full = path.join(dir, f);
      const table = f.split('/')[0];
      return { path: f, table, rows: f.endsWith('.parquet') ? (rowsOf.get(f) ?? 0) : null, bytes: fs.statSync(full).size, sha256: sha256Of(full) };
    });
  const tables: ExportManifest['tables'] = {};
  for (const t of EXPORT_TABLE_LAYOUT) {
    const mine = files.filter((f) => f.table === t.folder && f.rows !== null);
    tables[t.folder] = { name: t.table, folder: t.folder, rows: mine.reduce((s, f) => s + (f.rows ?? 0), 0), files: mine.length, partitionedBy: t.partitions.map((p) => p.name) };
  }
  return { files, tables };
}
