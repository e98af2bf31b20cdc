// An investigation's result, readable: facts, the access-key lineage tree, each section as a table fitted to the
// width. Scroll with the cursor, jump between sections, open a cited event (Enter), export to JSON or Markdown (e).

import React, { useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Hints, Line } from './Ui.js';
import { editText } from './text-edit.js';
import { exportRun, formatOfPath, resultLines, type InvestigationRun, type LineStyle } from './investigations.js';
import { eventRowId } from '../index/bodies.js';
import { escapeControl } from '../model/escape.js';
import { wrapWords } from './EventListScreen.js';
import type { Theme } from './theme.js';
import type { FilterTerm } from './filter-text.js';

/** Where the user was in a result, kept by the App while other screens (an opened event) are on top. */
export interface ResultPlace {
  cursor: number;
  top: number;
  lefts: ReadonlyMap<number, number>;
}

export interface ResultScreenProps {
  run: InvestigationRun;
  /** Written as the user moves, read back when the screen is shown again. */
  place?: ResultPlace;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onHelp: () => void;
  onOpenEvent: (rowId: number) => void;
  /** Open an event list with these filter terms (a finding that cites several events). */
  onOpenEvents: (terms: FilterTerm[], label: string) => void;
}

function styleOf(s: LineStyle, theme: Theme): { color?: string; bold?: boolean } {
  switch (s) {
    case 'title':
      return { color: theme.accent, bold: true };
    case 'section':
      return { color: theme.accent, bold: true };
    case 'header':
      return { bold: true };
    case 'rule':
    case 'note':
      return { color: theme.muted };
    default:
      return {};
  }
}

export function ResultScreen({ run, place, width, height, active, onBack, onHelp, onOpenEvent, onOpenEvents }: ResultScreenProps): React.JSX.Element {
  const ctx = useCase();
  const { theme } = ctx;
  const lines = useMemo(() => resultLines(run, Math.max(20, width - 2)), [run, width]);
  const [cursor, setCursor] = useState(place?.cursor ?? 0);
  const [top, setTop] = useState(place?.top ?? 0);
  // Sideways scroll, per section: scrolling one wide table leaves the others (and the facts) at their left edge.
  const [lefts, setLefts] = useState<ReadonlyMap<number, number>>(place?.lefts ?? new Map());
  if (place) {
    place.cursor = cursor;
    place.top = top;
    place.lefts = lefts;
  }
  const widestBySection = useMemo(() => {
    const m = new Map<number, number>();
    for (const l of lines) if (l.style !== 'title' && l.style !== 'section') m.set(l.section, Math.max(m.get(l.section) ?? 0, [...l.text].length));
    return m;
  }, [lines]);
  const here = lines[cursor]?.section ?? -1;
  const left = lefts.get(here) ?? 0;
  const widest = widestBySection.get(here) ?? 0;
  const sideways = widest + 2 > width;
  const setLeft = (v: number): void => setLefts(new Map(lefts).set(here, v));
  // The export prompt's text lives in a ref so that fast typing never loses a key.
  const exportRef = useRef<string | null>(null);
  const [, bump] = useReducer((x: number) => x + 1, 0);
  const exporting = exportRef.current;
  const setExporting = (v: string | null): void => {
    exportRef.current = v;
    bump();
  };
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const messageLines = message ? wrapWords(escapeControl(message.text), width).slice(0, 3) : [];
  // The status area: the message (if any) and, while exporting, the prompt under it.
  const statusH = Math.max(1, messageLines.length + (exportRef.current !== null ? 1 : 0));
  const paneH = Math.max(1, height - 1 - statusH);

  const follow = (c: number): void => {
    const v = Math.max(0, Math.min(lines.length - 1, c));
    setCursor(v);
    if (v < top) setTop(v);
    else if (v >= top + paneH) setTop(v - paneH + 1);
  };
  const sectionJump = (dir: 1 | -1): void => {
    const here = lines[cursor]?.section ?? -1;
    if (dir > 0) {
      const i = lines.findIndex((l, k) => k > cursor && l.style === 'section' && l.section > here);
      if (i >= 0) {
        setCursor(i);
        setTop(i);
      }
    } else {
      let i = -1;
      for (let k = cursor - 1; k >= 0; k--) {
        if (lines[k].style === 'section' && lines[k].section < here) {
          i = k;
          break;
        }
      }
      if (i < 0) i = 0;
      setCursor(i);
      setTop(i);
    }
  };

  useKeys(
    (input, key) => {
      const exporting = exportRef.current;
      if (exporting !== null) {
        if (key.escape) {
          setExporting(null);
          return;
        }
        if (key.return) {
          try {
            const file = exportRun(ctx.db, run, exporting, ctx.cwd);
            setMessage({ text: `exported ${formatOfPath(file) === 'md' ? 'Markdown' : 'JSON'} to ${file}`, error: false });
            setExporting(null);
          } catch (err) {
            setMessage({ text: (err as Error).message, error: true });
          }
          return;
        }
        if (key.tab) {
          // Tab switches the extension between .json and .md.
          setExporting(/\.json$/i.test(exporting) ? exporting.replace(/\.json$/i, '.md') : /\.md$/i.test(exporting) ? exporting.replace(/\.md$/i, '.json') : `${exporting}.json`);
          return;
        }
        const next = editText(exporting, input, key);
        if (next !== null) setExporting(next);
        return;
      }
      if (key.downArrow || input === 'j') follow(cursor + 1);
      else if (key.upArrow || input === 'k') follow(cursor - 1);
      else if (key.pageDown || input === ' ') follow(cursor + paneH);
      else if (key.pageUp) follow(cursor - paneH);
      else if (key.rightArrow || input === 'l') setLeft(Math.max(0, Math.min(left + 10, widest + 2 - width)));
      else if (key.leftArrow || input === 'h') setLeft(Math.max(0, left - 10));
      else if (key.home || input === 'g') follow(0);
      else if (key.end || input === 'G') follow(lines.length - 1);
      else if (key.tab || input === 'n') sectionJump(key.shift ? -1 : 1);
      else if (input === 'N') sectionJump(-1);
      else if (key.return) {
        const line = lines[cursor];
        const ids = line?.eventIds;
        if (ids && ids.length > 1) {
          onOpenEvents([{ key: 'event-id', value: ids.join(',') }], `finding ${line.finding ?? ''} (${ids.length} events)`);
          return;
        }
        const id = line?.eventId ?? ids?.[0];
        if (!id) {
          setMessage({ text: 'this line cites no event: move to a table row with an Event ID', error: true });
          return;
        }
        const row = eventRowId(ctx.db, id);
        if (row === null) setMessage({ text: `event ${id} is not in the case`, error: true });
        else onOpenEvent(row);
      } else if (input === 'e') {
        setMessage(null);
        setExporting(`${run.baseName}.json`);
      } else if (input === '?') onHelp();
      else if (input === 'q' || key.escape) onBack();
    },
    active,
  );

  const shown: React.JSX.Element[] = [];
  for (let i = top; i < lines.length && shown.length < paneH; i++) {
    const l = lines[i];
    const sel = i === cursor;
    const st = styleOf(l.style, theme);
    // Everything but titles scrolls sideways with ←/→ (long facts, the lineage tree, wide tables).
    const body = l.style === 'title' || l.style === 'section' ? l.text : [...l.text].slice(lefts.get(l.section) ?? 0).join('');
    const cites = (l.eventId || l.eventIds?.length) && !l.cont;
    shown.push(<Line key={i} text={`${sel ? '>' : ' '}${cites ? '·' : ' '}${body}`} width={width} inverse={sel} color={sel ? undefined : st.color} bold={st.bold} />);
  }
  while (shown.length < paneH) shown.push(<Text key={`pad${shown.length}`}> </Text>);

  const statusLines: React.JSX.Element[] = messageLines.map((l, i) => <Line key={`m${i}`} text={l} width={width} color={message?.error ? theme.danger : theme.success} />);
  if (exporting !== null) {
    statusLines.push(
      <Text key="prompt" wrap="truncate-start">
        <Text color={theme.accent} bold>
          {'Export to: '}
        </Text>
        <Text>{escapeControl(exporting)}</Text>
        <Text inverse> </Text>
      </Text>,
    );
  } else if (statusLines.length === 0) {
    statusLines.push(
      <Line
        key="info"
        text={`${sideways ? (left ? `from column ${left + 1} (←→) · ` : '←→ scroll sideways · ') : ''}${lines.length} lines · ran in ${Math.round(run.ms)} ms · · opens events`}
        width={width}
        color={theme.muted}
      />,
    );
  }
  const status = <Box flexDirection="column">{statusLines}</Box>;
  const hints: Array<[string, string]> =
    exporting !== null
      ? [
          ['Enter', 'write (relative to the current folder)'],
          ['Tab', '.json / .md'],
          ['Esc', 'cancel'],
        ]
      : [
          ['↑↓', 'scroll'],
          ['←→', 'sideways'],
          ['Tab/n', 'next section'],
          ['N', 'previous'],
          ['Enter', 'open'],
          ['e', 'export'],
          ['?', 'help'],
          ['q', 'back'],
        ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown}
      {status}
      <Hints hints={hints} width={width} />
    </Box>
  );
}
