// The triage at a glance (first screen when the case has stored findings): the evidence in one line, the integrity
// sentence, the blind spots that hide what happened, then a list with four tabs: the findings (Enter: their events),
// and the principals, access keys and source IPs of the stack counts with their "new" marks (Enter on a key starts
// `investigate access-key` with it filled in; on a principal or an address, its events).

import React, { useEffect, useReducer } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase, type TuiContext } from './context.js';
import { factLine, Hints, Line } from './Ui.js';
import { listTime } from './columns.js';
import { findingDetail, findingHeader, findingLayout, findingLine, movePlace, stackHeader, stackLayout, stackLine, type ListPlace } from './triage-lines.js';
import type { FilterTerm } from './filter-text.js';
import type { InvestigatePreset } from './EventDetailScreen.js';
import type { InvestigationKind } from './investigations.js';
import type { TriageFinding } from '../model/triage.js';
import { pickerStack, triageGlance, type PickerKind, type PickerStack, type TriageGlance } from '../triage/overview.js';

export interface TriageScreenProps {
  width: number;
  height: number;
  active: boolean;
  /** Open an event list with these filter terms. */
  onOpenEvents: (terms: FilterTerm[], label: string) => void;
  onInvestigate: (preset: InvestigatePreset, initial?: InvestigationKind) => void;
  onOverview: () => void;
  onEvents: () => void;
  onHelp: () => void;
  onQuit: () => void;
}

export type TriageSection = 'findings' | PickerKind;
export const SECTIONS: readonly TriageSection[] = ['findings', 'principals', 'accessKeys', 'sourceIps'];
const SECTION_TITLE: Record<TriageSection, string> = { findings: 'Findings', principals: 'Principals', accessKeys: 'Access keys', sourceIps: 'Source IPs' };
const VALUE_HEADER: Record<PickerKind, string> = { principals: 'Principal (ARN)', accessKeys: 'Access key', sourceIps: 'Source IP' };
/** Blind spots shown; the rest are counted. */
const MAX_SPOTS = 3;
/** Width of the labels (Case, Integrity, Blind spots). */
const LABEL_W = 13;

const fmt = (n: number): string => n.toLocaleString('en-US');

/** What the screen keeps per case: computed once, and its place when the user comes back from a finding's events. */
interface TriageMemo {
  glance?: TriageGlance;
  stacks: Partial<Record<PickerKind, PickerStack>>;
  section: TriageSection;
  places: Record<TriageSection, ListPlace>;
}

// Per open case (its context: one per run of the TUI).
const memos = new WeakMap<TuiContext, TriageMemo>();

function memoFor(ctx: TuiContext): TriageMemo {
  let m = memos.get(ctx);
  if (!m) {
    const start = (): ListPlace => ({ sel: 0, top: 0 });
    m = { stacks: {}, section: 'findings', places: { findings: start(), principals: start(), accessKeys: start(), sourceIps: start() } };
    memos.set(ctx, m);
  }
  return m;
}

function levelCounts(findings: readonly TriageFinding[]): string {
  const by = new Map<string, number>();
  for (const f of findings) by.set(f.level, (by.get(f.level) ?? 0) + 1);
  return [...by].map(([l, n]) => `${fmt(n)} ${l === 'informational' ? 'info' : l}`).join(' · ');
}

export function TriageScreen({ width, height, active, onOpenEvents, onInvestigate, onOverview, onEvents, onHelp, onQuit }: TriageScreenProps): React.JSX.Element {
  const ctx = useCase();
  const { db, theme, tz } = ctx;
  const [, bump] = useReducer((x: number) => x + 1, 0);
  const memo = memoFor(ctx);
  const section = memo.section;
  const glance = memo.glance;
  const stack = section === 'findings' ? undefined : memo.stacks[section];

  // The findings (outcome and revert state read the cited events) and each stack (a pass over the events) are
  // computed after a frame that says so, then kept.
  useEffect(() => {
    if (glance && (section === 'findings' || stack)) return;
    const t = setTimeout(() => {
      if (!memo.glance) memo.glance = triageGlance(db, ctx.dbPath);
      else if (section !== 'findings' && !memo.stacks[section]) memo.stacks[section] = pickerStack(db, section);
      bump();
    }, 0);
    return () => clearTimeout(t);
  });

  // Lines above the list: evidence, integrity, blind spots, a blank, the tabs, the status, the header.
  // "Not verified" is what the integrity line above says; the other spots follow it.
  const others = glance ? glance.blindSpots.filter((s) => s.kind !== 'not-verified') : [];
  const spots = others.filter((s) => s.severity === 'high');
  const shownSpots = spots.slice(0, MAX_SPOTS);
  const moreSpots = others.length - shownSpots.length;
  const above = 2 + Math.max(1, shownSpots.length) + (shownSpots.length > 0 && moreSpots > 0 ? 1 : 0) + 4;
  // Below: the selected row's detail and the hints.
  const viewH = Math.max(1, height - above - 2);
  const rowCount = section === 'findings' ? (glance?.findings.length ?? 0) : (stack?.rows.length ?? 0);
  // Kept in view after a resize.
  const place = movePlace(memo.places[section], 0, rowCount, viewH);

  const move = (delta: number): void => {
    memo.places[section] = movePlace(place, delta, rowCount, viewH);
    bump();
  };
  const switchTo = (step: number): void => {
    memo.section = SECTIONS[(SECTIONS.indexOf(section) + step + SECTIONS.length) % SECTIONS.length];
    bump();
  };

  const open = (): void => {
    if (section === 'findings') {
      const f = glance?.findings[place.sel];
      if (!f || f.eventIds.length === 0) return;
      const part = f.eventCount > f.eventIds.length ? ` (first ${fmt(f.eventIds.length)} of ${fmt(f.eventCount)} events)` : '';
      onOpenEvents([{ key: 'event-id', value: f.eventIds.join(',') }], `finding ${f.title}${part}`);
      return;
    }
    const r = stack?.rows[place.sel];
    if (!r) return;
    if (section === 'accessKeys') onInvestigate({ accessKey: r.value }, 'access-key');
    else if (section === 'principals') onOpenEvents([{ key: 'principal-arn', value: r.value }], `principal ${r.value}`);
    else onOpenEvents([{ key: 'source-ip', value: r.value }], `source IP ${r.value}`);
  };

  const investigate = (): void => {
    if (section === 'findings') {
      const f = glance?.findings[place.sel];
      onInvestigate(f?.accessKeyIds[0] ? { accessKey: f.accessKeyIds[0] } : {});
    } else if (section === 'accessKeys' && stack?.rows[place.sel]) onInvestigate({ accessKey: stack.rows[place.sel].value });
    else onInvestigate({});
  };

  useKeys(
    (input, key) => {
      if (key.downArrow || input === 'j') move(1);
      else if (key.upArrow || input === 'k') move(-1);
      else if (key.pageDown || input === ' ' || input === 'J') move(viewH);
      else if (key.pageUp || input === 'K') move(-viewH);
      else if (key.home || input === 'g') move(-rowCount);
      else if (key.end || input === 'G') move(rowCount);
      else if (key.tab) switchTo(key.shift ? -1 : 1);
      else if (key.rightArrow || input === 'l') switchTo(1);
      else if (key.leftArrow || input === 'h') switchTo(-1);
      else if (key.return) open();
      else if (input === 'i') investigate();
      else if (input === 'o') onOverview();
      else if (input === 'e') onEvents();
      else if (input === '?') onHelp();
      else if (input === 'q' || key.escape) onQuit();
    },
    active,
  );

  const lines: React.JSX.Element[] = [];
  const fact = (k: string, v: string, color?: string): void => {
    lines.push(factLine(`f${lines.length}`, k, v, { width, labelWidth: LABEL_W, muted: theme.muted, color }));
  };
  if (!glance) {
    fact('Case', `${ctx.dbPath} — reading the findings…`);
  } else {
    const range = glance.firstMs === null ? 'no timed events' : `${listTime(glance.firstMs, tz)} → ${listTime(glance.lastMs, tz)} ${tz}`;
    fact('Case', `${ctx.dbPath} — ${fmt(glance.events)} events · ${glance.accounts.length} account${glance.accounts.length === 1 ? '' : 's'} (${glance.accounts.join(' ')}) · ${glance.regions.length} region${glance.regions.length === 1 ? '' : 's'} · ${range}`);
    const trustColor = glance.verifyExitCode === 0 ? theme.success : glance.verifyExitCode === 3 ? theme.danger : theme.warning;
    fact('Integrity', glance.integrity, trustColor);
    const medium = others.length - spots.length;
    const listed = `trailhound triage --db ${ctx.dbPath} lists them`;
    if (shownSpots.length === 0) fact('Blind spots', medium ? `none high; ${medium} medium: ${listed}` : 'none found', medium ? theme.warning : theme.muted);
    shownSpots.forEach((s, i) => fact(i === 0 ? 'Blind spots' : '', s.message, theme.danger));
    if (shownSpots.length > 0 && moreSpots > 0) fact('', `+ ${moreSpots} more (${[spots.length > MAX_SPOTS ? `${spots.length - MAX_SPOTS} high` : '', medium ? `${medium} medium` : ''].filter(Boolean).join(', ')}): ${listed}`, theme.warning);
  }
  while (lines.length < above - 4) lines.push(<Text key={`gap${lines.length}`}> </Text>);
  lines.push(<Text key="blank"> </Text>);
  lines.push(
    <Text key="tabs" wrap="truncate-end">
      {SECTIONS.map((s) => {
        const n = s === 'findings' ? glance?.findings.length : memo.stacks[s]?.rows.length;
        const label = ` ${SECTION_TITLE[s]}${n === undefined ? '' : ` ${fmt(n)}`} `;
        return (
          <Text key={s}>
            <Text inverse={s === section} bold={s === section} color={s === section ? theme.accent : theme.muted}>
              {label}
            </Text>
            <Text> </Text>
          </Text>
        );
      })}
      <Text color={theme.muted}> Tab: switch</Text>
    </Text>,
  );

  const rows: React.JSX.Element[] = [];
  let status = '';
  let header = '';
  let detail = '';
  if (section === 'findings') {
    if (!glance) status = 'reading the stored findings…';
    else if (glance.findings.length === 0) status = `No stored findings: run trailhound detect --db ${ctx.dbPath} (or trailhound triage) to match the rules`;
    else {
      const layout = findingLayout(width, tz);
      header = findingHeader(layout);
      status = `${levelCounts(glance.findings)}   ${fmt(place.sel + 1)} of ${fmt(glance.findings.length)}   Enter: the finding's events`;
      glance.findings.slice(place.top, place.top + viewH).forEach((f, i) => {
        const selected = place.top + i === place.sel;
        const color = selected ? undefined : f.level === 'critical' || f.level === 'high' ? theme.danger : f.level === 'medium' ? theme.warning : undefined;
        rows.push(
          <Text key={`r${place.top + i}`} inverse={selected} color={color} wrap="truncate-end">
            {findingLine(layout, f, selected)}
          </Text>,
        );
      });
      const sel = glance.findings[place.sel];
      if (sel) detail = findingDetail(sel, layout);
    }
  } else if (!stack) {
    status = `counting ${SECTION_TITLE[section].toLowerCase()}… (one pass over the events)`;
  } else {
    const layout = stackLayout(width, tz, VALUE_HEADER[section]);
    header = stackHeader(layout);
    const action = section === 'accessKeys' ? 'Enter: investigate access-key' : 'Enter: its events';
    status = stack.rows.length ? `${fmt(place.sel + 1)} of ${fmt(stack.rows.length)}   ${action}` : 'none in the case';
    stack.rows.slice(place.top, place.top + viewH).forEach((r, i) => {
      const selected = place.top + i === place.sel;
      rows.push(
        <Text key={`r${place.top + i}`} inverse={selected} color={!selected && r.new ? theme.warning : undefined} wrap="truncate-end">
          {stackLine(layout, r, selected)}
        </Text>,
      );
    });
    detail = stack.baselineNote;
  }
  lines.push(<Line key="status" text={status} width={width} color={theme.muted} />);
  lines.push(
    <Text key="header" bold wrap="truncate-end">
      {header || ' '}
    </Text>,
  );
  while (rows.length < viewH) rows.push(<Text key={`pad${rows.length}`}> </Text>);

  const hints: Array<[string, string]> = [
    ['↑↓', 'move'],
    ['Enter', section === 'findings' ? 'events' : section === 'accessKeys' ? 'investigate' : 'events'],
    ['Tab', 'findings/keys/IPs'],
    ['i', 'investigate'],
    ['o', 'overview'],
    ['e', 'events'],
    ['?', 'help'],
    ['q', 'quit'],
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines}
      {rows}
      <Line text={detail} width={width} color={theme.muted} />
      <Hints hints={hints} width={width} />
    </Box>
  );
}
