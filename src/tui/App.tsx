// The TUI's root: a title bar, then the screen on top of the stack. Home has three tabs (the triage, the overview, the
// main event list); the first is the triage when the case has stored findings, else the overview. Events,
// investigations and results open on top, and q / Esc goes back one screen (quits from the triage or the overview).

import React, { useEffect, useState } from 'react';
import { Box, Text, useApp } from 'ink';
import { CaseContext, type TuiContext } from './context.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { KeyContext, useKeyDispatcher } from './hooks/use-keys.js';
import { ListState } from './list-state.js';
import { EventListScreen } from './EventListScreen.js';
import { EventDetailScreen, presetFor, type InvestigatePreset } from './EventDetailScreen.js';
import { OverviewScreen } from './OverviewScreen.js';
import { TriageScreen } from './TriageScreen.js';
import { InvestigateScreen } from './InvestigateScreen.js';
import { ResultScreen, type ResultPlace } from './ResultScreen.js';
import { HelpScreen, type HelpTopic } from './HelpScreen.js';
import type { FilterTerm } from './filter-text.js';
import type { InvestigationKind, InvestigationRun } from './investigations.js';
import { fitLine } from './columns.js';
import { hasStoredFindings } from '../triage/overview.js';
import path from 'node:path';

export type Screen =
  | { kind: 'home' }
  | { kind: 'list'; state: ListState }
  | { kind: 'detail'; rowId: number }
  | { kind: 'investigate'; preset: InvestigatePreset; initial?: InvestigationKind }
  | { kind: 'result'; run: InvestigationRun; place: ResultPlace };

export interface AppProps {
  ctx: TuiContext;
  /** Filter terms the main list starts with. */
  initialTerms?: FilterTerm[];
  /** The first screen; default: the triage when the case has stored findings (detect or triage ran), else the overview. */
  startOn?: HomeTab;
  /** Fixed size (tests); default: the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  /** Called once the first screen has been drawn (for timing). */
  onFirstFrame?: () => void;
}

export type HomeTab = 'triage' | 'overview' | 'events';

function topicOf(s: Screen, tab: HomeTab): HelpTopic {
  if (s.kind === 'home') return tab;
  if (s.kind === 'list') return 'events';
  return s.kind;
}

function crumb(s: Screen, tab: HomeTab): string {
  switch (s.kind) {
    case 'home':
      return tab === 'triage' ? 'Triage' : tab === 'overview' ? 'Overview' : 'Events';
    case 'list':
      return `Events: ${s.state.label}`;
    case 'detail':
      return 'Event';
    case 'investigate':
      return 'Investigations';
    case 'result':
      return s.run.label;
  }
}

export function App({ ctx, initialTerms, startOn, size, onFirstFrame }: AppProps): React.JSX.Element {
  const { exit } = useApp();
  const keySlot = useKeyDispatcher();
  const term = useTerminalSize(size);
  const [stack, setStack] = useState<Screen[]>([{ kind: 'home' }]);
  // Decided once, at start: a case that gets findings while open keeps its first screen.
  const [tab, setTabState] = useState<HomeTab>(() => startOn ?? (hasStoredFindings(ctx.db) ? 'triage' : 'overview'));
  // The summary screen (triage or overview) the event list's Tab and q go back to: the last one shown.
  const [summary, setSummary] = useState<'triage' | 'overview'>(() => (tab === 'events' ? 'overview' : tab));
  const setTab = (t: HomeTab): void => {
    setTabState(t);
    if (t !== 'events') setSummary(t);
  };
  const [help, setHelp] = useState(false);
  const [main] = useState(() => new ListState(initialTerms ?? [], 'all'));
  useEffect(() => {
    if (!onFirstFrame) return;
    const t = setTimeout(onFirstFrame, 0);
    return () => clearTimeout(t);
  }, []);

  // Ink needs one row fewer than the terminal to redraw in place instead of clearing the screen.
  const width = Math.max(40, term.columns);
  const height = Math.max(10, term.rows - 1);
  const bodyH = height - 1;
  const top = stack[stack.length - 1];

  const push = (s: Screen): void => setStack([...stack, s]);
  const back = (): void => {
    if (stack.length > 1) setStack(stack.slice(0, -1));
    else if (tab === 'events') setTab(summary);
    else exit();
  };
  const openHelp = (): void => setHelp(true);
  const jump = (terms: FilterTerm[], label: string): void => push({ kind: 'list', state: new ListState(terms, label) });
  const investigate = (preset: InvestigatePreset, initial?: InvestigationKind): void => push({ kind: 'investigate', preset, ...(initial ? { initial } : {}) });

  const active = !help;
  let body: React.JSX.Element;
  if (top.kind === 'home' && tab === 'triage') {
    body = (
      <TriageScreen
        width={width}
        height={bodyH}
        active={active}
        onOpenEvents={jump}
        onInvestigate={investigate}
        onOverview={() => setTab('overview')}
        onEvents={() => setTab('events')}
        onHelp={openHelp}
        onQuit={exit}
      />
    );
  } else if (top.kind === 'home' && tab === 'overview') {
    body = (
      <OverviewScreen main={main} width={width} height={bodyH} active={active} onEvents={() => setTab('events')} onTriage={() => setTab('triage')} onQuit={exit} onHelp={openHelp} onInvestigate={() => investigate({})} />
    );
  } else if (top.kind === 'home' || top.kind === 'list') {
    const state = top.kind === 'home' ? main : top.state;
    body = (
      <EventListScreen
        key={top.kind === 'home' ? 'main' : `list${stack.length}`}
        state={state}
        width={width}
        height={bodyH}
        active={active}
        onOpen={(r) => push({ kind: 'detail', rowId: r.id })}
        onBack={back}
        onHelp={openHelp}
        onInvestigate={(r) => investigate(presetFor(r))}
        {...(top.kind === 'home' ? { onTab: () => setTab(summary), tabLabel: summary } : {})}
      />
    );
  } else if (top.kind === 'detail') {
    body = (
      <EventDetailScreen
        key={`detail${stack.length}`}
        rowId={top.rowId}
        width={width}
        height={bodyH}
        active={active}
        onBack={back}
        onHelp={openHelp}
        onJump={jump}
        onInvestigate={(p) => investigate(p, p.accessKey ? 'access-key' : undefined)}
      />
    );
  } else if (top.kind === 'investigate') {
    body = (
      <InvestigateScreen
        key={`inv${stack.length}`}
        preset={top.preset}
        {...(top.initial ? { initial: top.initial } : {})}
        width={width}
        height={bodyH}
        active={active}
        onBack={back}
        onHelp={openHelp}
        onResult={(run) => setStack([...stack, { kind: 'result', run, place: { cursor: 0, top: 0, lefts: new Map() } }])}
      />
    );
  } else {
    body = <ResultScreen key={`res${stack.length}`} run={top.run} place={top.place} width={width} height={bodyH} active={active} onBack={back} onHelp={openHelp} onOpenEvent={(rowId) => push({ kind: 'detail', rowId })} onOpenEvents={jump} />;
  }

  const right = `${ctx.tz}  ? help`;
  const room = Math.max(0, width - right.length - 1);
  // Breadcrumbs: when the path is too long, the oldest screens give way to …
  const parts = stack.map((s) => crumb(s, tab));
  const head = `trailhound  ${path.basename(ctx.dbPath)}  `;
  let crumbs = parts.join(' › ');
  for (let k = 1; k < parts.length && head.length + crumbs.length > room; k++) crumbs = ['…', ...parts.slice(k)].join(' › ');
  const title = head + crumbs;
  return (
    <CaseContext.Provider value={ctx}>
      <KeyContext.Provider value={keySlot}>
        <Box flexDirection="column" width={width} height={height}>
          <Text wrap="truncate-end">
            <Text color={ctx.theme.accent} bold inverse={!ctx.theme.color}>
              {fitLine(title, room).padEnd(room)}
            </Text>
            <Text color={ctx.theme.muted}>{` ${right}`}</Text>
          </Text>
          {/* The help covers the screen, which stays mounted (hidden) so that it keeps its place, prompt and folds. */}
          {help ? <HelpScreen topic={topicOf(top, tab)} width={width} height={bodyH} onClose={() => setHelp(false)} /> : null}
          <Box display={help ? 'none' : 'flex'} flexDirection="column">
            {body}
          </Box>
        </Box>
      </KeyContext.Provider>
    </CaseContext.Provider>
  );
}
