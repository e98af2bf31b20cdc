// The event list: newest first, columns sized to the terminal, virtual scrolling over a keyset-paged window
// (list-model.ts), and the live filter bar (`/`) with the same filters as `trailhound search`.

import React, { useEffect, useReducer, useRef } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Hints, Line } from './Ui.js';
import { constantColumns, headerLine, layoutColumns, rowLine } from './columns.js';
import { completeKey, formatTerms, keyHints, parseFilterText, type FilterTerm } from './filter-text.js';
import type { ListState } from './list-state.js';
import type { EventRow } from '../index/event-rows.js';
import { trustForEvents } from '../index/trust.js';
import { escapeControl } from '../model/escape.js';
import { editText } from './text-edit.js';

export interface EventListScreenProps {
  state: ListState;
  width: number;
  height: number;
  active: boolean;
  onOpen: (row: EventRow) => void;
  onBack: () => void;
  onHelp: () => void;
  onInvestigate: (row: EventRow | undefined) => void;
  /** Tab: switch to the summary screen (home list only). */
  onTab?: () => void;
  /** What Tab goes to, for the hints (default: overview). */
  tabLabel?: string;
}

/** Delay before a filter typed in the bar is applied (keystrokes in between restart it). */
export const LIVE_DELAY_MS = 250;

const fmt = (n: number): string => n.toLocaleString('en-US');

export function EventListScreen({ state, width, height, active, onOpen, onBack, onHelp, onInvestigate, onTab, tabLabel }: EventListScreenProps): React.JSX.Element {
  const ctx = useCase();
  const { db, theme } = ctx;
  const [, bump] = useReducer((x: number) => x + 1, 0);
  const live = useRef<ReturnType<typeof setTimeout> | null>(null);
  const fctx = { tz: ctx.tz, now: ctx.now() };
  state.ensure(db, fctx);
  const model = state.model;
  // A long error takes up to three lines, from the rows.
  const errorLines = state.error && !(state.editing !== null && /(^|\s)[a-z-]+$/i.test(state.editing) && keyHints(/\S*$/.exec(state.editing)?.[0] ?? '').length > 0) ? wrapWords(escapeControl(state.error), width).slice(0, 3) : [];
  const viewH = Math.max(1, height - 4 - Math.max(0, errorLines.length - 1));

  // Count after the first page is on screen; continue text scans one budget at a time so keys stay responsive.
  useEffect(() => {
    if (!model) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    if (model.total === null) {
      timer = setTimeout(() => {
        model.loadCount();
        bump();
      }, 0);
    } else if (model.needsMore(viewH)) {
      timer = setTimeout(() => {
        model.step();
        bump();
      }, 0);
    }
    return () => {
      if (timer) clearTimeout(timer);
    };
  });

  useEffect(
    () => () => {
      if (live.current) clearTimeout(live.current);
    },
    [],
  );

  const applyTerms = (terms: FilterTerm[]): void => {
    state.apply(db, terms, fctx);
    bump();
  };

  const scheduleLive = (text: string): void => {
    if (live.current) clearTimeout(live.current);
    const parsed = parseFilterText(text);
    if (parsed.error || parsed.terms.some((t) => t.key === 'text')) return;
    if (formatTerms(parsed.terms) === formatTerms(state.terms)) return;
    live.current = setTimeout(() => {
      live.current = null;
      if (state.editing === null) return;
      applyTerms(parsed.terms);
    }, LIVE_DELAY_MS);
  };

  useKeys(
    (input, key) => {
      if (state.editing !== null) {
        if (key.escape) {
          if (live.current) clearTimeout(live.current);
          const back = state.beforeEdit;
          state.editing = null;
          state.beforeEdit = null;
          if (back && formatTerms(back) !== formatTerms(state.terms)) applyTerms(back);
          else {
            state.error = null;
            bump();
          }
          return;
        }
        if (key.return) {
          if (live.current) clearTimeout(live.current);
          const parsed = parseFilterText(state.editing);
          if (parsed.error) {
            state.error = parsed.error;
            bump();
            return;
          }
          if (state.apply(db, parsed.terms, fctx)) {
            state.editing = null;
            state.beforeEdit = null;
          }
          bump();
          return;
        }
        if (key.tab) {
          const done = completeKey(state.editing);
          if (done) state.editing = done;
          bump();
          return;
        }
        const next = editText(state.editing, input, key);
        if (next !== null) {
          state.editing = next;
          const parsed = parseFilterText(next);
          state.error = parsed.error;
          scheduleLive(next);
          bump();
        }
        return;
      }
      // The list as it is now, not as it was drawn: a key typed right after a filter is applied acts on the new list.
      const model = state.model;
      if (!model) {
        if (input === '/') startEdit();
        else if (input === 'q' || key.escape) onBack();
        else if (input === '?') onHelp();
        return;
      }
      if (key.downArrow || input === 'j') model.move(1, viewH);
      else if (key.upArrow || input === 'k') model.move(-1, viewH);
      else if (key.pageDown || input === ' ' || (key.ctrl && input === 'f') || input === 'J') model.move(viewH, viewH);
      else if (key.pageUp || (key.ctrl && input === 'b') || input === 'K') model.move(-viewH, viewH);
      else if (key.home || input === 'g') {
        model.loadTop();
      } else if (key.end || input === 'G') {
        if (model.total === null) model.loadCount();
        model.loadBottom(viewH);
      } else if (key.return) {
        const r = model.selected();
        if (r) onOpen(r);
        return;
      } else if (input === '/') {
        startEdit();
        return;
      } else if (input === 'x') {
        if (state.terms.length) applyTerms(state.terms.slice(0, -1));
        return;
      } else if (input === 'X') {
        if (state.terms.length) applyTerms([]);
        return;
      } else if (input === 'i') {
        onInvestigate(model.selected());
        return;
      } else if (key.tab && onTab) {
        onTab();
        return;
      } else if (input === '?') {
        onHelp();
        return;
      } else if (input === 'q' || key.escape) {
        onBack();
        return;
      } else return;
      bump();
    },
    active,
  );

  function startEdit(): void {
    state.beforeEdit = state.terms;
    state.editing = state.text();
    if (state.editing) state.editing += ' ';
    bump();
  }

  const layout = layoutColumns(width, { trust: ctx.hasIntegrity, tz: ctx.tz, constant: constantColumns(state.terms) });
  const rows = model ? model.visible(viewH) : [];
  const trust = ctx.hasIntegrity && rows.length ? trustForEvents(db, rows.map((r) => r.id)) : undefined;
  const cellCtx = { tz: ctx.tz, trust };

  // Line 1: the filter bar.
  const bar =
    state.editing !== null ? (
      <Text wrap="truncate-start">
        <Text color={theme.accent} bold>
          {'/ '}
        </Text>
        <Text>{escapeControl(state.editing)}</Text>
        <Text inverse> </Text>
      </Text>
    ) : (
      <Text wrap="truncate-end">
        <Text color={theme.muted}>{'Filter '}</Text>
        {state.terms.length === 0 ? (
          <Text color={theme.muted}>(none: every event; / to filter)</Text>
        ) : (
          state.terms.map((t, i) => (
            <Text key={i}>
              <Text inverse>{` ${t.key}=${escapeControl(t.value)} `}</Text>
              <Text> </Text>
            </Text>
          ))
        )}
      </Text>
    );

  // Line 2: count and position, or the error / key hints while editing.
  let status: React.JSX.Element;
  const lastWord = state.editing !== null ? (/\S*$/.exec(state.editing)?.[0] ?? '') : '';
  const typingKey = state.editing !== null && lastWord !== '' && !/[:=]/.test(lastWord) && keyHints(lastWord).length > 0;
  if (state.error && !typingKey) {
    status = (
      <Box flexDirection="column">
        {errorLines.map((l, i) => (
          <Line key={i} text={l} width={width} color={theme.danger} />
        ))}
      </Box>
    );
  } else if (state.editing !== null) {
    const parsed = parseFilterText(state.editing);
    const text = typingKey
      ? `keys: ${keyHints(lastWord).join(' ')}   (Tab completes)`
      : parsed.terms.length
        ? `→ ${parsed.terms.map((t) => `${t.key}=${t.value}`).join('  ')}   (applied as you type; Enter closes)`
        : 'key:value terms, e.g. access-key:AKIA… event-name:StopInstances region:us-east-1 — or a bare AKIA…, i-…, IP';
    status = <Line text={text} width={width} color={theme.muted} />;
  } else if (model) {
    const pos = model.position();
    const total = model.total === null ? 'counting…' : `${model.total.exact ? '' : '≤ '}${fmt(model.total.count)} match${model.total.count === 1 ? '' : 'es'}${model.total.exact ? '' : ' (text filter: upper bound)'}`;
    const scan = model.needsMore(viewH) ? `  scanning… ${fmt(model.scanned)} read` : '';
    const where = rows.length === 0 ? 'no events match' : `${pos === null ? '?' : fmt(pos)} of ${total}`;
    status = <Line text={`${state.label}  ${where}${scan}`} width={width} color={theme.muted} />;
  } else {
    status = <Line text=" " width={width} />;
  }

  const lines: React.JSX.Element[] = [];
  rows.forEach((r, i) => {
    const selected = model !== null && model.top + i === model.sel;
    lines.push(
      <Text key={r.id} inverse={selected} color={!selected && r.errorCode ? theme.danger : undefined} wrap="truncate-end">
        {rowLine(layout, r, cellCtx, selected)}
      </Text>,
    );
  });
  if (model && rows.length === 0) lines.push(<Line key="empty" text={`  No events match. ${state.terms.length ? 'x removes the last filter, X clears them, / edits.' : ''}`} width={width} color={theme.muted} />);
  while (lines.length < viewH) lines.push(<Text key={`pad${lines.length}`}> </Text>);

  const hints: Array<[string, string]> =
    state.editing !== null
      ? [
          ['Enter', 'apply'],
          ['Esc', 'cancel'],
          ['Tab', 'complete key'],
          ['^U', 'clear'],
        ]
      : [
          ['↑↓', 'move'],
          ['Enter', 'open'],
          ['/', 'filter'],
          ['x', 'drop last filter'],
          ['i', 'investigate'],
          ...(onTab ? ([['Tab', tabLabel ?? 'overview']] as Array<[string, string]>) : []),
          ['g/G', 'top/end'],
          ['?', 'help'],
          ['q', 'back'],
        ];

  return (
    <Box flexDirection="column" width={width} height={height}>
      {bar}
      {status}
      <Text bold wrap="truncate-end">
        {headerLine(layout)}
      </Text>
      {lines}
      <Hints hints={hints} width={width} />
    </Box>
  );
}

/** Break text at spaces into lines of at most `width` characters. */
export function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(cur);
  return out;
}
