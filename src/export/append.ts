// The export's column types in DuckDB: the staging tables' CREATE TABLE and the Appender call for each value
// (model/export-schema.ts types → DuckDB types; a timestamp is DuckDB TIMESTAMP holding the UTC instant, which
// Parquet stores as INT64 microseconds: docs/export.md says why).

import { DuckDBTimestampValue, LIST, VARCHAR, listValue, type DuckDBAppender } from '@duckdb/node-api';
import type { ExportTableColumn, ExportTableType } from '../model/export-schema.js';
import type { ExportValue } from '../index/export-rows.js';

const DUCK_TYPE: Record<ExportTableType, string> = { varchar: 'VARCHAR', boolean: 'BOOLEAN', bigint: 'BIGINT', timestamp: 'TIMESTAMP', 'array(varchar)': 'VARCHAR[]' };

/** `CREATE TABLE name (…)` for columns (plus `extra` column definitions, e.g. the partition values). */
export function createTableSql(name: string, columns: readonly ExportTableColumn[], extra: readonly string[] = []): string {
  return `CREATE OR REPLACE TABLE ${name} (${[...columns.map((c) => `"${c.name}" ${DUCK_TYPE[c.type]}`), ...extra].join(', ')})`;
}

const LIST_OF_TEXT = LIST(VARCHAR);

/** An appender for each column, by its type (one closure per column, chosen once). */
export function appendersFor(columns: readonly ExportTableColumn[]): Array<(a: DuckDBAppender, v: ExportValue | string[]) => void> {
  return columns.map((c) => {
    switch (c.type) {
      case 'varchar':
        return (a, v) => (v === null ? a.appendNull() : a.appendVarchar(v as string));
      case 'boolean':
        return (a, v) => (v === null ? a.appendNull() : a.appendBoolean(v as boolean));
      case 'bigint':
        return (a, v) => (v === null ? a.appendNull() : a.appendBigInt(BigInt(v as number)));
      case 'timestamp':
        return (a, v) => (v === null ? a.appendNull() : a.appendTimestamp(new DuckDBTimestampValue(BigInt(v as number) * 1000n)));
      case 'array(varchar)':
        return (a, v) => (v === null ? a.appendNull() : a.appendList(listValue(v as string[]), LIST_OF_TEXT));
    }
  });
}
