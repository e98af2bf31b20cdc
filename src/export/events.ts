// The events table as Hive-partitioned Parquet. Events are read from the case page by page in evidence-file order
// (index/export-rows.ts) and appended to an in-memory DuckDB staging table, three values a row: every column but the
// record packed as one JSON array, the record as its bytes (or its text when the bytes are not UTF-8), which DuckDB
// unpacks, types and copies out every CHUNK_ROWS rows (or CHUNK_BYTES) with PARTITION_BY (account, region, date) into
// events/account=…/region=…/date=…/part-<chunk>-<n>.parquet. Two staging tables take turns: while DuckDB copies
// one chunk out on its own threads, the next is read into the other; memory holds two chunks, whatever the case's
// size. Evidence files are laid out by account, region and day, so a chunk touches few partitions.
//
// Why packed: a value handed to DuckDB's Appender costs a native call; one JSON text a row and one parse in DuckDB
// cost a third of the 45 calls a row of separate values took (measured: docs/benchmarks.md).

import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { Db } from '../index/open.js';
import { exportEventPages, RECORD_AT, type ExportReadOptions } from '../index/export-rows.js';
import { EXPORT_EVENT_COLUMNS, PARTITION_COLUMNS } from '../model/export-schema.js';
import type { Duck } from './duckdb.js';
import { sqlString } from '../model/sql-targets.js';

/** Rows per chunk: two chunks' rows (records included) are what the export holds in memory. */
export const CHUNK_ROWS = 50_000;

/** A chunk also ends at this many bytes of staged text, so cases of large records stay within the same memory. */
export const CHUNK_BYTES = 96 * 1024 * 1024;

export interface EventsWritten {
  rows: number;
  chunks: number;
}

/**
 * Parquet writing options shared by every table (docs/export.md). A small dictionary limit: values that repeat
 * (event names, regions, ARNs) still get a dictionary, unique ones (records, event IDs) stop trying at once.
 */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, DICTIONARY_SIZE_LIMIT 65536';

/** The SELECT list unpacking a staged row (`l`: the packed values as text, `record_bytes`, `record_text`). */
function unpackSql(): string {
  return EXPORT_EVENT_COLUMNS.map((c, i) => {
    if (i === RECORD_AT) return `coalesce(decode(record_bytes), record_text) AS "${c.name}"`;
    const x = `l[${i + 1}]`;
    if (c.type === 'bigint') return `${x}::BIGINT AS "${c.name}"`;
    if (c.type === 'boolean') return `${x}::BOOLEAN AS "${c.name}"`;
    if (c.type === 'timestamp') return `epoch_ms(${x}::BIGINT) AS "${c.name}"`;
    return `${x} AS "${c.name}"`;
  }).join(', ');
}

/** Write the case's events under `dir`/events. `progress` is called as each chunk is handed over, with the rows so far. */
export async function writeEvents(db: Db, duck: Duck, dir: string, options: ExportReadOptions & { chunkRows?: number; chunkBytes?: number }, progress?: (rows: number) => void): Promise<EventsWritten> {
  const [account, region, date] = PARTITION_COLUMNS.map((p) => p.name);
  const timeAt = EXPORT_EVENT_COLUMNS.findIndex((col) => col.type === 'timestamp' && col.name === 'event_time');
  if (timeAt < 0 || RECORD_AT < 0) throw new Error('the events table has no event_time or record column (model/export-schema.ts)');
  const n = EXPORT_EVENT_COLUMNS.length;
  const stages = ['th_events_a', 'th_events_b'];
  for (const stage of stages) await duck.connection.run(`CREATE OR REPLACE TABLE ${stage} (packed VARCHAR, record_bytes BLOB, record_text VARCHAR)`);
  const copier = await duck.instance.connect();
  const chunkRows = options.chunkRows ?? CHUNK_ROWS;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const target = path.join(dir, 'events');
  // The account and region travel packed after the columns; the date partition is the UTC day of event_time (NULL:
  // __HIVE_DEFAULT_PARTITION__, as for account and region).
  const select =
    `SELECT ${unpackSql()}, l[${n + 1}] AS "${account}", l[${n + 2}] AS "${region}", strftime(epoch_ms(l[${timeAt + 1}]::BIGINT), '%Y-%m-%d') AS "${date}" ` +
    `FROM (SELECT from_json(packed, '["VARCHAR"]') AS l, record_bytes, record_text FROM %STAGE%)`;
  let rows = 0;
  let inChunk = 0;
  let bytes = 0;
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
    const copy =
      `COPY (${select.replace('%STAGE%', full)}) TO ${sqlString(target)} ` +
      `(${PARQUET_OPTIONS}, PARTITION_BY ("${account}", "${region}", "${date}"), FILENAME_PATTERN 'part-${String(chunks).padStart(5, '0')}-{i}', OVERWRITE_OR_IGNORE true)`;
    copying = copier.run(copy).then(() => copier.run(`DELETE FROM ${full}`));
    // A failed copy is reported where it is awaited, not as an unhandled rejection meanwhile.
    copying.catch(() => undefined);
    inChunk = 0;
    bytes = 0;
    progress?.(rows);
    stage = stage === stages[0] ? stages[1] : stages[0];
    appender = await duck.connection.createAppender(stage);
  };
  try {
    for (const page of exportEventPages(db, options)) {
      for (const row of page) {
        const v = row.values;
        const record = v[RECORD_AT];
        v[RECORD_AT] = null;
        v.push(row.account, row.region);
        const packed = JSON.stringify(v);
        appender.appendVarchar(packed);
        bytes += packed.length + (typeof record === 'string' || Buffer.isBuffer(record) ? record.length : 0);
        if (record === null || record === undefined) {
          appender.appendNull();
          appender.appendNull();
        } else if (typeof record !== 'string' && Buffer.isBuffer(record) && isUtf8(record)) {
          appender.appendBlob(record);
          appender.appendNull();
        } else {
          appender.appendNull();
          appender.appendVarchar(typeof record === 'string' ? record : Buffer.isBuffer(record) ? record.toString('utf8') : String(record));
        }
        appender.endRow();
        rows++;
        inChunk++;
        if (inChunk >= chunkRows || bytes >= chunkBytes) await handOver();
      }
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
