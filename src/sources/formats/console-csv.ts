// CSV exports: the console's Event history "Download events" CSV, or any CSV whose header names CloudTrail
// fields (csv-map.ts maps the columns). Rows carry only some fields, so their events are marked partial,
// unless a column holds the whole event as JSON.

import { parse as parseCsv } from 'csv-parse/sync';
import type { RawRecord, TextFormat, TextRead } from './format.js';
import { csvRowToRecord, isCloudTrailCsvHeader } from '../csv-map.js';

function* rowsOf(header: string[], rows: string[][]): Iterable<RawRecord> {
  for (let i = 1; i < rows.length; i++) {
    const { record, partial, error } = csvRowToRecord(header, rows[i]);
    yield { index: i - 1, record, text: record ? JSON.stringify(record) : null, offset: null, length: null, partial, error, code: error ? 'bad_record' : undefined };
  }
}

export const consoleCsv: TextFormat = {
  name: 'console-csv',
  syntax: 'text',
  kind: () => 'console-csv',
  read(content: Buffer): TextRead {
    let rows: string[][];
    try {
      rows = parseCsv(content, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (err) {
      return { reason: `neither JSON nor a readable CSV (${(err as Error).message})` };
    }
    if (rows.length === 0 || !isCloudTrailCsvHeader(rows[0])) {
      return { reason: 'not JSON, and not a CSV with CloudTrail columns (need at least event name/time/ID columns)' };
    }
    return { records: rowsOf(rows[0], rows), notes: rows.length === 1 ? [{ code: 'zero_records', message: 'CSV has a header but no rows', severity: 'error' }] : [] };
  },
};
