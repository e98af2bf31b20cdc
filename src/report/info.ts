// The `info` command's table output: the facts of index/info.ts as aligned lines (JSON, CSV and the other
// formats are the CaseInfo object itself, through report/record.ts).

import type { CaseInfo } from '../index/info.js';
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
    info.integrity
      ? `integrity    verified ${info.integrity.finishedAt} (exit ${info.integrity.exitCode}): log files ${Object.entries(info.integrity.sources).map(([k, n]) => `${n} ${k}`).join(', ')}`
      : 'integrity    not verified (run: trailhound verify <evidence> --db <case>)',
  ];
  // Accounts, regions and categories come from the events (attacker-controlled): every line is escaped.
  return `${lines.map(escapeControl).join('\n')}\n`;
}
