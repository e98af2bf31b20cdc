// The triage summary for the terminal: one screen that says what happened — the evidence, its blind spots, the most
// severe findings with outcome and revert state, the actors behind them with their story, the top of each stack
// count with "new" marks, and the next commands — with the rest behind `full` (all findings, actors and stack rows,
// the run's steps, activity per day, coverage per account and region, the cited events). Tables go through
// src/report/table.ts, so a narrow terminal keeps times and levels and drops free text first; every evidence string
// is escaped (escapeControl) before it is laid out. Times are shown in the report's zone. Documented in
// docs/triage-output.md ("Terminal summary").

import { escapeControl } from '../model/escape.js';
import { PRIORITY, type TableColumn } from '../model/report-view.js';
import type { BlindSpot, StackRow, TriageActor, TriageFinding, TriageReport } from '../model/triage.js';
import { renderTable, type TableRow } from './table.js';
import { displayWidth, wrapToWidth } from './width.js';
import {
  actorFindingTitles,
  countByLevel,
  countsText,
  coverageStreams,
  dailyActivity,
  gapText,
  headline,
  levelCountText,
  moreList,
  outcomeText,
  revertText,
  windowHow,
  zoned,
} from './triage-sections.js';

export interface TriageTextOptions {
  /** Terminal width in cells; 0 means no limit (nothing is cut or wrapped). */
  width: number;
  /** Colour the headings and levels with ANSI SGR codes (only text trailhound writes is coloured). */
  color?: boolean;
  /** Everything, instead of the one-screen summary. */
  full?: boolean;
}

/** How much the one-screen summary shows before "--full". */
const TOP = { actors: 5, stackRows: 5, blindSpots: 10, nextSteps: 10, listed: 5 };

const SGR: Record<string, string> = { critical: '1;31', high: '31', medium: '33', low: '36', informational: '2', info: '2', heading: '1' };

interface Ctx {
  width: number;
  tz: string;
  full: boolean;
  paint: (text: string, style: string) => string;
}

export function renderTriageText(report: TriageReport, opts: TriageTextOptions): string {
  const ctx: Ctx = {
    width: opts.width > 0 ? opts.width : 0,
    tz: report.tz,
    full: opts.full ?? false,
    paint: opts.color ? (text, style) => (SGR[style] ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text) : (text) => text,
  };
  const title = `Triage of ${escapeControl(report.evidence.caseFile)}`;
  const out: string[] = [ctx.paint(title, 'heading'), '='.repeat(Math.min(80, displayWidth(title))), ...wrap(escapeControl(headline(report)), ctx.width)];
  const sections = [
    evidenceSection(report, ctx),
    blindSpotSection(report, ctx),
    findingsSection(report, ctx),
    actorsSection(report, ctx),
    stacksSection(report, ctx),
    ctx.full ? activitySection(report, ctx) : [],
    ctx.full ? coverageSection(report, ctx) : [],
    nextStepsSection(report, ctx),
    ctx.full ? citedEventsSection(report, ctx) : [],
  ];
  for (const s of sections) if (s.length) out.push('', ...s);
  if (!ctx.full) out.push('', ...wrap('More: --full shows every finding, actor and stack row, the run, activity per day, coverage and the cited events.', ctx.width));
  return `${out.join('\n')}\n`;
}

// ── layout helpers ────────────────────────────────────────────────────────────────────────────────────────────────

/** A section heading (wrapped when narrow; trailhound's own words, with numbers). */
function heading(ctx: Ctx, text: string): string {
  return wrap(`── ${text}`, ctx.width)
    .map((l) => ctx.paint(l, 'heading'))
    .join('\n');
}

/** Escaped text wrapped to the width (no limit: one line). */
function wrap(escaped: string, width: number): string[] {
  return width > 0 ? wrapToWidth(escaped, Math.max(8, width)) : [escaped];
}

/** Lines indented by `indent` spaces, each wrapped to the width; `hang` more spaces on continuation lines. */
function indented(escaped: readonly string[], indent: number, width: number, hang = 0): string[] {
  const out: string[] = [];
  for (const e of escaped) {
    const lines = wrap(e, width ? width - indent - hang : 0);
    lines.forEach((l, i) => out.push(' '.repeat(indent + (i > 0 ? hang : 0)) + l));
  }
  return out;
}

const TAG = 10;
/** Wider than any time the report shows (`+275760-09-13T00:00:00.000+14:00`): as a minWidth, a time column is left out, never cut. */
const TIME_MAX = 34;

/** A block with a level tag on its first line: `HIGH      first line` then the other lines under the text. */
function tagged(ctx: Ctx, level: string, first: string, rest: readonly string[]): string[] {
  const tag = level.toUpperCase();
  const head = wrap(first, ctx.width ? ctx.width - TAG : 0);
  const lines = [`${ctx.paint(tag, level)}${' '.repeat(Math.max(1, TAG - tag.length))}${head[0]}`, ...indented(head.slice(1), TAG, ctx.width)];
  return [...lines, ...indented(rest, TAG, ctx.width, 2)];
}

function table(ctx: Ctx, columns: TableColumn[], rows: TableRow[]): string[] {
  return renderTable(columns, rows, { width: ctx.width }).trimEnd().split('\n');
}

/** Paint the level word at the start of a table row (the Level column is first and never left out). */
function paintLevels(ctx: Ctx, lines: string[]): string[] {
  return lines.map((l) => l.replace(/^(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL)(?= |$)/, (w) => ctx.paint(w, w.toLowerCase())));
}

function listed(ctx: Ctx, values: readonly string[]): string {
  return escapeControl(ctx.full ? values.join(', ') : moreList(values, TOP.listed));
}

function t(ctx: Ctx, iso: string | null): string {
  return escapeControl(zoned(iso, ctx.tz) ?? '?');
}

function span(ctx: Ctx, start: string | null, end: string | null): string {
  return start === end ? t(ctx, start) : `${t(ctx, start)} → ${t(ctx, end)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ── sections ──────────────────────────────────────────────────────────────────────────────────────────────────────

function evidenceSection(r: TriageReport, ctx: Ctx): string[] {
  const e = r.evidence;
  const zone = /^(utc|z|gmt)$/i.test(r.tz) ? 'UTC' : r.tz;
  const facts: Array<[string, string]> = [
    ['Events', `${e.events} from ${span(ctx, e.firstEvent, e.lastEvent)} (times in ${escapeControl(zone)})`],
    ['Scope', `${plural(e.accounts.length, 'account')}${e.accounts.length ? ` (${listed(ctx, e.accounts)})` : ''} · ${plural(e.regions.length, 'region')}${e.regions.length ? ` (${listed(ctx, e.regions)})` : ''}`],
    ['Sources', `${escapeControl(countsText(e.sources))} files; events: ${escapeControl(countsText(e.categories))}`],
    ['Integrity', escapeControl(e.integrity)],
  ];
  const notRan = r.steps.filter((s) => s.status !== 'ran');
  const ran = r.steps.length - notRan.length;
  const took = r.steps.reduce((a, s) => a + s.durationMs, 0);
  facts.push(['Run', `${plural(ran, 'step')} ran${notRan.length ? `, ${notRan.length} did not` : ''} in ${(took / 1000).toFixed(1)} s`]);
  if (!ctx.full) for (const s of notRan) facts.push(['', `${escapeControl(s.step)} ${s.status}: ${escapeControl(s.note)}`]);
  const w = Math.max(...facts.map(([k]) => k.length));
  const out = [heading(ctx, 'Evidence')];
  for (const [k, v] of facts) {
    const lines = wrap(v, ctx.width ? ctx.width - w - 2 : 0);
    out.push(`${k.padEnd(w)}  ${lines[0]}`, ...lines.slice(1).map((l) => `${' '.repeat(w + 2)}${l}`));
  }
  if (ctx.full && r.steps.length) {
    out.push('', heading(ctx, 'Run'));
    out.push(
      ...table(
        ctx,
        [
          { key: 'step', header: 'Step', priority: PRIORITY.key },
          { key: 'status', header: 'Status', priority: PRIORITY.key },
          { key: 'took', header: 'Took', align: 'right', priority: PRIORITY.normal },
          { key: 'note', header: 'Note', priority: PRIORITY.essential, minWidth: 16, wrap: true },
        ],
        r.steps.map((s) => ({ step: s.step, status: s.status, took: `${(s.durationMs / 1000).toFixed(1)} s`, note: s.note })),
      ),
    );
  }
  return out;
}

function blindSpotLines(ctx: Ctx, b: BlindSpot): string[] {
  const where = [b.account, b.region].filter((v): v is string => !!v).map(escapeControl).join(' ');
  const when = b.start || b.end ? `${t(ctx, b.start)} → ${b.end ? t(ctx, b.end) : 'end of evidence'}` : '';
  const first = [escapeControl(b.kind), where, when].filter(Boolean).join(' · ');
  const rest = [escapeControl(b.message)];
  if (b.eventIds.length) rest.push(`events: ${listed(ctx, b.eventIds)}`);
  return tagged(ctx, b.severity, first, rest);
}

function blindSpotSection(r: TriageReport, ctx: Ctx): string[] {
  const out = [heading(ctx, `Blind spots (${r.blindSpots.length})`)];
  if (!r.blindSpots.length) return [...out, '   None found: the evidence is complete for what triage can check.'];
  const shown = ctx.full ? r.blindSpots : r.blindSpots.slice(0, TOP.blindSpots);
  for (const b of shown) out.push(...blindSpotLines(ctx, b));
  if (shown.length < r.blindSpots.length) out.push(`and ${r.blindSpots.length - shown.length} more: --full`);
  return out;
}

// Findings as a table: the summary's high and critical ones (SUMMARY_COLUMNS: one or two lines each, so dozens fit),
// and with --full the medium and below (the severe ones are then blocks, every detail shown).
const FINDING_COLUMNS: TableColumn[] = [
  { key: 'level', header: 'Level', priority: PRIORITY.key },
  { key: 'first', header: 'First', priority: PRIORITY.key },
  { key: 'title', header: 'Finding', priority: PRIORITY.essential, minWidth: 16, wrap: true },
  { key: 'outcome', header: 'Outcome', priority: PRIORITY.essential },
  { key: 'revert', header: 'Reverted', priority: PRIORITY.normal },
  { key: 'events', header: 'Events', align: 'right', priority: PRIORITY.normal },
  // Gives way before the finding's title: an ARN's tail (the user or session) is what is kept.
  { key: 'who', header: 'Principal', priority: PRIORITY.normal, cut: 'start', minWidth: 20 },
  { key: 'ips', header: 'Source IPs', priority: PRIORITY.normal, minWidth: 15, wrap: true },
  // A time is never cut: too narrow, the column is left out.
  { key: 'last', header: 'Last', priority: PRIORITY.secondary, minWidth: TIME_MAX },
  { key: 'details', header: 'Details', priority: PRIORITY.text, wrap: true },
];

const SUMMARY_COLUMNS = FINDING_COLUMNS.filter((c) => !['events', 'last', 'details'].includes(c.key)).map((c) => (c.key === 'who' ? { ...c, minWidth: 18 } : c));

function detailParts(ctx: Ctx, f: TriageFinding): string[] {
  return Object.entries(f.details).map(([k, v]) => `${k.split('.').pop()}=${ctx.full ? v.join(', ') : moreList(v, 3)}`);
}

const REVERTED: Record<TriageFinding['revert']['state'], string | null> = { reverted: 'yes', 'partly-reverted': 'partly', 'not-reverted': 'no', 'not-applicable': null };

/** A finding as a table row: the outcome and revert state in a word (error codes and the revert note go to Details). */
function findingRow(ctx: Ctx, f: TriageFinding): TableRow {
  const details = detailParts(ctx, f);
  if (f.errorCodes.length) details.unshift(`errors=${moreList(f.errorCodes, 3)}`);
  if (f.accessKeyIds.length) details.unshift(`key=${moreList(f.accessKeyIds, 2)}`);
  if (f.revert.note) details.push(`revert: ${f.revert.note}`);
  return {
    level: f.level.toUpperCase(),
    first: zoned(f.firstTime, ctx.tz),
    title: f.title,
    outcome: f.outcome,
    revert: REVERTED[f.revert.state],
    events: f.eventCount,
    who: moreList(f.principals.length ? f.principals : f.accessKeyIds, 1),
    ips: moreList(f.sourceIps, 2),
    last: zoned(f.lastTime, ctx.tz),
    details: details.join('; '),
  };
}

/** A severe finding whole: what, when, outcome and revert, who and from where, the decisive values, the events. */
function findingLines(ctx: Ctx, f: TriageFinding): string[] {
  const revert = revertText(f.revert);
  const rest = [
    `${span(ctx, f.firstTime, f.lastTime)} · ${plural(f.eventCount, 'event')} · ${escapeControl(outcomeText(f))}${revert ? ` · ${revert}${f.revert.note ? ` (${escapeControl(f.revert.note)})` : ''}` : ''}`,
  ];
  const who = [
    f.principals.length ? `by ${listed(ctx, f.principals)}` : '',
    f.accessKeyIds.length ? `key ${listed(ctx, f.accessKeyIds)}` : '',
    f.sourceIps.length ? `from ${listed(ctx, f.sourceIps)}` : '',
    [...f.accounts, ...f.regions].length ? `in ${listed(ctx, [...f.accounts, ...f.regions])}` : '',
  ].filter(Boolean);
  if (who.length) rest.push(who.join(' · '));
  const details = detailParts(ctx, f);
  if (details.length) rest.push(escapeControl(details.join('; ')));
  if (f.eventIds.length) rest.push(`events: ${listed(ctx, f.eventIds)}${f.eventCount > f.eventIds.length ? ` (${f.eventCount} in all)` : ''}`);
  rest.push(`${escapeControl(f.ruleId)} (${escapeControl(f.source)})${f.trust ? ` · trust ${escapeControl(f.trust)}` : ''}`);
  return tagged(ctx, f.level, escapeControl(f.title), rest);
}

function findingsSection(r: TriageReport, ctx: Ctx): string[] {
  const severe = r.findings.filter((f) => f.level === 'critical' || f.level === 'high');
  const rest = r.findings.filter((f) => f.level !== 'critical' && f.level !== 'high');
  const out = [heading(ctx, `Findings (${levelCountText(r.findingCounts)})`)];
  if (!r.findings.length) out.push('   No findings.');
  else if (!severe.length) out.push('   No high or critical findings.');
  else if (!ctx.full) out.push(...paintLevels(ctx, table(ctx, SUMMARY_COLUMNS, severe.map((f) => findingRow(ctx, f)))));
  else {
    severe.forEach((f, i) => {
      if (i > 0) out.push('');
      out.push(...findingLines(ctx, f));
    });
  }
  if (rest.length && ctx.full) out.push('', ...paintLevels(ctx, table(ctx, FINDING_COLUMNS, rest.map((f) => findingRow(ctx, f)))));
  else if (rest.length) out.push(...wrap(`and ${levelCountText(countByLevel(rest))}: --full`, ctx.width));
  if (severe.length && !ctx.full) out.push(...wrap('Every finding with its details, decisive values and events: --full', ctx.width));
  const allTotal = Object.values(r.findingCounts).reduce((a, n) => a + n, 0);
  if (allTotal > r.findings.length) out.push(`(${allTotal - r.findings.length} below the minimum level are not in this report)`);
  // The Detection Rule License asks that a rule's author be shown wherever its matches are.
  // One line per author with the rules' titles (the summary names at most 3 per author; --full all of them).
  const shown = ctx.full ? r.findings : severe;
  const byAuthor = new Map<string, Set<string>>();
  for (const f of shown) {
    if (f.origin !== 'rule') continue;
    const author = f.author ?? 'unknown author';
    byAuthor.set(author, (byAuthor.get(author) ?? new Set()).add(f.title));
  }
  const authorLine = ([author, titles]: [string, Set<string>]) => {
    const list = [...titles];
    const named = ctx.full || list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more rules`;
    return `${escapeControl(author)}: ${escapeControl(named)}`;
  };
  if (byAuthor.size) out.push('', 'Rule authors:', ...indented([...byAuthor].map(authorLine), 2, ctx.width, 2));
  return out;
}

function actorLines(r: TriageReport, ctx: Ctx, a: TriageActor): string[] {
  const who = `${a.kind === 'access-key' ? 'access key' : 'principal'} ${escapeControl(a.id)}${a.label && a.label !== a.id && a.label !== a.account ? ` (${escapeControl(a.label)})` : ''}${a.account ? ` · account ${escapeControl(a.account)}` : ''}`;
  const rest = [`${span(ctx, a.firstSeen, a.lastSeen)} · ${plural(a.events, 'event')}, ${a.errors} failed`];
  const where = [a.sourceIps.length ? `from ${listed(ctx, a.sourceIps)}` : '', a.regions.length ? `in ${listed(ctx, a.regions)}` : ''].filter(Boolean);
  if (where.length) rest.push(where.join(' · '));
  if (a.suspectWindow) rest.push(`suspect window ${span(ctx, a.suspectWindow.start, a.suspectWindow.end)}${escapeControl(windowHow(a.suspectWindow))}: ${escapeControl(a.suspectWindow.reason)}`);
  const titles = actorFindingTitles(r, a.findingIds);
  if (titles.length) rest.push(`findings: ${listed(ctx, titles)}`);
  for (const s of a.story) rest.push(`- ${escapeControl(s)}`);
  if (a.created.length) rest.push(`created: ${listed(ctx, a.created)}`);
  if (a.minted.length) rest.push(`minted: ${listed(ctx, a.minted)}`);
  return tagged(ctx, a.level, who, rest);
}

function actorsSection(r: TriageReport, ctx: Ctx): string[] {
  const out = [heading(ctx, `Actors (${r.actors.length})`)];
  if (!r.actors.length) return [...out, '   No principal or key is behind a finding.'];
  const shown = ctx.full ? r.actors : r.actors.slice(0, TOP.actors);
  shown.forEach((a, i) => {
    if (i > 0) out.push('');
    out.push(...actorLines(r, ctx, a));
  });
  if (shown.length < r.actors.length) out.push('', `and ${plural(r.actors.length - shown.length, 'more actor')}: --full`);
  return out;
}

const STACKS: ReadonlyArray<{ key: keyof Omit<TriageReport['stacks'], 'baselineEnd' | 'baselineNote'>; title: string; short: string; value: Partial<TableColumn> }> = [
  { key: 'principals', title: 'Principals', short: 'Principals', value: { cut: 'start', header: 'Principal' } },
  { key: 'accessKeys', title: 'Access keys', short: 'Access keys', value: { header: 'Access key' } },
  { key: 'sourceIps', title: 'Source IPs', short: 'Source IPs', value: { header: 'Source IP' } },
  { key: 'userAgents', title: 'User agents (by family)', short: 'User agents', value: { header: 'User agent family', wrap: true } },
  { key: 'eventNames', title: 'Event names (rarest first)', short: 'Event names', value: { header: 'Event name' } },
  { key: 'errors', title: 'Errors by code', short: 'Errors', value: { header: 'Error code' } },
  { key: 'regions', title: 'Regions', short: 'Regions', value: { header: 'Region' } },
];

function stackTable(ctx: Ctx, rows: readonly StackRow[], value: Partial<TableColumn>, variants: boolean): string[] {
  const columns: TableColumn[] = [
    { key: 'value', header: 'Value', priority: PRIORITY.key, minWidth: 16, ...value },
    { key: 'new', header: 'New', priority: PRIORITY.key },
    { key: 'events', header: 'Events', align: 'right', priority: PRIORITY.normal },
    { key: 'errors', header: 'Failed', align: 'right', priority: PRIORITY.normal },
    ...(variants ? [{ key: 'variants', header: 'Variants', align: 'right', priority: PRIORITY.secondary } as TableColumn] : []),
    { key: 'first', header: 'First seen', priority: PRIORITY.normal, minWidth: TIME_MAX },
    { key: 'last', header: 'Last seen', priority: PRIORITY.secondary, minWidth: TIME_MAX },
  ];
  return table(
    ctx,
    columns,
    rows.map((s) => ({ value: s.value, new: s.new ? 'new' : '', events: s.events, errors: s.errors, variants: s.variants ?? null, first: zoned(s.firstSeen, ctx.tz), last: zoned(s.lastSeen, ctx.tz) })),
  );
}

/** Longer stack values are cut in the middle in the summary (both ends kept: the kind and the name); --full has them whole. */
const VALUE_MAX = 100;

function middle(v: string, n: number): string {
  const chars = [...v];
  if (chars.length <= n) return v;
  const head = Math.ceil((n - 1) / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (n - 1 - head)).join('')}`;
}

/** The summary's stack counts: one table, the top rows of each stack under its name (values wrap, never cut). */
function stackTopTable(r: TriageReport, ctx: Ctx): string[] {
  const columns: TableColumn[] = [
    { key: 'stack', header: 'Stack', priority: PRIORITY.key },
    { key: 'value', header: 'Value', priority: PRIORITY.key, minWidth: 16, wrap: true },
    { key: 'new', header: 'New', priority: PRIORITY.key },
    { key: 'events', header: 'Events', align: 'right', priority: PRIORITY.normal },
    { key: 'errors', header: 'Failed', align: 'right', priority: PRIORITY.normal },
    { key: 'first', header: 'First seen', priority: PRIORITY.secondary, minWidth: TIME_MAX },
  ];
  const rows: TableRow[] = [];
  for (const { key, short } of STACKS) {
    const all = r.stacks[key];
    const label = `${short} (${all.length})`;
    if (!all.length) rows.push({ stack: label, value: 'none' });
    all.slice(0, TOP.stackRows).forEach((x, i) =>
      rows.push({ stack: i === 0 ? label : '', value: middle(x.value, VALUE_MAX), new: x.new ? 'new' : '', events: x.events, errors: x.errors, first: zoned(x.firstSeen, ctx.tz) }),
    );
  }
  return renderTable(columns, rows, { width: ctx.width, empty: '' }).trimEnd().split('\n');
}

function stacksSection(r: TriageReport, ctx: Ctx): string[] {
  const s = r.stacks;
  const out = [heading(ctx, ctx.full ? 'Stack counts' : `Stack counts (top ${TOP.stackRows} of each)`)];
  const base = s.baselineEnd ? `${escapeControl(s.baselineNote)} (after ${t(ctx, s.baselineEnd)})` : `nothing is marked new: ${escapeControl(s.baselineNote)}`;
  out.push(...wrap(`${base}. Event names: rarest first; user agents: by family.`, ctx.width));
  if (!ctx.full) {
    out.push(...stackTopTable(r, ctx));
    const cut = STACKS.filter(({ key }) => s[key].length > TOP.stackRows).map(({ short }) => short.toLowerCase());
    if (cut.length) out.push(...wrap(`More ${cut.join(', ')}: --full`, ctx.width));
    return out;
  }
  for (const { key, title, value } of STACKS) {
    const rows = s[key];
    const fresh = rows.filter((x) => x.new).length;
    out.push('', `${title}: ${rows.length}${fresh ? `, ${fresh} new` : ''}`);
    if (!rows.length) out.push('   None.');
    else out.push(...stackTable(ctx, rows, value, key === 'userAgents'));
  }
  return out;
}

function activitySection(r: TriageReport, ctx: Ctx): string[] {
  const days = dailyActivity(r.activity, ctx.tz);
  const out = [heading(ctx, `Activity per day (${days.length} active days)`)];
  if (!days.length) return [...out, '   No events.'];
  const max = Math.max(...days.map((d) => d.events), 1);
  const columns: TableColumn[] = [
    { key: 'day', header: 'Day', priority: PRIORITY.key },
    { key: 'events', header: 'Events', align: 'right', priority: PRIORITY.key },
    { key: 'flagged', header: 'In findings', align: 'right', priority: PRIORITY.essential },
    { key: 'hours', header: 'Active hours', align: 'right', priority: PRIORITY.normal },
    { key: 'bar', header: '', priority: PRIORITY.text, minWidth: 4 },
  ];
  const rows = days.map((d) => ({ day: d.day, events: d.events, flagged: d.flagged, hours: d.activeHours, bar: '█'.repeat(Math.max(d.events ? 1 : 0, Math.round((d.events / max) * 30))) }));
  return [...out, ...table(ctx, columns, rows)];
}

function coverageSection(r: TriageReport, ctx: Ctx): string[] {
  const streams = coverageStreams(r.coverage);
  const out = [heading(ctx, 'Coverage by account and region (days without events are gaps)')];
  if (!streams.length) return [...out, '   No events.'];
  const columns: TableColumn[] = [
    { key: 'account', header: 'Account', priority: PRIORITY.key },
    { key: 'region', header: 'Region', priority: PRIORITY.key },
    { key: 'events', header: 'Events', align: 'right', priority: PRIORITY.normal },
    { key: 'days', header: 'Days', align: 'right', priority: PRIORITY.normal },
    { key: 'gaps', header: 'Gaps', priority: PRIORITY.essential, minWidth: 16, wrap: true },
  ];
  const rows = streams.map((s) => ({ account: s.account, region: s.region, events: s.events, days: s.activeDays, gaps: s.gaps.length ? s.gaps.map(gapText).join('; ') : 'none' }));
  return [...out, ...table(ctx, columns, rows)];
}

function nextStepsSection(r: TriageReport, ctx: Ctx): string[] {
  const out = [heading(ctx, 'Next steps')];
  if (!r.nextSteps.length) return [...out, '   Nothing to follow up.'];
  const shown = ctx.full ? r.nextSteps : r.nextSteps.slice(0, TOP.nextSteps);
  for (const kind of ['investigate', 'response'] as const) {
    const steps = shown.filter((s) => s.kind === kind);
    if (!steps.length) continue;
    out.push(kind === 'investigate' ? 'Dig further:' : 'Respond (review first: these change the account):');
    for (const s of steps) {
      out.push(...indented([`# ${escapeControl(s.why)}`], 2, ctx.width, 2));
      // Commands are never wrapped: they are for pasting.
      out.push(`  ${escapeControl(s.command)}`);
    }
  }
  if (shown.length < r.nextSteps.length) out.push(`and ${plural(r.nextSteps.length - shown.length, 'more step')}: --full`);
  return out;
}

function citedEventsSection(r: TriageReport, ctx: Ctx): string[] {
  const out = [heading(ctx, `Cited events (${r.events.length}${r.citedEventsOmitted ? `, ${r.citedEventsOmitted} more left out` : ''})`)];
  if (!r.events.length) return [...out, '   None.'];
  const columns: TableColumn[] = [
    { key: 'time', header: 'Time', priority: PRIORITY.key },
    { key: 'eventId', header: 'Event ID', priority: PRIORITY.key },
    { key: 'name', header: 'Event', priority: PRIORITY.essential, minWidth: 16 },
    { key: 'principal', header: 'Principal', priority: PRIORITY.essential, minWidth: 16, cut: 'start' },
    { key: 'file', header: 'File', priority: PRIORITY.secondary, cut: 'start' },
    { key: 'record', header: 'Record', align: 'right', priority: PRIORITY.secondary },
    { key: 'trust', header: 'Trust', priority: PRIORITY.secondary },
    { key: 'sha', header: 'File SHA-256', priority: PRIORITY.text },
  ];
  const rows = r.events.map((e) => ({ time: zoned(e.time, ctx.tz), eventId: e.eventId, name: e.eventName, principal: e.principal, file: e.file, record: e.recordIndex, trust: e.trust, sha: e.fileSha256 }));
  return [...out, ...table(ctx, columns, rows)];
}
