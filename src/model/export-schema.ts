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
