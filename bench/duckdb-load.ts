// The alternative of issue 15, run by bench/ingest15-bench.ts as a child process (so its peak RSS is its own):
// load the same CloudTrail log files into a fresh on-disk DuckDB file with read_json, either bare (one row per
// file, its Records as one JSON[] column: no fields, no dedupe, no indexes) or with the event id, time, name, access
// key and source IP extracted into columns (one row per record, the record kept as JSON). Prints one JSON line:
// {seconds, rows, fileBytes, version}. Bench only: @duckdb/node-api is a dev dependency, never imported from src/.
//
//   node dist/bench/duckdb-load.js --db OUT.duckdb --files LIST.txt --mode bare|columns
//   (LIST.txt: one log file path a line)

import fs from 'node:fs';

/** The part of @duckdb/node-api used here. Imported by name at run time, so the build does not need the package. */
interface DuckdbApi {
  version(): string;
  DuckDBInstance: {
    create(path: string): Promise<{
      connect(): Promise<{ run(sql: string): Promise<unknown>; runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>; closeSync(): void }>;
      closeSync(): void;
    }>;
  };
}
const DUCKDB_PACKAGE = '@duckdb/node-api';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`duckdb-load: --${name} is required (usage: --db OUT.duckdb --files LIST.txt --mode bare|columns)`);
  return v;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The CREATE TABLE statement of one mode over the listed files. */
function loadSql(files: string[], mode: 'bare' | 'columns'): string {
  // format 'auto' reads a whole-file {"Records":[...]} object; gzip is told (the names end .json.gz anyway); a
  // CloudTrail log file can be tens of MB of JSON, above read_json's 16 MB default object size.
  const source = `read_json([${files.map(sqlString).join(',')}], columns={Records: 'JSON[]'}, format='auto', compression='gzip', maximum_object_size=1073741824)`;
  if (mode === 'bare') return `CREATE TABLE t AS SELECT * FROM ${source}`;
  return (
    'CREATE TABLE t AS SELECT r->>\'$.eventID\' AS event_id, CAST(r->>\'$.eventTime\' AS TIMESTAMP) AS event_time, r->>\'$.eventName\' AS event_name, ' +
    "r->>'$.userIdentity.accessKeyId' AS access_key_id, r->>'$.sourceIPAddress' AS source_ip, r AS record " +
    `FROM (SELECT unnest(Records) AS r FROM ${source})`
  );
}

async function main(): Promise<void> {
  const db = arg('db');
  const mode = arg('mode');
  if (mode !== 'bare' && mode !== 'columns') throw new Error(`duckdb-load: --mode must be bare or columns, got "${mode}"`);
  const list = arg('files');
  const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
  if (files.length === 0) throw new Error(`duckdb-load: ${list} lists no files`);
  fs.rmSync(db, { force: true });
  fs.rmSync(`${db}.wal`, { force: true });
  const { DuckDBInstance, version } = (await import(DUCKDB_PACKAGE)) as DuckdbApi;
  const t0 = process.hrtime.bigint();
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  await conn.run(loadSql(files, mode));
  await conn.run('CHECKPOINT');
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0]);
  conn.closeSync();
  instance.closeSync();
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  process.stdout.write(`${JSON.stringify({ seconds, rows, fileBytes: size(db) + size(`${db}.wal`), version: version() })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`duckdb-load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
