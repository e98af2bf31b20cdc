// One document (info, the ingest summary, verify's summary) in the tabular formats: key/value rows. Nested objects
// become dotted keys (`files.total`); arrays and empty objects are one cell of compact JSON. Documented in
// docs/output-formats.md ("Documents as rows").

import { renderCsv } from './csv.js';
import { renderJson, renderJsonLines } from './json.js';
import { renderMarkdown } from './markdown.js';

export interface KeyValueRow {
  key: string;
  value: string | number | boolean | null;
}

/** Flatten a document into key/value rows, in the document's key order. */
function keyValueRows(doc: unknown, prefix = ''): KeyValueRow[] {
  const out: KeyValueRow[] = [];
  const walk = (v: unknown, key: string): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, key ? `${key}.${k}` : k);
      return;
    }
    if (v === undefined) return;
    const value = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
    out.push({ key, value });
  };
  walk(doc, prefix);
  return out;
}

/** A document as json (pretty), jsonl (one compact line), csv or md (key/value rows). */
export function renderDocument(doc: unknown, format: 'json' | 'jsonl' | 'csv' | 'md', options: { excel?: boolean; rows?: unknown } = {}): string {
  if (format === 'json') return renderJson(doc);
  if (format === 'jsonl') return renderJsonLines([doc]);
  const rows = keyValueRows(options.rows ?? doc);
  const cols = [
    { key: 'key', header: 'key' },
    { key: 'value', header: 'value' },
  ];
  const plain = rows.map((r) => ({ key: r.key, value: r.value }));
  return format === 'csv' ? renderCsv(cols, plain, { excel: options.excel }) : renderMarkdown(cols, plain);
}
