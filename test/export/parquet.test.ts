// trailhound export --format parquet, read back with an independent reader (DuckDB over the files): every event row
// equals the case's events_v row column by column (times, booleans, NULLs), the record is the original text `show
// --raw` prints, provenance, trust and partitions are right, findings / finding_events / sources equal the case's,
// and the manifest's rows and SHA-256s match the files.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCase } from '../helpers/cases.js';
import { runCli } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { openCase, type Db } from '../../src/index/open.js';
import { readEventBody } from '../../src/index/bodies.js';
import { findingTrust, readFindings } from '../../src/index/detections.js';
import { exportCase } from '../../src/export/run.js';
import { duckSettings } from '../../src/export/duckdb.js';
import type { ExportManifest } from '../../src/export/manifest.js';
import { EVENT_COLUMNS, FLAG_COLUMNS } from '../../src/model/event-columns.js';
import { EXPORT_EVENT_COLUMNS, EXPORT_FINDING_COLUMNS, EXPORT_FINDING_EVENT_COLUMNS, EXPORT_SOURCE_COLUMNS, ODD_FIELDS_COLUMN, PARTITION_COLUMNS, type ExportTableColumn } from '../../src/model/export-schema.js';

type Row = Record<string, unknown>;

let work: string;
let caseFile: string;
let out: string;
let manifest: ExportManifest;
let db: Db;
let duck: DuckDBInstance;
let conn: DuckDBConnection;
/** The first row of the simulated upgrade: rows before it were never checked for odd fields. */
let flagFrom: number;

/** A SELECT list turning the export's types into plain JS values (timestamps as ms, bigints as numbers). */
function selectList(columns: readonly ExportTableColumn[]): string {
  return columns
    .map((c) => (c.type === 'timestamp' ? `epoch_ms("${c.name}")::DOUBLE AS "${c.name}"` : c.type === 'bigint' ? `"${c.name}"::DOUBLE AS "${c.name}"` : `"${c.name}"`))
    .join(', ');
}

async function readParquet(sql: string): Promise<Row[]> {
  const r = await conn.runAndReadAll(sql);
  return r.getRowObjectsJS() as Row[];
}

function glob(folder: string): string {
  return `'${path.join(out, folder).replace(/'/g, "''")}/**/*.parquet'`;
}

beforeAll(async () => {
  work = tmpDir('trailhound-export-');
  caseFile = copyCase('sampleVerified', path.join(work, 'case.db'));
  // Findings to export: the shipped rules over the sample.
  const det = runCli(['detect', '--db', caseFile, '--format', 'json']);
  expect(det.code, det.stderr).toBe(0);
  // An upgraded case: rows before flag_from.odd_fields were never checked, so odd_fields must be true there.
  const w = new Database(caseFile);
  flagFrom = Math.floor((w.prepare('SELECT max(id) FROM events').pluck().get() as number) / 2);
  w.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('flag_from.odd_fields', ?)").run(String(flagFrom));
  w.pragma('wal_checkpoint(TRUNCATE)');
  w.close();
  db = openCase(caseFile, { readonly: true });
  out = path.join(work, 'parquet');
  // Small chunks: several chunks, so a partition gets files from more than one.
  manifest = await exportCase(db, { caseFile, out, chunkRows: 1000 });
  duck = await DuckDBInstance.create(':memory:', duckSettings());
  conn = await duck.connect();
}, 180_000);

afterAll(() => {
  conn?.closeSync();
  duck?.closeSync();
  db?.close();
});

describe('export --format parquet: events', () => {
  it('every event row equals the case, column by column', async () => {
    const cols = EXPORT_EVENT_COLUMNS;
    const rows = await readParquet(`SELECT ${selectList(cols)}, account, region, "date", filename FROM read_parquet(${glob('events')}, hive_partitioning = true, hive_types_autocast = false, filename = true) ORDER BY event_row`);
    const expected = db.prepare('SELECT * FROM events_v ORDER BY row_id').all() as Row[];
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(1000);
    const sha = new Map((db.prepare('SELECT id, sha256 FROM sources').all() as Array<{ id: number; sha256: string }>).map((s) => [s.id, s.sha256]));
    let odd = 0;
    let records = 0;
    for (let i = 0; i < rows.length; i++) {
      const got = rows[i];
      const want = expected[i];
      const id = want.row_id as number;
      expect(got.event_row).toBe(id);
      for (const c of EVENT_COLUMNS) {
        const v = want[c.column];
        if (c.kind === 'time') expect(got[c.column], `${c.column} of row ${id}`).toBe(want[`${c.column}_ms`] ?? null);
        else if (c.kind === 'bool') expect(got[c.column], `${c.column} of row ${id}`).toBe(v === null ? null : v === 1);
        // ids as text: an id the case stores as a number (a digits-only requestID) as SQLite's text of it
        else if (c.kind === 'id') expect(got[c.column], `${c.column} of row ${id}`).toBe(v ?? null);
        else expect(got[c.column], `${c.column} of row ${id}`).toBe(v ?? null);
      }
      for (const f of FLAG_COLUMNS) {
        const set = want[f.column] === 1;
        expect(got[f.column], `${f.column} of row ${id}`).toBe(f.column === ODD_FIELDS_COLUMN ? set || id < flagFrom : set);
      }
      if (got[ODD_FIELDS_COLUMN]) odd++;
      expect(got.trust).toBe(want.trust);
      expect(got.source_file).toBe(want.source_file);
      expect(got.source_sha256).toBe(sha.get(want.source_id as number));
      expect(got.record_index).toBe(want.record_index);
      if (want.is_partial === 1) {
        expect(got.record).toBeNull();
      } else {
        expect(got.record, `record of row ${id}`).toBe(readEventBody(db, id)?.json ?? null);
        if (got.record !== null) records++;
      }
      // Partitions: the directory names hold account, region and the UTC date of eventTime.
      expect(got.account).toBe(want.recipient_account_id ?? null);
      expect(got.region).toBe(want.aws_region ?? null);
      expect(got.date).toBe(typeof want.event_time === 'string' ? want.event_time.slice(0, 10) : null);
      const dirs = path.relative(path.join(out, 'events'), got.filename as string).split(path.sep);
      expect(dirs.slice(0, 3)).toEqual(PARTITION_COLUMNS.map((p) => `${p.name}=${got[p.name] === null ? '__HIVE_DEFAULT_PARTITION__' : encodeURIComponent(got[p.name] as string)}`));
      expect(dirs[3]).toMatch(/^part-\d{5}-\d+\.parquet$/);
    }
    expect(odd).toBeGreaterThanOrEqual(flagFrom - 1);
    expect(records).toBeGreaterThan(1000);
    expect(new Set(rows.map((r) => r.trust))).toContain('proven');
  });

  it('the files hold exactly the schema\'s columns, with its types (partition columns only in directory names)', async () => {
    const file = manifest.files.find((f) => f.table === 'events' && f.rows)!.path;
    const schema = await readParquet(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path.join(out, file)}', hive_partitioning = false))`);
    const duckType = { varchar: 'VARCHAR', boolean: 'BOOLEAN', bigint: 'BIGINT', timestamp: 'TIMESTAMP', 'array(varchar)': 'VARCHAR[]' };
    expect(schema.map((s) => [s.column_name, s.column_type])).toEqual(EXPORT_EVENT_COLUMNS.map((c) => [c.name, duckType[c.type]]));
  });

  it('a chunk also ends at its byte budget (large records), with the same rows written', async () => {
    const dir = path.join(work, 'by-bytes');
    const m = await exportCase(db, { caseFile, out: dir, chunkRows: 1_000_000, chunkBytes: 1_000_000 });
    const chunks = new Set(m.files.filter((f) => f.table === 'events').map((f) => /part-(\d{5})-/.exec(f.path)![1]));
    expect(chunks.size).toBeGreaterThan(2);
    expect(m.tables.events.rows).toBe(manifest.tables.events.rows);
    const [n] = await readParquet(`SELECT count(DISTINCT event_row)::DOUBLE AS n FROM read_parquet('${dir}/events/**/*.parquet')`);
    expect(n.n).toBe(manifest.tables.events.rows);
  });

  it('the original record is the bytes show --raw prints', () => {
    const ids = db.prepare("SELECT row_id, event_id FROM events_v WHERE is_partial = 0 ORDER BY row_id LIMIT 3").all() as Array<{ row_id: number; event_id: string }>;
    for (const e of ids) {
      const raw = runCli(['show', e.event_id, '--db', caseFile, '--raw']);
      expect(raw.code).toBe(0);
      expect(raw.stdout).toBe(`${readEventBody(db, e.row_id)!.json}\n`);
    }
  });
});

describe('export --format parquet: findings, finding_events, sources', () => {
  it('findings equal the case\'s', async () => {
    const got = await readParquet(`SELECT ${selectList(EXPORT_FINDING_COLUMNS)} FROM read_parquet(${glob('findings')}) ORDER BY finding_id`);
    const want = readFindings(db, { eventIds: false }).map((f) => f.finding).sort((a, b) => (a.findingId < b.findingId ? -1 : 1));
    expect(want.length).toBeGreaterThan(0);
    expect(got.length).toBe(want.length);
    const stored = new Map((db.prepare('SELECT finding_id, level_rank, first_time, last_time FROM findings').all() as Row[]).map((r) => [r.finding_id, r]));
    for (let i = 0; i < want.length; i++) {
      const f = want[i];
      const s = stored.get(f.findingId)!;
      expect(got[i]).toEqual({
        finding_id: f.findingId,
        rule_id: f.ruleId,
        title: f.title,
        level: f.level,
        level_rank: s.level_rank,
        pack: f.pack,
        author: f.author,
        outcome: f.outcome,
        first_time: s.first_time,
        last_time: s.last_time,
        event_count: f.eventCount,
        actor_group: JSON.stringify(f.group),
        principals: f.principals,
        access_key_ids: f.accessKeyIds,
        source_ips: f.sourceIps,
        accounts: f.accounts,
        regions: f.regions,
        error_codes: f.errorCodes,
        tags: f.tags,
        details: JSON.stringify(f.details),
        trust: findingTrust(db, f.findingId),
      });
      expect(new Date(s.first_time as number).toISOString().replace('.000Z', 'Z')).toBe(f.firstTime);
    }
  });

  it('finding_events equal the case\'s links, with eventIDs', async () => {
    const got = await readParquet(`SELECT ${selectList(EXPORT_FINDING_EVENT_COLUMNS)} FROM read_parquet(${glob('finding_events')}) ORDER BY finding_id, event_row`);
    const want = db.prepare('SELECT f.finding_id, f.event_row, v.event_id FROM finding_events f JOIN events_v v ON v.row_id = f.event_row ORDER BY f.finding_id, f.event_row').all();
    expect(want.length).toBeGreaterThan(0);
    expect(got).toEqual(want);
  });

  it('sources equal the case\'s evidence files', async () => {
    const got = await readParquet(`SELECT ${selectList(EXPORT_SOURCE_COLUMNS)} FROM read_parquet(${glob('sources')}) ORDER BY source_id`);
    const want = db
      .prepare(
        `SELECT s.id AS source_id, s.path, s.root, s.sha256, s.content_sha256, s.size, s.kind, s.s3_key, s.status, s.record_count AS records,
           (SELECT count(*) FROM events e WHERE e.source_id = s.id) AS events, s.embedded = 1 AS embedded,
           CASE WHEN s.kind IN ('cloudtrail-log', 'cloudtrail-insight') THEN coalesce(t.trust, 'unverified') END AS trust
         FROM sources s LEFT JOIN integrity_source_trust t ON t.source_id = s.id AND t.run_id = (SELECT max(id) FROM integrity_runs WHERE finished_at IS NOT NULL)
         ORDER BY s.id`,
      )
      .all() as Row[];
    expect(got).toEqual(want.map((r) => ({ ...r, embedded: r.embedded === 1 })));
    expect(got.reduce((s, r) => s + (r.events as number), 0)).toBe(db.prepare('SELECT count(*) FROM events').pluck().get());
  });
});

describe('export --format parquet: manifest and DDL files', () => {
  it('lists every file with its rows, bytes and SHA-256', async () => {
    const onDisk = (fs.readdirSync(out, { recursive: true }) as string[])
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => fs.statSync(path.join(out, f)).isFile() && f !== 'export.json')
      .sort();
    expect(manifest.files.map((f) => f.path).sort()).toEqual(onDisk);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8'))).toEqual(manifest);
    for (const f of manifest.files) {
      const bytes = fs.readFileSync(path.join(out, f.path));
      expect(crypto.createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
      if (f.path.endsWith('.parquet')) {
        const [n] = await readParquet(`SELECT count(*)::DOUBLE AS n FROM read_parquet('${path.join(out, f.path)}')`);
        expect(n.n, f.path).toBe(f.rows);
      } else expect(f.rows).toBeNull();
    }
    const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    expect(manifest.tables.events.rows).toBe(events);
    expect(manifest.case.events).toBe(events);
    expect(manifest.tables.findings.rows).toBe(db.prepare('SELECT count(*) FROM findings').pluck().get());
    expect(manifest.tables.sources.rows).toBe(db.prepare('SELECT count(*) FROM sources').pluck().get());
    expect(manifest.files.filter((f) => f.table === 'ddl').map((f) => f.path)).toEqual(['ddl/athena.sql', 'ddl/spark.sql', 'ddl/trino.sql']);
    expect(manifest.files.some((f) => /part-00002-\d+\.parquet$/.test(f.path))).toBe(true);
    for (const t of [manifest.startedAt, manifest.finishedAt]) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });
});
