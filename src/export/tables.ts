// The export's unpartitioned tables (findings, finding_events, sources): each read from the case page by page,
// appended to a DuckDB table and copied to <folder>/part-<n>.parquet every CHUNK_ROWS rows (a table that fits one
// chunk is one file). An empty table is still written (a file with the columns and no rows), so every engine can
// register all four tables.

import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../index/open.js';
import { exportFindingEventPages, exportFindingRows, exportSourcePages, type ExportValue } from '../index/export-rows.js';
import { EXPORT_FINDING_COLUMNS, EXPORT_FINDING_EVENT_COLUMNS, EXPORT_SOURCE_COLUMNS, type ExportTableColumn } from '../model/export-schema.js';
import type { Duck } from './duckdb.js';
import { sqlString } from '../model/sql-targets.js';
import { appendersFor, createTableSql } from './append.js';
import { CHUNK_ROWS, PARQUET_OPTIONS } from './events.js';

/** Write one table from pages of rows; returns the rows written. */
async function writeTable(duck: Duck, dir: string, folder: string, columns: readonly ExportTableColumn[], pages: Iterable<Array<Array<ExportValue | string[]>>>): Promise<number> {
  const c = duck.connection;
  const stage = `th_${folder}`;
  await c.run(createTableSql(stage, columns));
  const append = appendersFor(columns);
  const target = path.join(dir, folder);
  fs.mkdirSync(target, { recursive: true });
  let rows = 0;
  let inChunk = 0;
  let files = 0;
  let appender = await c.createAppender(stage);
  const flush = async (): Promise<void> => {
    appender.flushSync();
    appender.closeSync();
    files++;
    await c.run(`COPY ${stage} TO ${sqlString(path.join(target, `part-${String(files).padStart(5, '0')}.parquet`))} (${PARQUET_OPTIONS})`);
    await c.run(`DELETE FROM ${stage}`);
    inChunk = 0;
    appender = await c.createAppender(stage);
  };
  for (const page of pages) {
    for (const row of page) {
      for (let i = 0; i < row.length; i++) append[i](appender, row[i]);
      appender.endRow();
      rows++;
      inChunk++;
    }
    if (inChunk >= CHUNK_ROWS) await flush();
  }
  if (inChunk > 0 || files === 0) await flush();
  appender.closeSync();
  await c.run(`DROP TABLE ${stage}`);
  return rows;
}

export interface TablesWritten {
  findings: number;
  findingEvents: number;
  sources: number;
}

/** Write findings/, finding_events/ and sources/ under `dir`. */
export async function writeTables(db: Db, duck: Duck, dir: string): Promise<TablesWritten> {
  return {
    findings: await writeTable(duck, dir, 'findings', EXPORT_FINDING_COLUMNS, [exportFindingRows(db)]),
    findingEvents: await writeTable(duck, dir, 'finding_events', EXPORT_FINDING_EVENT_COLUMNS, exportFindingEventPages(db)),
    sources: await writeTable(duck, dir, 'sources', EXPORT_SOURCE_COLUMNS, exportSourcePages(db)),
  };
}
