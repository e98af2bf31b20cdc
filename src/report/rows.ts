// Rows of any query (trailhound sql) in every output format: a table for people, JSON / JSON Lines / CSV / Markdown
// for tools (docs/output-formats.md#sql). Values are text, numbers or null; a BLOB is shown as x'<hex>'.

import { renderCsv } from './csv.js';
import { renderJson, renderJsonLines } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

export type RowsFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'md';
type Scalar = string | number | null;

export interface RenderRowsOptions {
  format: RowsFormat;
  width?: number;
  excel?: boolean;
}

/** A value as output shows it. */
function scalar(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return `x'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
  return String(v);
}

/** Column names made unique for object keys: a repeated name gets `_2`, `_3`… (`SELECT a.x, b.x`). */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((c) => {
    const n = (seen.get(c) ?? 0) + 1;
    seen.set(c, n);
    return n === 1 ? c : `${c}_${n}`;
  });
}

export function renderRows(columns: readonly string[], rows: readonly unknown[][], options: RenderRowsOptions): string {
  const keys = uniqueNames(columns);
  const objects = rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, scalar(r[i])])) as Record<string, Scalar>);
  switch (options.format) {
    case 'json':
      return renderJson({ columns: keys, rows: objects, rowCount: objects.length });
    case 'jsonl':
      return renderJsonLines(objects);
    case 'csv':
      return renderCsv(keys.map((k) => ({ key: k, header: k })), objects, { excel: options.excel });
    case 'md':
      return renderMarkdown(keys.map((k) => ({ key: k, header: k })), objects);
    default:
      return `${renderTable(keys.map((k) => ({ key: k, header: k })), objects, { width: options.width })}(${objects.length} row${objects.length === 1 ? '' : 's'})\n`;
  }
}
