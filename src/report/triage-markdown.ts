// The triage report as Markdown, for tickets and wikis: the HTML report's sections (Summary, Blind spots, Findings,
// Actors, Activity, Coverage, Stack counts, Next steps, Cited events) as GitHub tables and lists, no HTML. Every
// evidence string goes through src/report/markdown.ts's cell escaper (plus `&` and `~`, and a line-start marker
// escaped where text opens a list item); commands sit in fenced code blocks whose fence is longer than any backtick
// run inside. Times are shown in the report's zone. Documented in docs/triage-output.md ("Markdown report").

import { escapeControl } from '../model/escape.js';
import type { StackRow, TriageActor, TriageFinding, TriageReport } from '../model/triage.js';
import { mdCell } from './markdown.js';
import {
  actorFindingTitles,
  countsText,
  coverageStreams,
  dailyActivity,
  gapText,
  headline,
  levelCountText,
  outcomeText,
  revertText,
  windowHow,
  zoned,
} from './triage-sections.js';

/** Above this many active days the coverage matrix would be too wide to read: the gaps table stands alone. */
const MATRIX_MAX_DAYS = 31;

type Cell = string | number | null | undefined;

/**
 * Inline text or a table cell: the shared cell escaper, then `&` (no entity can be spelled) and `~` (no fence or
 * strike-through), and a leading `#`, `+`, `-`, `=` or `1. ` / `1) ` escaped so text placed at the start of a list item
 * never opens a heading, a rule or a nested list.
 */
export function mdText(v: Cell): string {
  return mdCell(v)
    .replace(/[&~]/g, '\\$&')
    .replace(/^([#+=-])/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

interface Column {
  key: string;
  header: string;
}

/** A GitHub table: one row per record, every cell escaped, the same number of cells on every line. */
function mdTable(columns: readonly Column[], rows: ReadonlyArray<Record<string, Cell>>): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(columns.map((c) => mdText(c.header))), `|${columns.map(() => ' --- ').join('|')}|`, ...rows.map((r) => line(columns.map((c) => mdText(r[c.key]))))];
}

/** A fenced code block that the text cannot close: the fence is longer than the longest backtick run inside. */
export function fenced(code: string, info = ''): string[] {
  const text = escapeControl(code);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, text, fence];
}

export function renderTriageMarkdown(report: TriageReport): string {
  const tz = report.tz;
  const t = (iso: string | null): string | null => zoned(iso, tz);
  const out: string[] = [`# Triage report: ${mdText(report.evidence.caseFile)}`, ''];
  out.push(`${mdText(headline(report))}.`, '');
  out.push(...summary(report, t), '');
  out.push(...blindSpots(report, t), '');
  out.push(...findings(report, t), '');
  out.push(...actors(report, t), '');
  out.push(...activity(report), '');
  out.push(...coverage(report), '');
  out.push(...stacks(report, t), '');
  out.push(...nextSteps(report), '');
  out.push(...citedEvents(report, t));
  return `${out.join('\n').trimEnd()}\n`;
}

type T = (iso: string | null) => string | null;

function summary(r: TriageReport, t: T): string[] {
  const e = r.evidence;
  const zone = /^(utc|z|gmt)$/i.test(r.tz) ? 'UTC' : r.tz;
  const fact = (k: string, v: string) => `- **${k}**: ${v}`;
  const out = [
    '## Summary',
    '',
    fact('Case', mdText(e.caseFile)),
    fact('Events', `${e.events} from ${mdText(t(e.firstEvent) ?? '?')} to ${mdText(t(e.lastEvent) ?? '?')} (times in ${mdText(zone)})`),
    fact('Accounts', mdText(e.accounts.join(', ') || '(none)')),
    fact('Regions', mdText(e.regions.join(', ') || '(none)')),
    fact('Sources', `${mdText(countsText(e.sources))} files`),
    fact('Event categories', mdText(countsText(e.categories))),
    fact('Integrity', mdText(e.integrity)),
  ];
  out.push(fact('Findings', mdText(levelCountText(r.findingCounts))));
  out.push(fact('Generated', `${mdText(r.generatedAt)} by trailhound ${mdText(r.toolVersion)}; exit code ${r.exitCode}`));
  if (r.steps.length) {
    out.push('', '### Run', '');
    out.push(
      ...mdTable(
        [
          { key: 'step', header: 'Step' },
          { key: 'status', header: 'Status' },
          { key: 'took', header: 'Took' },
          { key: 'note', header: 'Note' },
        ],
        r.steps.map((s) => ({ step: s.step, status: s.status, took: `${(s.durationMs / 1000).toFixed(1)} s`, note: s.note })),
      ),
    );
  }
  return out;
}

function blindSpots(r: TriageReport, t: T): string[] {
  const out = ['## Blind spots', ''];
  if (!r.blindSpots.length) return [...out, '_None found: the evidence is complete for what triage can check._'];
  const columns = [
    { key: 'severity', header: 'Severity' },
    { key: 'kind', header: 'Kind' },
    { key: 'account', header: 'Account' },
    { key: 'region', header: 'Region' },
    { key: 'start', header: 'From' },
    { key: 'end', header: 'To' },
    { key: 'message', header: 'What' },
    { key: 'events', header: 'Events' },
  ];
  const rows = r.blindSpots.map((b) => ({
    severity: b.severity.toUpperCase(),
    kind: b.kind,
    account: b.account,
    region: b.region,
    start: t(b.start),
    end: b.end ? t(b.end) : b.start ? 'end of evidence' : null,
    message: b.message,
    events: b.eventIds.join(' '),
  }));
  return [...out, ...mdTable(columns, rows)];
}

function findingRow(f: TriageFinding, t: T): Record<string, Cell> {
  const details = Object.entries(f.details).map(([k, v]) => `${k}=${v.join(', ')}`);
  const revert = revertText(f.revert);
  return {
    level: f.level.toUpperCase(),
    first: t(f.firstTime),
    last: t(f.lastTime),
    title: f.title,
    outcome: outcomeText(f),
    revert: revert ? `${revert}${f.revert.note ? ` (${f.revert.note})` : ''}${f.revert.eventIds.length ? `: ${f.revert.eventIds.join(' ')}` : ''}` : null,
    events: f.eventCount,
    principals: f.principals.join(', '),
    keys: f.accessKeyIds.join(', '),
    ips: f.sourceIps.join(', '),
    where: [...f.accounts, ...f.regions].join(', '),
    details: details.join('; '),
    rule: `${f.ruleId} (${f.source})`,
    trust: f.trust,
    cited: f.eventIds.length > 5 ? `${f.eventIds.slice(0, 5).join(' ')} (+${f.eventIds.length - 5})` : f.eventIds.join(' '),
  };
}

function findings(r: TriageReport, t: T): string[] {
  const out = ['## Findings', '', `${mdText(levelCountText(r.findingCounts))}; most severe first, then oldest first.`, ''];
  const allTotal = Object.values(r.findingCounts).reduce((a, n) => a + n, 0);
  if (allTotal > r.findings.length) out.push(`${allTotal - r.findings.length} findings below the minimum level are not in this report.`, '');
  if (!r.findings.length) return [...out, '_No findings._'];
  const columns = [
    { key: 'level', header: 'Level' },
    { key: 'first', header: 'First' },
    { key: 'last', header: 'Last' },
    { key: 'title', header: 'Finding' },
    { key: 'outcome', header: 'Outcome' },
    { key: 'revert', header: 'Reverted' },
    { key: 'events', header: 'Events' },
    { key: 'principals', header: 'Principals' },
    { key: 'keys', header: 'Access keys' },
    { key: 'ips', header: 'Source IPs' },
    { key: 'where', header: 'Accounts and regions' },
    { key: 'details', header: 'Details' },
    { key: 'rule', header: 'Rule or investigation' },
    { key: 'trust', header: 'Trust' },
    { key: 'cited', header: 'Cited events' },
  ];
  out.push(...mdTable(columns, r.findings.map((f) => findingRow(f, t))));
  // The Detection Rule License asks that a rule's author be shown wherever its matches are.
  const authors = new Map<string, string>();
  for (const f of r.findings) if (f.origin === 'rule' && !authors.has(f.title)) authors.set(f.title, f.author ?? 'unknown author');
  if (authors.size) out.push('', 'Rule authors:', '', ...[...authors].map(([title, a]) => `- ${mdText(title)}: ${mdText(a)}`));
  return out;
}

function actor(r: TriageReport, a: TriageActor, t: T): string[] {
  const label = a.label && a.label !== a.id && a.label !== a.account ? ` (${mdText(a.label)})` : '';
  const out = [`### ${a.level.toUpperCase()}: ${a.kind === 'access-key' ? 'access key' : 'principal'} ${mdText(a.id)}${label}`, ''];
  const fact = (k: string, v: string) => out.push(`- **${k}**: ${v}`);
  if (a.account) fact('Account', mdText(a.account));
  fact('Seen', `${mdText(t(a.firstSeen) ?? '?')} to ${mdText(t(a.lastSeen) ?? '?')}, ${a.events} events, ${a.errors} failed`);
  if (a.sourceIps.length) fact('Source IPs', mdText(a.sourceIps.join(', ')));
  if (a.regions.length) fact('Regions', mdText(a.regions.join(', ')));
  if (a.suspectWindow) fact('Suspect window', `${mdText(t(a.suspectWindow.start))} to ${mdText(t(a.suspectWindow.end))}${mdText(windowHow(a.suspectWindow))}: ${mdText(a.suspectWindow.reason)}`);
  const titles = actorFindingTitles(r, a.findingIds);
  if (titles.length) fact('Findings', mdText(titles.join(', ')));
  if (a.created.length) fact('Created', mdText(a.created.join(', ')));
  if (a.minted.length) fact('Minted', mdText(a.minted.join(', ')));
  if (a.story.length) out.push('', 'What it did:', '', ...a.story.map((s, i) => `${i + 1}. ${mdText(s)}`));
  return out;
}

function actors(r: TriageReport, t: T): string[] {
  const out = ['## Actors', ''];
  if (!r.actors.length) return [...out, '_No principal or key is behind a finding._'];
  r.actors.forEach((a, i) => {
    if (i > 0) out.push('');
    out.push(...actor(r, a, t));
  });
  return out;
}

function activity(r: TriageReport): string[] {
  const days = dailyActivity(r.activity, r.tz);
  const out = ['## Activity', '', `Events per day (days in ${mdText(r.tz)}; days without events left out).`, ''];
  if (!days.length) return [...out, '_No events._'];
  const columns = [
    { key: 'day', header: 'Day' },
    { key: 'events', header: 'Events' },
    { key: 'flagged', header: 'In findings' },
    { key: 'hours', header: 'Active hours' },
  ];
  return [...out, ...mdTable(columns, days.map((d) => ({ day: d.day, events: d.events, flagged: d.flagged, hours: d.activeHours })))];
}

function coverage(r: TriageReport): string[] {
  const streams = coverageStreams(r.coverage);
  const out = ['## Coverage', '', 'Events per account and region; gaps are days (UTC) without events inside the evidence\'s range.', ''];
  if (!streams.length) return [...out, '_No events._'];
  const columns = [
    { key: 'account', header: 'Account' },
    { key: 'region', header: 'Region' },
    { key: 'events', header: 'Events' },
    { key: 'days', header: 'Days with events' },
    { key: 'first', header: 'First day' },
    { key: 'last', header: 'Last day' },
    { key: 'gaps', header: 'Gaps' },
  ];
  const rows = streams.map((s) => ({ account: s.account, region: s.region, events: s.events, days: s.activeDays, first: s.firstDay, last: s.lastDay, gaps: s.gaps.length ? s.gaps.map(gapText).join('; ') : 'none' }));
  out.push(...mdTable(columns, rows));
  const days = [...new Set(r.coverage.filter((c) => c.events > 0).map((c) => c.day))].sort();
  if (days.length && days.length <= MATRIX_MAX_DAYS) {
    const counts = new Map<string, number>();
    for (const c of r.coverage) counts.set(JSON.stringify([c.account, c.region, c.day]), (counts.get(JSON.stringify([c.account, c.region, c.day])) ?? 0) + c.events);
    out.push('', 'Events per account, region and day (days with events):', '');
    const dayCols = days.map((d, i) => ({ key: `d${i}`, header: d }));
    const matrix = streams.map((s) => {
      const row: Record<string, Cell> = { account: s.account, region: s.region };
      days.forEach((d, i) => (row[`d${i}`] = counts.get(JSON.stringify([s.account, s.region, d])) ?? 0));
      return row;
    });
    out.push(...mdTable([{ key: 'account', header: 'Account' }, { key: 'region', header: 'Region' }, ...dayCols], matrix));
  }
  return out;
}

function stackRows(rows: readonly StackRow[], valueHeader: string, variants: boolean, t: T): string[] {
  const columns = [
    { key: 'value', header: valueHeader },
    { key: 'new', header: 'New' },
    { key: 'events', header: 'Events' },
    { key: 'errors', header: 'Failed' },
    ...(variants ? [{ key: 'variants', header: 'Variants' }] : []),
    { key: 'first', header: 'First seen' },
    { key: 'last', header: 'Last seen' },
  ];
  return mdTable(
    columns,
    rows.map((s) => ({ value: s.value, new: s.new ? 'new' : '', events: s.events, errors: s.errors, variants: s.variants ?? null, first: t(s.firstSeen), last: t(s.lastSeen) })),
  );
}

const STACKS = [
  ['principals', 'Principals', 'Principal'],
  ['accessKeys', 'Access keys', 'Access key'],
  ['sourceIps', 'Source IPs', 'Source IP'],
  ['userAgents', 'User agents (by family)', 'User agent family'],
  ['eventNames', 'Event names (rarest first)', 'Event name'],
  ['errors', 'Errors by code', 'Error code'],
  ['regions', 'Regions', 'Region'],
] as const;

function stacks(r: TriageReport, t: T): string[] {
  const s = r.stacks;
  const out = ['## Stack counts', ''];
  out.push(s.baselineEnd ? `${mdText(s.baselineNote)} (after ${mdText(t(s.baselineEnd))}).` : `Nothing is marked new: ${mdText(s.baselineNote)}.`);
  for (const [key, title, header] of STACKS) {
    const rows = s[key];
    const fresh = rows.filter((x) => x.new).length;
    out.push('', `### ${title} (${rows.length}${fresh ? `, ${fresh} new` : ''})`, '');
    out.push(...(rows.length ? stackRows(rows, header, key === 'userAgents', t) : ['_None._']));
  }
  return out;
}

function nextSteps(r: TriageReport): string[] {
  const out = ['## Next steps'];
  if (!r.nextSteps.length) return [...out, '', '_Nothing to follow up._'];
  for (const kind of ['investigate', 'response'] as const) {
    const steps = r.nextSteps.filter((s) => s.kind === kind);
    if (!steps.length) continue;
    out.push('', kind === 'investigate' ? '### Dig further' : '### Respond (review first: these change the account)');
    for (const s of steps) out.push('', `${mdText(s.why)}:`, '', ...fenced(s.command, 'sh'));
  }
  return out;
}

function citedEvents(r: TriageReport, t: T): string[] {
  const out = ['## Cited events', ''];
  if (!r.events.length) return [...out, '_None._'];
  const columns = [
    { key: 'eventId', header: 'Event ID' },
    { key: 'time', header: 'Time' },
    { key: 'name', header: 'Event' },
    { key: 'principal', header: 'Principal' },
    { key: 'ip', header: 'Source IP' },
    { key: 'error', header: 'Error' },
    { key: 'account', header: 'Account' },
    { key: 'region', header: 'Region' },
    { key: 'file', header: 'File' },
    { key: 'record', header: 'Record' },
    { key: 'sha', header: 'File SHA-256' },
    { key: 'trust', header: 'Trust' },
  ];
  const rows = r.events.map((e) => ({
    eventId: e.eventId,
    time: t(e.time),
    name: e.eventSource ? `${e.eventName ?? '?'} (${e.eventSource})` : e.eventName,
    principal: e.principal,
    ip: e.sourceIp,
    error: e.errorCode,
    account: e.account,
    region: e.region,
    file: e.file,
    record: e.recordIndex,
    sha: e.fileSha256,
    trust: e.trust,
  }));
  out.push(...mdTable(columns, rows));
  if (r.citedEventsOmitted > 0) out.push('', `${r.citedEventsOmitted} more cited events were left out of this report; trailhound show prints any event of the case by its ID.`);
  return out;
}
