// The DDL that registers an export's four tables in Athena, Trino (Hive connector) or Spark, generated from
// model/export-schema.ts: external Parquet tables over <location>/<table folder>/, the events table partitioned
// by account, region and date, then the statement that discovers the partitions already written (Athena and
// Spark: MSCK REPAIR TABLE; Trino: system.sync_partition_metadata). Printed by `trailhound export --ddl` and
// written into every export's ddl/ folder.

import { EXPORT_TABLE_LAYOUT, type ExportTableType } from '../model/export-schema.js';

export const DDL_ENGINES = ['athena', 'trino', 'spark'] as const;
export type DdlEngine = (typeof DDL_ENGINES)[number];

/** Where the export is when nobody said: clearly a placeholder to replace. */
export const DEFAULT_LOCATION = 's3://YOUR-BUCKET/trailhound-export/';

/** Each engine's name for each column type. */
export const DDL_TYPES: Record<DdlEngine, Record<ExportTableType, string>> = {
  athena: { varchar: 'string', boolean: 'boolean', bigint: 'bigint', timestamp: 'timestamp', 'array(varchar)': 'array<string>' },
  trino: { varchar: 'varchar', boolean: 'boolean', bigint: 'bigint', timestamp: 'timestamp(3)', 'array(varchar)': 'array(varchar)' },
  spark: { varchar: 'STRING', boolean: 'BOOLEAN', bigint: 'BIGINT', timestamp: 'TIMESTAMP', 'array(varchar)': 'ARRAY<STRING>' },
};

export interface DdlOptions {
  /** The export's folder as the engine sees it (s3://bucket/prefix/); DEFAULT_LOCATION when not given. */
  location?: string;
  /** Trino: the Hive catalog and schema (default hive.default). */
  catalog?: string;
  schema?: string;
}

function quote(engine: DdlEngine, name: string): string {
  return engine === 'trino' ? `"${name}"` : `\`${name}\``;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The DDL for one engine, one statement per table plus partition discovery; each statement ends with `;`. */
export function renderDdl(engine: DdlEngine, options: DdlOptions = {}): string {
  const base = (options.location ?? DEFAULT_LOCATION).replace(/\/*$/, '/');
  const schema = options.schema ?? 'default';
  const qualified = (t: string) => (engine === 'trino' ? `${options.catalog ?? 'hive'}.${schema}.${t}` : t);
  const out: string[] = [
    `-- trailhound export: ${engine === 'trino' ? 'Trino (Hive connector)' : engine === 'athena' ? 'Amazon Athena (engine version 3)' : 'Apache Spark SQL'} tables over ${base}`,
    ...(base === DEFAULT_LOCATION ? ['-- Replace s3://YOUR-BUCKET/trailhound-export/ with where the export was copied (or run: trailhound export --ddl ' + engine + ' --location URI).'] : []),
    '-- Timestamps are UTC (docs/export.md#timestamps).',
    '',
  ];
  for (const t of EXPORT_TABLE_LAYOUT) {
    const types = DDL_TYPES[engine];
    const cols = t.columns.map((c) => `  ${quote(engine, c.name)} ${types[c.type]}`);
    const parts = t.partitions.map((p) => `${quote(engine, p.name)} ${types[p.type]}`);
    const location = `${base}${t.folder}/`;
    const name = qualified(t.table);
    if (engine === 'athena') {
      out.push(`CREATE EXTERNAL TABLE IF NOT EXISTS ${name} (\n${cols.join(',\n')}\n)`);
      if (parts.length) out.push(`PARTITIONED BY (${parts.join(', ')})`);
      out.push(`STORED AS PARQUET\nLOCATION ${literal(location)}\nTBLPROPERTIES ('parquet.compression' = 'ZSTD');`);
      if (parts.length) out.push(`MSCK REPAIR TABLE ${name};`);
    } else if (engine === 'trino') {
      // The Hive connector wants the partition columns last in the column list.
      const all = [...cols, ...t.partitions.map((p) => `  ${quote(engine, p.name)} ${types[p.type]}`)];
      const withs = [`  format = 'PARQUET'`, `  external_location = ${literal(location)}`];
      if (parts.length) withs.push(`  partitioned_by = ARRAY[${t.partitions.map((p) => literal(p.name)).join(', ')}]`);
      out.push(`CREATE TABLE IF NOT EXISTS ${name} (\n${all.join(',\n')}\n)\nWITH (\n${withs.join(',\n')}\n);`);
      if (parts.length) out.push(`CALL ${options.catalog ?? 'hive'}.system.sync_partition_metadata(${literal(schema)}, ${literal(t.table)}, 'ADD');`);
    } else {
      const all = [...cols, ...t.partitions.map((p) => `  ${quote(engine, p.name)} ${types[p.type]}`)];
      out.push(`CREATE TABLE IF NOT EXISTS ${name} (\n${all.join(',\n')}\n)\nUSING PARQUET`);
      if (parts.length) out.push(`PARTITIONED BY (${t.partitions.map((p) => quote(engine, p.name)).join(', ')})`);
      out.push(`LOCATION ${literal(location)};`);
      if (parts.length) out.push(`MSCK REPAIR TABLE ${name};`);
    }
    out.push('');
  }
  return out.join('\n');
}
