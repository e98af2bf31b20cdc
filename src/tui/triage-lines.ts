// The triage screen's lines as text: a finding row (level, time, title, outcome, revert, events, principal) and a
// stack row (new mark, value, events, errors, first and last seen), with columns sized to the terminal, every cell
// escaped (columns.ts cell); and the selection/scroll arithmetic both lists share. Pure TypeScript.

import type { StackRow, TriageFinding } from '../model/triage.js';
import { cell, listTime } from './columns.js';

const fmt = (n: number): string => n.toLocaleString('en-US');
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** A selection and the first row shown, in a list held in memory. */
export interface ListPlace {
  sel: number;
  top: number;
}

/** Move the selection by `delta` (clamped to the list), keeping it inside a view of `viewH` rows. */
export function movePlace(p: ListPlace, delta: number, count: number, viewH: number): ListPlace {
  const h = Math.max(1, viewH);
  const sel = count === 0 ? 0 : Math.max(0, Math.min(count - 1, p.sel + delta));
  let top = p.top;
  if (sel < top) top = sel;
  if (sel >= top + h) top = sel - h + 1;
  top = Math.max(0, Math.min(top, Math.max(0, count - h)));
  return { sel, top };
}

const REVERT: Record<TriageFinding['revert']['state'], string> = { reverted: 'reverted', 'partly-reverted': 'partly', 'not-reverted': 'not reverted', 'not-applicable': '-' };

/** An ARN without its `arn:aws:iam::` / `arn:aws:sts::` prefix (`444455556666:user/ci-deployer`). */
export function shortPrincipal(arn: string): string {
  return arn.replace(/^arn:aws[a-z-]*:(iam|sts)::/, '');
}

/** Who a finding is about, in a few characters: its principal (or access key), and how many more. */
export function findingWho(f: TriageFinding): string {
  const who = f.principals.length ? f.principals : f.accessKeyIds;
  if (who.length === 0) return '-';
  return `${shortPrincipal(who[0])}${who.length > 1 ? ` +${who.length - 1}` : ''}`;
}

interface Col {
  header: string;
  width: number;
  right?: boolean;
}

function line(cols: readonly Col[], values: readonly string[], selected: boolean): string {
  const cells = cols.map((c, i) => {
    const v = values[i] ?? '';
    return c.right ? cell(v, c.width).trimEnd().padStart(c.width) : cell(v, c.width);
  });
  return `${selected ? '> ' : '  '}${cells.join(' ')}`.trimEnd();
}

export interface FindingLayout {
  cols: Col[];
  tz: string;
  /** Narrow terminals leave the time out of the row (the detail line under the list has it). */
  time: boolean;
}

/** Below this width the time column goes, so that the title keeps a readable width. */
const FINDING_TIME_MIN_WIDTH = 100;

/** Finding columns for a width: the title and the principal share what the fixed columns leave. */
export function findingLayout(width: number, tz: string): FindingLayout {
  const time = width >= FINDING_TIME_MIN_WIDTH;
  const fixed: Col[] = [{ header: 'Level', width: 6 }, ...(time ? [{ header: 'Time', width: tz === 'UTC' ? 19 : 25 }] : [])];
  const tail: Col[] = [
    { header: 'Outcome', width: 9 },
    { header: 'Revert', width: 12 },
    { header: 'Events', width: 6, right: true },
  ];
  const used = 2 + [...fixed, ...tail].reduce((n, c) => n + c.width + 1, 0);
  const spare = Math.max(10, width - used);
  // Narrow terminals: the principal goes first, the title keeps what there is.
  const principalW = spare >= 48 ? Math.min(40, Math.floor(spare * 0.4)) : 0;
  const titleW = Math.max(10, spare - (principalW ? principalW + 1 : 0));
  const cols = [...fixed, { header: 'Finding', width: titleW }, ...tail, ...(principalW ? [{ header: 'Principal', width: principalW }] : [])];
  return { cols, tz, time };
}

export function findingHeader(l: FindingLayout): string {
  return line(l.cols, l.cols.map((c) => c.header), false);
}

export function findingLine(l: FindingLayout, f: TriageFinding, selected: boolean): string {
  const outcome = f.outcome;
  const level = f.level === 'informational' ? 'info' : f.level;
  const values = l.time ? [level, listTime(ms(f.firstTime), l.tz), f.title] : [level, f.title];
  return line(l.cols, [...values, outcome, REVERT[f.revert.state], fmt(f.eventCount), findingWho(f)], selected);
}

/** The selected finding in one line: its time (when the row has none), rule, source, keys, addresses, errors, revert note. */
export function findingDetail(f: TriageFinding, l: FindingLayout): string {
  const parts = [`${l.time ? '' : `${listTime(ms(f.firstTime), l.tz)} `}${f.ruleId} (${f.source})`];
  if (f.accessKeyIds.length) parts.push(`keys ${f.accessKeyIds.join(', ')}`);
  if (f.sourceIps.length) parts.push(`from ${f.sourceIps.join(', ')}`);
  if (f.errorCodes.length) parts.push(`errors ${f.errorCodes.join(', ')}`);
  if (f.revert.note) parts.push(f.revert.note);
  return parts.join(' · ');
}

export interface StackLayout {
  cols: Col[];
  tz: string;
}

/** A value column narrower than this drops columns from the right (an access key, an IPv4 address are whole in 21). */
const STACK_VALUE_MIN = 21;

export function stackLayout(width: number, tz: string, valueHeader: string): StackLayout {
  const timeW = tz === 'UTC' ? 19 : 25;
  const tail: Col[] = [
    { header: 'Events', width: 8, right: true },
    { header: 'Errors', width: 7, right: true },
    { header: 'First seen', width: timeW },
    { header: 'Last seen', width: timeW },
  ];
  const usedBy = (cols: Col[]): number => 2 + 4 + cols.reduce((n, c) => n + c.width + 1, 0);
  while (tail.length > 1 && width - usedBy(tail) < STACK_VALUE_MIN) tail.pop();
  const valueW = Math.max(15, width - usedBy(tail));
  return { cols: [{ header: '', width: 3 }, { header: valueHeader, width: valueW }, ...tail], tz };
}

export function stackHeader(l: StackLayout): string {
  return line(l.cols, l.cols.map((c) => c.header), false);
}

export function stackLine(l: StackLayout, r: StackRow, selected: boolean): string {
  const all = [r.new ? 'new' : '', r.value, fmt(r.events), fmt(r.errors), listTime(ms(r.firstSeen), l.tz), listTime(ms(r.lastSeen), l.tz)];
  return line(l.cols, all.slice(0, l.cols.length), selected);
}
