// A report laid out for people — a title, label/value facts, titled sections of rows, notes — and its three
// renderings: text tables, Markdown, and flat records for jsonl/csv. Investigations build these (src/scenarios/views.ts);
// the CLI prints them, the TUI exports them. Pure: every cell and fact is escaped here or by the table renderers.

import { escapeControl } from '../model/escape.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import type { ReportView } from '../model/report-view.js';

/** Draw a view as text tables or Markdown. Every cell and fact is escaped by the renderers or here. */
export function renderView(v: ReportView, format: 'table' | 'md', width: number): string {
  const out: string[] = [];
  if (format === 'md') {
    out.push(`# ${escapeControl(v.title)}\n`);
    for (const [k, val] of v.facts) out.push(`- **${escapeControl(k)}**: ${escapeControl(val).replace(/([|`*_<>[\]])/g, '\\$1')}`);
    for (const s of v.sections) {
      out.push(`\n## ${escapeControl(s.title)}\n`);
      out.push(s.rows.length ? renderMarkdown(s.columns, s.rows).trimEnd() : `_${escapeControl(s.empty ?? 'None.')}_`);
    }
    if (v.notes.length) out.push('', '```', ...v.notes.map((n) => escapeControl(n)), '```');
    return `${out.join('\n')}\n`;
  }
  out.push(escapeControl(v.title), '='.repeat(Math.min(80, v.title.length)));
  const w = Math.max(0, ...v.facts.map(([k]) => k.length));
  for (const [k, val] of v.facts) out.push(`${escapeControl(k).padEnd(w)}  ${escapeControl(val)}`);
  for (const s of v.sections) {
    out.push('', `── ${escapeControl(s.title)}`);
    out.push(s.rows.length ? renderTable(s.columns, s.rows, { width }).trimEnd() : `   ${escapeControl(s.empty ?? 'None.')}`);
  }
  if (v.notes.length) out.push('', ...v.notes.map((n) => escapeControl(n)));
  return `${out.join('\n')}\n`;
}

/**
 * The view's table rows as records for jsonl/csv: `section` (the table's title) first, then the columns under their
 * shared field names (VIEW_FIELD_NAMES: `eventID`, `eventTime`, `sourceIPAddress`…, as search uses them).
 */
const VIEW_FIELD_NAMES: Readonly<Record<string, string>> = {
  eventId: 'eventID',
  time: 'eventTime',
  ip: 'sourceIPAddress',
  error: 'errorCode',
  region: 'awsRegion',
  ua: 'userAgent',
  key: 'accessKeyId',
  events: 'eventIds',
  first: 'firstSeen',
  last: 'lastSeen',
  w: 'mark',
  l: 'mark',
  a: 'mark',
};

export function viewRecords(v: ReportView, findings?: ReadonlyArray<{ eventIds: readonly string[] }>): { columns: string[]; rows: Record<string, string | number | null>[] } {
  const columns = ['section'];
  const rows: Record<string, string | number | null>[] = [];
  for (const s of v.sections) {
    for (const c of s.columns) {
      const name = VIEW_FIELD_NAMES[c.key] ?? c.key;
      if (!columns.includes(name)) columns.push(name);
    }
    // The table abbreviates a finding's events ("a b c +5"); an export lists them all, space-separated.
    const full = s.title === 'Findings' && findings && findings.length === s.rows.length ? findings : null;
    s.rows.forEach((r, i) => {
      const o: Record<string, string | number | null> = { section: s.title };
      for (const c of s.columns) {
        const v2 = r[c.key];
        o[VIEW_FIELD_NAMES[c.key] ?? c.key] = v2 === undefined || v2 === '' ? null : v2;
      }
      if (full) o.eventIds = full[i].eventIds.join(' ') || null;
      rows.push(o);
    });
  }
  return { columns, rows };
}
