// The case at a glance: accounts, regions, time range, categories, integrity, warnings, and the activity histogram
// the user moves along (←/→) to pick a time window (Space marks one end, Enter shows its events).

import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { factLine, Hints, Line } from './Ui.js';
import { listTime } from './columns.js';
import { axisLine, barRows, bucketLabel, bucketSpan, histogramItems, indexAt, scrollFor, selectionWindow, stepCursor, unitForSpan, unitsForSpan, UNIT_MS, type HistUnit } from './histogram.js';
import { replaceTerms, termsToFilter, type FilterTerm } from './filter-text.js';
import type { ListState } from './list-state.js';
import { activity, DAY_MS, HOUR_MS, overviewDetailsScan, overviewFacts, warningGroups, type HistogramBucket, type OverviewDetails, type OverviewFacts, type WarningGroup } from '../index/case-overview.js';
import { integrityStatus, integritySummary, type IntegrityStatus, type IntegritySummary } from '../index/trust.js';
import { integrityText } from '../report/info.js';
import type { Db } from '../index/open.js';
import type { EventFilter } from '../index/search.js';
import { isoUtc } from '../model/time.js';

export interface OverviewScreenProps {
  main: ListState;
  width: number;
  height: number;
  active: boolean;
  onEvents: () => void;
  /** `t`: the triage screen. */
  onTriage: () => void;
  onQuit: () => void;
  onHelp: () => void;
  onInvestigate: () => void;
}

const TIME_KEYS = ['start-time', 'end-time'];
const fmt = (n: number): string => n.toLocaleString('en-US');

function counts(rec: Record<string, number>): string {
  const e = Object.entries(rec);
  return e.length ? e.map(([k, v]) => `${k} ${fmt(v)}`).join(' · ') : 'none';
}

export function OverviewScreen({ main, width, height, active, onEvents, onTriage, onQuit, onHelp, onInvestigate }: OverviewScreenProps): React.JSX.Element {
  const ctx = useCase();
  const { db, theme, tz } = ctx;
  const [, bump] = useReducer((x: number) => x + 1, 0);
  // Everything here is computed once per case and kept (coming back to the overview is instant).
  const memo = memoFor(db);
  const facts = (memo.facts ??= overviewFacts(db));
  const integrity = memo.integrity === undefined ? (memo.integrity = integritySummary(db)) : memo.integrity;
  const warnings = (memo.warnings ??= warningGroups(db, 3));
  // Counting every event takes a table scan: done in chunks after the first frame, keys handled in between.
  const [details, setDetails] = useState<OverviewDetails | null>(memo.details ?? null);
  const [scanned, setScanned] = useState(0);
  useEffect(() => {
    if (memo.details) return;
    const scan = (memo.scan ??= overviewDetailsScan(db));
    let t: ReturnType<typeof setTimeout> | null = null;
    let shown = 0;
    const next = (): void => {
      // Several chunks per tick, within a budget short enough for keys to stay under 50 ms.
      const t0 = performance.now();
      let finished = false;
      while (!finished && performance.now() - t0 < 25) finished = scan.step();
      if (finished) {
        memo.details = scan.result();
        setDetails(memo.details);
        return;
      }
      if (scan.progress() - shown >= 0.1) {
        shown = scan.progress();
        setScanned(shown);
      }
      t = setTimeout(next, 0);
    };
    t = setTimeout(next, 0);
    return () => {
      if (t) clearTimeout(t);
    };
  }, [db]);

  // The histogram follows the main list's filter, without its time range (that is what the user picks here).
  const termsNoTime = main.terms.filter((t) => !TIME_KEYS.includes(t.key));
  const filterKey = JSON.stringify(termsNoTime);
  const histFilter = useMemo(() => {
    try {
      return termsToFilter(termsNoTime, { tz, now: ctx.now() });
    } catch {
      return {};
    }
  }, [db, filterKey]);
  const days = useMemo(() => cachedActivity(memo, db, filterKey, histFilter, DAY_MS), [db, histFilter]);
  // The span of the events (under the filter), refined only as far as the choice of unit needs it: days first, then
  // hours, then minutes (each a seek per non-empty bucket).
  const span = useMemo(() => {
    const d = bucketSpan(days, DAY_MS);
    if (d === null || d > 16 * DAY_MS) return d;
    const h = bucketSpan(cachedActivity(memo, db, filterKey, histFilter, HOUR_MS), HOUR_MS);
    if (h === null || h > 8 * HOUR_MS) return h;
    return bucketSpan(cachedActivity(memo, db, filterKey, histFilter, UNIT_MS.minute), UNIT_MS.minute);
  }, [db, histFilter, days]);
  // `u` picks another unit for this filter; a new filter starts again from the span's unit.
  // Kept with the case's memo, so coming back to the overview keeps it.
  const chosen = memo.unit ?? null;
  const setChosen = (c: { unit: HistUnit; filterKey: string }): void => {
    memo.unit = c;
    bump();
  };
  const unit: HistUnit = chosen && chosen.filterKey === filterKey ? chosen.unit : unitForSpan(span);
  const unitMs = UNIT_MS[unit];
  const buckets = useMemo(() => (unit === 'day' ? days : cachedActivity(memo, db, filterKey, histFilter, unitMs)), [db, histFilter, unit, days]);
  const items = useMemo(() => histogramItems(buckets, unitMs), [buckets, unitMs]);

  const applied = windowOf(main.terms);
  const [cursor, setCursor] = useState<number>(() => (applied ? indexAt(items, applied.start) : Math.max(0, items.length - 1)));
  const [anchor, setAnchor] = useState<number | null>(null);
  const first = useRef(0);
  const cur = Math.min(cursor, Math.max(0, items.length - 1));
  const barW = Math.max(10, width - 2);
  const start = scrollFor(items.length, barW, cur, first.current);
  first.current = start;
  const shown = items.slice(start, start + barW);

  const move = (d: number): void => setCursor(stepCursor(items, cur, d));

  useKeys(
    (input, key) => {
      if (key.rightArrow || input === 'l') move(1);
      else if (key.leftArrow || input === 'h') move(-1);
      else if (input === 'L') move(10);
      else if (input === 'H') move(-10);
      else if (key.home || input === '0') setCursor(stepCursor(items, -1, 1));
      else if (key.end || input === '$') setCursor(stepCursor(items, items.length, -1));
      else if (input === ' ') setAnchor(anchor === null ? cur : null);
      else if (input === 'u') {
        const at = items[cur]?.start ?? 0;
        const nextUnit = nextUnitOf(unit, span);
        setChosen({ unit: nextUnit, filterKey });
        const nextItems = histogramItems(nextUnit === 'day' ? days : cachedActivity(memo, db, filterKey, histFilter, UNIT_MS[nextUnit]), UNIT_MS[nextUnit]);
        setCursor(indexAt(nextItems, at));
        setAnchor(null);
      } else if (key.return) {
        const w = selectionWindow(items, { cursor: cur, anchor });
        if (!w) return;
        const terms: FilterTerm[] = replaceTerms(main.terms, TIME_KEYS, [
          { key: 'start-time', value: isoUtc(w.start)! },
          { key: 'end-time', value: isoUtc(w.end - 1)! },
        ]);
        main.apply(db, terms, { tz, now: ctx.now() });
        setAnchor(null);
        onEvents();
      } else if (input === 'x') {
        if (applied) {
          main.apply(db, main.terms.filter((t) => !TIME_KEYS.includes(t.key)), { tz, now: ctx.now() });
          bump();
        }
      } else if (key.tab || input === 'e') onEvents();
      else if (input === 't') onTriage();
      else if (input === 'i') onInvestigate();
      else if (input === '?') onHelp();
      else if (input === 'q' || key.escape) onQuit();
    },
    active,
  );

  const lines: React.JSX.Element[] = [];
  const fact = (k: string, v: string, color?: string): void => {
    lines.push(factLine(`f${lines.length}`, k, v, { width, labelWidth: 11, muted: theme.muted, color }));
  };
  const sourcesTotal = Object.values(facts.sources).reduce((a, b) => a + b, 0);
  fact('Case', `${ctx.dbPath} — ${fmt(facts.events)} events from ${fmt(sourcesTotal)} files (${counts(facts.sources)})`);
  fact('Time range', facts.firstTime === null ? 'no timed events' : `${listTime(facts.firstTime, tz)} → ${listTime(facts.lastTime, tz)} ${tz}${facts.untimed ? ' (some events have no time)' : ''}`);
  const withCounts = (values: string[], counted: Array<{ value: string; events: number }> | undefined): string =>
    counted ? counted.map((a) => `${a.value} (${fmt(a.events)})`).join('  ') : values.join('  ');
  fact('Accounts', withCounts(facts.accounts, details?.accounts) || 'none');
  fact('Regions', withCounts(facts.regions, details?.regions) || 'none');
  fact(
    'Categories',
    details
      ? `${counts(details.categories)}${details.partialEvents ? ` · ${fmt(details.partialEvents)} partial (CSV rows)` : ''}${details.conflicts ? ` · ${fmt(details.conflicts)} conflicts` : ''}`
      : `counting… ${Math.floor(scanned * 100)}%`,
    details?.conflicts ? theme.warning : undefined,
  );
  // The shared sentence (info, triage): says when the evidence has no digest files, so nothing can be proven.
  const trustText = integrityText((memo.status ??= integrityStatus(db)), integrity, ctx.dbPath);
  if (integrity) {
    const findings = Object.entries(integrity.findings);
    fact(
      'Integrity',
      `${trustText}${findings.length ? `; findings ${findings.map(([k, n]) => `${k} ${n}`).join(', ')}` : '; no findings'}`,
      integrity.exitCode === 0 ? theme.success : integrity.exitCode === 3 ? theme.danger : theme.warning,
    );
  } else {
    fact('Integrity', trustText, theme.warning);
  }
  if (facts.warnings === 0) fact('Warnings', 'none');
  else {
    fact('Warnings', `${fmt(facts.warnings)} from ingest`, theme.warning);
    for (const w of warnings) fact('', `${w.code} ×${fmt(w.count)}: ${w.message} (${w.file})`, theme.warning);
  }
  lines.push(<Text key="blank1"> </Text>);

  const filterText = termsNoTime.length ? termsNoTime.map((t) => `${t.key}=${t.value}`).join(' ') : 'all events';
  lines.push(
    <Line
      key="htitle"
      text={`Activity per ${unit} (UTC) · ${filterText} · window ${applied ? `${listTime(applied.start, 'UTC')} → ${listTime(applied.end, 'UTC')}` : 'none'}`}
      width={width}
      bold
    />,
  );
  const budget = height - lines.length - 5;
  const barH = Math.max(2, Math.min(6, budget));
  const selLo = anchor === null ? cur : Math.min(anchor, cur);
  const selHi = anchor === null ? cur : Math.max(anchor, cur);
  if (items.length === 0) {
    lines.push(<Line key="noact" text="  no timed events match" width={width} color={theme.muted} />);
  } else {
    for (const [r, text] of barRows(shown, barH).entries()) {
      lines.push(
        <Text key={`bar${r}`} wrap="truncate-end">
          {' '}
          {segments(text, start, selLo, selHi).map((s, i) => (
            <Text key={i} inverse={s.sel} color={s.sel ? theme.window : theme.bar}>
              {s.text}
            </Text>
          ))}
        </Text>,
      );
    }
    // Marker row: the applied window (─) and the cursor (▲).
    let marks = '';
    shown.forEach((it, i) => {
      const idx = start + i;
      if (idx === cur) marks += '▲';
      else if (applied && it.kind === 'bucket' && it.start < applied.end && it.end > applied.start) marks += '─';
      else marks += ' ';
    });
    lines.push(<Line key="marks" text={` ${marks}`} width={width} color={theme.window} />);
    const left = shown[0];
    const right = shown[shown.length - 1];
    const lText = left ? bucketLabel(left.start, unit) : '';
    const rText = right ? bucketLabel(right.start, unit) : '';
    lines.push(<Line key="axis" text={` ${axisLine(lText, rText, unit, barW)}`} width={width} color={theme.muted} />);
    const w = selectionWindow(items, { cursor: cur, anchor });
    const c = items[cur];
    const selCount = items.slice(selLo, selHi + 1).reduce((n, it) => n + (it.kind === 'bucket' ? it.count : 0), 0);
    lines.push(
      <Line
        key="cur"
        text={
          c && w
            ? `${anchor === null ? 'cursor' : 'selection'} ${listTime(w.start, 'UTC')} → ${listTime(w.end, 'UTC')}  ${fmt(selCount)} event${selCount === 1 ? '' : 's'}   ${anchor === null ? 'Space: mark start' : 'Space: unmark'} · Enter: show events`
            : ''
        }
        width={width}
      />,
    );
  }
  const body = lines.slice(0, height - 1);
  while (body.length < height - 1) body.push(<Text key={`pad${body.length}`}> </Text>);
  const hints: Array<[string, string]> = [
    ['←→', 'move'],
    ['Space', 'mark'],
    ['Enter', 'show window'],
    ['x', 'clear window'],
    ['u', `per ${nextUnitOf(unit, span)}`],
    ['Tab', 'events'],
    ['t', 'triage'],
    ['i', 'investigate'],
    ['?', 'help'],
    ['q', 'quit'],
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {body}
      <Hints hints={hints} width={width} />
    </Box>
  );
}

interface OverviewMemo {
  facts?: OverviewFacts;
  integrity?: IntegritySummary | null;
  status?: IntegrityStatus;
  warnings?: WarningGroup[];
  details?: OverviewDetails;
  scan?: ReturnType<typeof overviewDetailsScan>;
  activity: Map<string, HistogramBucket[]>;
  /** The unit picked with `u`, for the filter it was picked under. */
  unit?: { unit: HistUnit; filterKey: string };
}

const memos = new WeakMap<Db, OverviewMemo>();

function memoFor(db: Db): OverviewMemo {
  let m = memos.get(db);
  if (!m) {
    m = { activity: new Map() };
    memos.set(db, m);
  }
  return m;
}

function cachedActivity(memo: OverviewMemo, db: Db, filterKey: string, filter: EventFilter, unitMs: number): HistogramBucket[] {
  const k = `${unitMs} ${filterKey}`;
  let v = memo.activity.get(k);
  if (!v) {
    v = activity(db, filter, unitMs);
    memo.activity.set(k, v);
  }
  return v;
}

function windowOf(terms: readonly FilterTerm[]): { start: number; end: number } | null {
  const s = terms.find((t) => t.key === 'start-time');
  const e = terms.find((t) => t.key === 'end-time');
  if (!s || !e) return null;
  const start = Date.parse(s.value);
  const end = Date.parse(e.value);
  return Number.isFinite(start) && Number.isFinite(end) ? { start, end: end + 1 } : null;
}

/** The unit after `unit` in the cycle `u` walks for a span (minutes only for short spans). */
function nextUnitOf(unit: HistUnit, span: number | null): HistUnit {
  const units = unitsForSpan(span);
  return units[(units.indexOf(unit) + 1) % units.length];
}

function segments(text: string, offset: number, lo: number, hi: number): Array<{ text: string; sel: boolean }> {
  const out: Array<{ text: string; sel: boolean }> = [];
  [...text].forEach((ch, i) => {
    const sel = offset + i >= lo && offset + i <= hi;
    const last = out[out.length - 1];
    if (last && last.sel === sel) last.text += ch;
    else out.push({ text: ch, sel });
  });
  return out;
}
