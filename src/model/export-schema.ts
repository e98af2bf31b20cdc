// The Parquet export's events table, described once: its columns (derived from the event-column registry), its Hive
// partitions and the table names. `trailhound export` writes by it, its DDL is generated from it, and `sql-for`
// renders rules and investigation steps against it (docs/scale.md).

import { EVENT_COLUMNS, FLAG_COLUMNS, type ColumnKind } from './event-columns.js';

/** Column types as the engines name them: Trino/Athena/DuckDB (`sql`) and Hive/Spark DDL (`hive`). */
export type ExportType = 'varchar' | 'boolean' | 'bigint' | 'timestamp';

export interface ExportColumn {
  name: string;
  type: ExportType;
  description: string;
}

const TYPE_OF_KIND: Record<ColumnKind, ExportType> = { id: 'varchar', time: 'timestamp', string: 'varchar', text: 'varchar', bool: 'boolean' };

/** The exported tables' default names (`--table` / `--prefix` may change them in the generated SQL and DDL). */
export const EXPORT_TABLES = {
  events: 'trailhound_events',
  findings: 'trailhound_findings',
  findingEvents: 'trailhound_finding_events',
  sources: 'trailhound_sources',
} as const;

/** The column holding the original record's JSON text (NULL where the case holds no record: a console CSV row). */
export const RECORD_COLUMN = 'record';

/** The flag column saying the typed columns may not say what the record says: readers must read `record` there. */
export const ODD_FIELDS_COLUMN = 'odd_fields';

/**
 * The events table's columns in file order: the case's row id, every registry column (times as UTC timestamps,
 * ids and dictionary values as text), the flags, provenance, trust and the record. The partition columns
 * (PARTITION_COLUMNS) are in the directory names, not in the files.
 */
export const EXPORT_EVENT_COLUMNS: readonly ExportColumn[] = [
  { name: 'event_row', type: 'bigint', description: "the event's row id in the case (events.id): `trailhound show --db case.db` finds it" },
  ...EVENT_COLUMNS.map((c) => ({ name: c.column, type: TYPE_OF_KIND[c.kind], description: `${c.header}: ${c.source}` })),
  ...FLAG_COLUMNS.map((f) => ({ name: f.column, type: 'boolean' as const, description: f.meaning })),
  { name: 'trust', type: 'varchar', description: 'integrity label from the latest `trailhound verify`: proven, provisional or unverified' },
  { name: 'source_file', type: 'varchar', description: 'the evidence file the event was read from (as ingested)' },
  { name: 'source_sha256', type: 'varchar', description: "that file's SHA-256" },
  { name: 'record_index', type: 'bigint', description: 'the record index within that file (0-based)' },
  { name: RECORD_COLUMN, type: 'varchar', description: 'the original CloudTrail record as JSON text; NULL when the case holds only some fields (a console CSV row)' },
];

/** Hive partitions, in directory order: `account=…/region=…/date=YYYY-MM-DD/`. Missing values: `__HIVE_DEFAULT_PARTITION__`. */
export const PARTITION_COLUMNS: readonly ExportColumn[] = [
  { name: 'account', type: 'varchar', description: 'recipientAccountId' },
  { name: 'region', type: 'varchar', description: 'awsRegion' },
  { name: 'date', type: 'varchar', description: "eventTime's UTC date, YYYY-MM-DD" },
];

/** Column types of the export's other tables: the events' types plus a list of text values. */
export type ExportTableType = ExportType | 'array(varchar)';

export interface ExportTableColumn {
  name: string;
  type: ExportTableType;
  description: string;
}

/** The findings table (one row per finding of `trailhound detect`; docs/export.md). */
export const EXPORT_FINDING_COLUMNS: readonly ExportTableColumn[] = [
  { name: 'finding_id', type: 'varchar', description: 'stable id of the finding (the same rule and group keep it across runs)' },
  { name: 'rule_id', type: 'varchar', description: "the rule's id" },
  { name: 'title', type: 'varchar', description: "the rule's title" },
  { name: 'level', type: 'varchar', description: 'informational, low, medium, high or critical' },
  { name: 'level_rank', type: 'bigint', description: 'the level as a number, 0 (informational) to 4 (critical)' },
  { name: 'pack', type: 'varchar', description: 'the rule pack (sigma, cis, trailhound or the folder of the user\'s rules)' },
  { name: 'author', type: 'varchar', description: "the rule's author" },
  { name: 'outcome', type: 'varchar', description: 'succeeded, failed or mixed: did the calls behind the finding succeed' },
  { name: 'first_time', type: 'timestamp', description: 'the earliest matched event (UTC)' },
  { name: 'last_time', type: 'timestamp', description: 'the latest matched event (UTC)' },
  { name: 'event_count', type: 'bigint', description: 'matched events (trailhound_finding_events lists them)' },
  { name: 'actor_group', type: 'varchar', description: 'what the finding is grouped by, as a JSON object (field → value)' },
  { name: 'principals', type: 'array(varchar)', description: 'principal ARNs (else IDs or user names) of the matched events' },
  { name: 'access_key_ids', type: 'array(varchar)', description: 'access keys of the matched events' },
  { name: 'source_ips', type: 'array(varchar)', description: 'source IP addresses of the matched events' },
  { name: 'accounts', type: 'array(varchar)', description: 'recipient accounts of the matched events' },
  { name: 'regions', type: 'array(varchar)', description: 'regions of the matched events' },
  { name: 'error_codes', type: 'array(varchar)', description: 'error codes of the failed calls, most frequent first' },
  { name: 'tags', type: 'array(varchar)', description: "the rule's tags (ATT&CK techniques, CIS controls)" },
  { name: 'details', type: 'varchar', description: "the values of the rule's `fields` across the matched events, as a JSON object (field → values)" },
  { name: 'trust', type: 'varchar', description: "the weakest trust label among the matched events' files (latest `trailhound verify`)" },
];

/** The finding_events table: which events each finding is made of. */
export const EXPORT_FINDING_EVENT_COLUMNS: readonly ExportTableColumn[] = [
  { name: 'finding_id', type: 'varchar', description: 'trailhound_findings.finding_id' },
  { name: 'event_row', type: 'bigint', description: 'trailhound_events.event_row' },
  { name: 'event_id', type: 'varchar', description: "the event's eventID" },
];

/** The sources table: every evidence file of the case. */
export const EXPORT_SOURCE_COLUMNS: readonly ExportTableColumn[] = [
  { name: 'source_id', type: 'bigint', description: "the file's id in the case" },
  { name: 'path', type: 'varchar', description: 'the path as ingested, relative to root (what trailhound_events.source_file holds)' },
  { name: 'root', type: 'varchar', description: 'the evidence folder given to ingest' },
  { name: 'sha256', type: 'varchar', description: "SHA-256 of the file's bytes (trailhound_events.source_sha256)" },
  { name: 'content_sha256', type: 'varchar', description: 'SHA-256 of the decompressed bytes (what digest files list)' },
  { name: 'size', type: 'bigint', description: 'bytes' },
  { name: 'kind', type: 'varchar', description: 'cloudtrail-log, cloudtrail-insight, cloudtrail-digest, records-json, lookup-events, event-json, ndjson, console-csv, …' },
  { name: 's3_key', type: 'varchar', description: 'the S3 key (AWSLogs/…) when the path is a bucket layout' },
  { name: 'status', type: 'varchar', description: 'done, skipped, failed or duplicate' },
  { name: 'records', type: 'bigint', description: 'records read from the file' },
  { name: 'events', type: 'bigint', description: 'events the file holds first (their record is read from it: trailhound_events rows with this source_file)' },
  { name: 'embedded', type: 'boolean', description: "the case holds the file's bytes" },
  { name: 'trust', type: 'varchar', description: 'CloudTrail log files: proven, provisional or unverified (latest `trailhound verify`); NULL for other files' },
];

/** Every exported table: its name in the output folder (and the default SQL table name) and its columns. */
export const EXPORT_TABLE_LAYOUT = [
  { key: 'events', folder: 'events', table: EXPORT_TABLES.events, columns: EXPORT_EVENT_COLUMNS as readonly ExportTableColumn[], partitions: PARTITION_COLUMNS },
  { key: 'findings', folder: 'findings', table: EXPORT_TABLES.findings, columns: EXPORT_FINDING_COLUMNS, partitions: [] as readonly ExportColumn[] },
  { key: 'findingEvents', folder: 'finding_events', table: EXPORT_TABLES.findingEvents, columns: EXPORT_FINDING_EVENT_COLUMNS, partitions: [] as readonly ExportColumn[] },
  { key: 'sources', folder: 'sources', table: EXPORT_TABLES.sources, columns: EXPORT_SOURCE_COLUMNS, partitions: [] as readonly ExportColumn[] },
] as const;
