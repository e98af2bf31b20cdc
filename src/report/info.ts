// The `info` command's table output: the facts of index/info.ts as aligned lines, and with --stats the bytes of
// index/case-stats.ts by table and index (JSON, CSV and the other formats are the objects themselves, through
// report/record.ts).

import type { CaseInfo } from '../index/info.js';
import type { CaseStats } from '../index/case-stats.js';
import type { IntegrityStatus, IntegritySummary } from '../index/trust.js';
import { escapeControl } from '../model/escape.js';
import { shellWord } from './warnings.js';

/** `N (E errors): top codes a 3, b 1; list them: trailhound warnings --db <case>`, or `0`. */
function warningsLine(info: CaseInfo, db: string): string {
  if (info.warnings === 0) return '0';
  const codes = Object.entries(info.warningsByCode);
  const top = codes.slice(0, 5).map(([c, n]) => `${c} ${n}`).join(', ') + (codes.length > 5 ? `, … (${codes.length - 5} more codes)` : '');
  const errors = `${info.warningErrors} error${info.warningErrors === 1 ? '' : 's'}`;
  return escapeControl(`${info.warnings} (${errors}): top codes ${top}; list them: trailhound warnings --db ${shellWord(db)}`);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The case's integrity in one plain sentence (info, and every other trust summary): says when nothing can be
 * proven because the evidence holds no digest files, and never prints all-zero log-file counts for a case with events.
 */
export function integrityText(status: IntegrityStatus, summary: IntegritySummary | null, db: string): string {
  const events = status.events === 0 ? '' : `; ${status.events === 1 ? 'its one event is' : `all ${status.events} events are`} unverified`;
  if (status.state === 'no_digests') return `not verified: no digest files in the evidence${events}`;
  if (status.state === 'not_verified' || summary === null) return `not verified (run: trailhound verify --db ${shellWord(db)})`;
  const head = `verified ${summary.finishedAt} (exit ${summary.exitCode})`;
  const s = summary.sources;
  if (s.proven + s.provisional + s.unverified === 0) {
    return status.events === 0
      ? `${head}: no CloudTrail log files or events in the case`
      : `${head}: no CloudTrail log files in the case; its ${plural(status.events, 'event')} (from exports) cannot be proven`;
  }
  return `${head}: log files ${s.proven} proven, ${s.provisional} provisional, ${s.unverified} unverified`;
}

/** The case's facts as `label  value` lines, every line escaped. */
export function renderInfoText(info: CaseInfo, db: string): string {
  const lines = [
    `case         ${db} (schema v${info.schemaVersion})`,
    `events       ${info.events} unique, ${info.occurrences} records seen${info.partialEvents ? `, ${info.partialEvents} partial` : ''}${info.conflicts ? `, ${info.conflicts} with conflicting bodies` : ''}`,
    `sources      ${Object.entries(info.sources).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
    `accounts     ${info.accounts.join(', ') || '-'}`,
    `regions      ${info.regions.join(', ') || '-'}`,
    `time range   ${info.timeRange.start ?? '-'} .. ${info.timeRange.end ?? '-'}`,
    `categories   ${Object.entries(info.categories).map(([k, n]) => `${k} ${n}`).join(', ') || '-'}`,
    `warnings     ${warningsLine(info, db)}`,
    `embedded     ${(info.embeddedBytes / 1e6).toFixed(1)} MB of evidence bytes`,
    `integrity    ${integrityText(info.integrityStatus, info.integrity, db)}`,
  ];
  // Accounts, regions and categories come from the events (attacker-controlled): every line is escaped.
  return `${lines.map(escapeControl).join('\n')}\n`;
}

/** 1.2 MB, 34.5 KB, 512 B. */
function size(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** `info --stats`: the file's size per event, the evidence share, then each table (largest first) with its indexes under it. */
export function renderStatsText(stats: CaseStats): string {
  const pct = (b: number) => `${stats.fileBytes > 0 ? ((b / stats.fileBytes) * 100).toFixed(1) : '0.0'} %`;
  const perEvent = stats.bytesPerEvent === null ? 'no events' : `${stats.bytesPerEvent} bytes per unique event (${stats.bytesPerEventWithoutEvidence} without the embedded evidence)`;
  const lines = [
    `file size    ${size(stats.fileBytes)}: ${perEvent}`,
    `space        tables ${size(stats.tableBytes)}, indexes ${size(stats.indexBytes)}, free pages ${size(stats.freeBytes)}`,
    `evidence     ${size(stats.evidenceBytes)} embedded (${pct(stats.evidenceBytes)} of the file)`,
    'bytes by table and index:',
  ];
  const rows: Array<[string, number, string]> = [];
  // Tables whose b-trees are all one page (empty or nearly) share one line at the end.
  const small = stats.tables.filter((t) => stats.parts.every((p) => p.table !== t.name || p.pages <= 1));
  for (const t of stats.tables) {
    if (small.includes(t)) continue;
    rows.push([t.name, t.bytes, t.indexBytes > 0 ? `  (${size(t.totalBytes)} with its indexes)` : '']);
    for (const p of stats.parts) if (p.type === 'index' && p.table === t.name) rows.push([`  ${p.name}`, p.bytes, '']);
  }
  if (small.length > 0) rows.push([`${small.length} small tables (one page per b-tree)`, small.reduce((a, t) => a + t.totalBytes, 0), '']);
  const w = Math.max(...rows.map(([n]) => n.length), 10);
  for (const [name, bytes, note] of rows) lines.push(`  ${name.padEnd(w)}  ${size(bytes).padStart(9)}  ${pct(bytes).padStart(6)}${note}`);
  return `${lines.map(escapeControl).join('\n')}\n`;
}
