// Findings for people and tools: a table (most severe first), Markdown, CSV and JSON Lines rows. The JSON document
// is built by the command (docs/json-output.md#detect). Every cell goes through the table/CSV/Markdown renderers'
// escaping; rule text (titles, authors) is data from rule files and is escaped like evidence. Rule authors are
// listed in full under the table and in every record.

import type { Finding } from '../model/detection.js';
import { PRIORITY, type TableColumn } from '../model/report-view.js';
import { renderCsv } from './csv.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { escapeControl } from '../model/escape.js';

const COLUMNS: TableColumn[] = [
  { key: 'level', header: 'Level', priority: PRIORITY.key },
  { key: 'title', header: 'Rule', priority: PRIORITY.essential, minWidth: 24, wrap: true },
  { key: 'outcome', header: 'Outcome', priority: PRIORITY.essential, minWidth: 9 },
  { key: 'events', header: 'Events', align: 'right', priority: PRIORITY.normal },
  { key: 'first', header: 'First', priority: PRIORITY.key },
  { key: 'last', header: 'Last', priority: PRIORITY.secondary },
  { key: 'who', header: 'Principal', priority: PRIORITY.essential, cut: 'start', minWidth: 16 },
  { key: 'ips', header: 'Source IPs', priority: PRIORITY.normal },
  { key: 'details', header: 'Details', priority: PRIORITY.text, wrap: true },
];

function more(list: readonly string[], n: number): string {
  return list.length <= n ? list.join(', ') : `${list.slice(0, n).join(', ')} (+${list.length - n})`;
}

function outcomeText(f: Finding): string {
  return f.outcome === 'succeeded' ? 'succeeded' : `${f.outcome} (${more(f.errorCodes, 2)})`;
}

/** A value as the table shows it: long ones (user agents, ARNs in details) cut to `n` characters. */
function short(v: string, n = 48): string {
  return v.length > n ? `${v.slice(0, n - 1)}…` : v;
}

/** The group-by values (not the actor or a principal: the Principal column has them) and the rule's `fields`. */
function detailsText(f: Finding, full = false): string {
  const cut = (v: string) => (full ? v : short(v));
  const group = Object.entries(f.group).filter(([k, v]) => k !== 'actor' && (full || !f.principals.includes(v)));
  const parts = Object.entries(f.details)
    .filter(([k]) => !(k in f.group))
    .map(([k, v]) => `${k.split('.').pop()}=${full ? v.join(', ') : more(v.map(cut), 2)}`);
  return [...group.map(([k, v]) => `${k}=${cut(v)}`), ...parts].join('; ');
}

function row(f: Finding): Record<string, string | number | null> {
  return {
    level: f.level,
    title: f.title,
    outcome: outcomeText(f),
    events: f.eventCount,
    first: f.firstTime,
    last: f.lastTime,
    who: more(f.principals.length ? f.principals : [f.group.actor ?? ''].filter(Boolean), 1),
    ips: more(f.sourceIps, 2),
    details: detailsText(f),
  };
}

/**
 * The authors of the rules behind the findings, one line per rule, in full: the Detection Rule License asks that a
 * rule's author be shown wherever its matches are.
 */
function authorLines(findings: readonly Finding[]): string[] {
  const seen = new Map<string, string>();
  for (const f of findings) if (!seen.has(f.title)) seen.set(f.title, f.author ?? 'unknown author');
  return [...seen].map(([title, author]) => `${escapeControl(title)}: ${escapeControl(author)}`);
}

export function renderFindingsTable(findings: readonly Finding[], width: number): string {
  if (!findings.length) return 'No findings.\n';
  return `${renderTable(COLUMNS, findings.map(row), { width })}\nRule authors:\n${authorLines(findings).map((l) => `  ${l}\n`).join('')}`;
}

export function renderFindingsMarkdown(findings: readonly Finding[]): string {
  if (!findings.length) return '_No findings._\n';
  return `${renderMarkdown(COLUMNS, findings.map(row))}\nRule authors:\n\n${authorLines(findings).map((l) => `- ${l.replace(/([|`*_<>[\]])/g, '\\$1')}\n`).join('')}`;
}

/** One flat record per finding (lists joined with `;`), for CSV and spreadsheets. */
const CSV_COLUMNS = ['findingId', 'level', 'ruleId', 'title', 'outcome', 'errorCodes', 'firstTime', 'lastTime', 'eventCount', 'principals', 'accessKeyIds', 'sourceIps', 'accounts', 'regions', 'details', 'author', 'pack', 'tags', 'trust', 'eventIds'] as const;

export function renderFindingsCsv(findings: readonly Finding[], excel: boolean): string {
  const join = (v: readonly string[]) => v.join(';');
  const rows = findings.map((f) => ({
    findingId: f.findingId,
    level: f.level,
    ruleId: f.ruleId,
    title: f.title,
    outcome: f.outcome,
    errorCodes: join(f.errorCodes),
    firstTime: f.firstTime,
    lastTime: f.lastTime,
    eventCount: f.eventCount,
    principals: join(f.principals),
    accessKeyIds: join(f.accessKeyIds),
    sourceIps: join(f.sourceIps),
    accounts: join(f.accounts),
    regions: join(f.regions),
    details: detailsText(f, true),
    author: f.author,
    pack: f.pack,
    tags: join(f.tags),
    trust: f.trust,
    eventIds: join(f.eventIds),
  }));
  return renderCsv(CSV_COLUMNS.map((c) => ({ key: c, header: c })), rows, { excel });
}
