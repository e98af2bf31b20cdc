// `trailhound export --format parquet`: a case as Parquet tables for Athena, Trino and Spark (docs/export.md).
// Events (Hive-partitioned by account, region and date), findings, finding_events and sources are written into
// <DIR>.partial with DuckDB, then the DDL for each engine and the manifest, and the whole moved into DIR at the end
// (output-dir.ts). The case is only read (the caller opens it read-only); memory holds one chunk of events.

import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../index/open.js';
import { schemaVersion } from '../index/open.js';
import { latestVerifyRun } from '../index/trust.js';
import { VERSION } from '../version.js';
import { ExportError } from '../model/errors.js';
import { openDuck } from './duckdb.js';
import { writeEvents } from './events.js';
import { writeTables } from './tables.js';
import { DDL_ENGINES, renderDdl } from './ddl.js';
import { describeFiles, type ExportManifest } from './manifest.js';
import { prepareOutput, SPILL_DIR } from './output-dir.js';

export interface ExportOptions {
  /** The case file (for the manifest). */
  caseFile: string;
  /** DIR. */
  out: string;
  /** Replace an earlier export in DIR. */
  force?: boolean;
  /** Export the original records (default true; false: --no-records). */
  records?: boolean;
  /** Where the DDL says the export is (default: the placeholder s3://YOUR-BUCKET/trailhound-export/). */
  location?: string;
  /** DuckDB's memory_limit (default 512MB). */
  memoryLimit?: string;
  /** DuckDB's worker threads (default 2). */
  threads?: number;
  /** Events per chunk, and staged bytes per chunk (tests make them small to get several chunks). */
  chunkRows?: number;
  chunkBytes?: number;
  /** Called with the events written so far (after each chunk). */
  progress?: (events: number, total: number) => void;
}

/** Export the case into `options.out`; returns the manifest (also written as DIR/export.json). */
export async function exportCase(db: Db, options: ExportOptions): Promise<ExportManifest> {
  const startedAt = new Date().toISOString();
  const records = options.records ?? true;
  const total = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const out = prepareOutput(options.out, options.force ?? false);
  const tmp = path.join(out.partial, SPILL_DIR);
  let duck: Awaited<ReturnType<typeof openDuck>> | null = null;
  try {
    duck = await openDuck({ tempDir: tmp, memoryLimit: options.memoryLimit, threads: options.threads });
    fs.mkdirSync(path.join(out.partial, 'events'));
    const events = await writeEvents(db, duck, out.partial, { records, chunkRows: options.chunkRows, chunkBytes: options.chunkBytes }, (n) => options.progress?.(n, total));
    await writeTables(db, duck, out.partial);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(path.join(out.partial, 'ddl'));
    for (const engine of DDL_ENGINES) fs.writeFileSync(path.join(out.partial, 'ddl', `${engine}.sql`), renderDdl(engine, { location: options.location }));
    const { files, tables } = await describeFiles(duck, out.partial);
    if (tables.events.rows !== events.rows) throw new ExportError(`the Parquet files under ${path.join(out.partial, 'events')} hold ${tables.events.rows} rows, ${events.rows} were written`);
    const manifest: ExportManifest = {
      format: 'trailhound-export',
      formatVersion: 1,
      tool: { name: 'trailhound', version: VERSION },
      case: { file: path.resolve(options.caseFile), schemaVersion: schemaVersion(db), events: total, lastVerifyRun: latestVerifyRun(db) },
      startedAt,
      finishedAt: new Date().toISOString(),
      records,
      tables,
      files,
    };
    fs.writeFileSync(path.join(out.partial, 'export.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    duck.close();
    duck = null;
    out.commit();
    return manifest;
  } catch (err) {
    duck?.close();
    out.abort();
    if (err instanceof ExportError) throw err;
    throw new ExportError(`export to ${options.out} failed (${options.out} is unchanged): ${(err as Error).message}`);
  }
}
