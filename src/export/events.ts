// The events table as Hive-partitioned Parquet: events are read from the case page by page in evidence-file order
// (index/export-rows.ts), appended to an in-memory DuckDB table, and every CHUNK_ROWS rows copied out with
// PARTITION_BY (account, region, date) into events/account=…/region=…/date=…/part-<chunk>-<n>.parquet, then the
// table is emptied: memory holds two chunks (one being read, one being written), whatever the case's size. Evidence files are laid out by account,
// region and day, so a chunk touches few partitions and a partition gets few files.

import path from 'node:path';
import type { Db } from '../index/open.js';
import { exportEventPages, type ExportReadOptions } from '../index/export-rows.js';
import { EXPORT_EVENT_COLUMNS, PARTITION_COLUMNS } from '../model/export-schema.js';
import type { Duck } from './duckdb.js';
import { sqlString } from './duckdb.js';
import { appendersFor, createTableSql } from './append.js';

/** Rows per chunk: two chunks' rows (records included) are what the export holds in memory. */
export const CHUNK_ROWS = 50_000;

export interface EventsWritten {
  rows: number;
  chunks: number;
}

/** Parquet writing options shared by every table (docs/export.md). */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';

/**
 * Write the case's events under `dir`/events. Two staging tables take turns: while DuckDB copies one chunk out (on
 * its own threads), the next is read from the case and appended to the other. `progress` is called after each
 * chunk is handed over, with the rows so far.
 */
export async function writeEvents(db: Db, duck: Duck, dir: string, options: ExportReadOptions & { chunkRows?: number }, progress?: (rows: number) => void): Promise<EventsWritten> {
  const [account, region, date] = PARTITION_COLUMNS.map((p) => p.name);
  const stages = ['th_events_a', 'th_events_b'];
  for (const stage of stages) await duck.connection.run(createTableSql(stage, EXPORT_EVENT_COLUMNS, [`"${account}" VARCHAR`, `"${region}" VARCHAR`]));
  const copier = await duck.instance.connect();
  const append = appendersFor(EXPORT_EVENT_COLUMNS);
  const timeColumn = EXPORT_EVENT_COLUMNS.find((col) => col.type === 'timestamp' && col.name === 'event_time');
  if (!timeColumn) throw new Error('the events table has no event_time column (model/export-schema.ts)');
  const chunkRows = options.chunkRows ?? CHUNK_ROWS;
  const target = path.join(dir, 'events');
  const columns = EXPORT_EVENT_COLUMNS.map((col) => `"${col.name}"`).join(', ');
  let rows = 0;
  let inChunk = 0;
  let chunks = 0;
  let copying: Promise<unknown> = Promise.resolve();
  let stage = stages[0];
  let appender = await duck.connection.createAppender(stage);
  const handOver = async (): Promise<void> => {
    appender.flushSync();
    appender.closeSync();
    // The previous chunk must be out before its table takes the next one.
    await copying;
    chunks++;
    const full = stage;
    // The date partition is the UTC day of event_time (NULL: __HIVE_DEFAULT_PARTITION__, as for account and region).
    const copy =
      `COPY (SELECT ${columns}, "${account}", "${region}", strftime("${timeColumn.name}", '%Y-%m-%d') AS "${date}" FROM ${full}) TO ${sqlString(target)} ` +
      `(${PARQUET_OPTIONS}, PARTITION_BY ("${account}", "${region}", "${date}"), FILENAME_PATTERN 'part-${String(chunks).padStart(5, '0')}-{i}', OVERWRITE_OR_IGNORE true)`;
    copying = copier.run(copy).then(() => copier.run(`DELETE FROM ${full}`));
    // Keep a failed copy from being reported as unhandled before it is awaited.
    copying.catch(() => undefined);
    inChunk = 0;
    progress?.(rows);
    stage = stage === stages[0] ? stages[1] : stages[0];
    appender = await duck.connection.createAppender(stage);
  };
  try {
    for (const page of exportEventPages(db, options)) {
      for (const row of page) {
        const v = row.values;
        for (let i = 0; i < v.length; i++) append[i](appender, v[i]);
        if (row.account === null) appender.appendNull();
        else appender.appendVarchar(row.account);
        if (row.region === null) appender.appendNull();
        else appender.appendVarchar(row.region);
        appender.endRow();
        rows++;
        inChunk++;
      }
      if (inChunk >= chunkRows) await handOver();
    }
    if (inChunk > 0) await handOver();
    appender.closeSync();
    await copying;
  } finally {
    await copying.catch(() => undefined);
    copier.closeSync();
  }
  for (const s of stages) await duck.connection.run(`DROP TABLE ${s}`);
  return { rows, chunks };
}
