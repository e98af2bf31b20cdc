// Keyboard help (`?`): the keys of the screen it was opened from, then the keys that work everywhere. Long
// descriptions wrap under themselves; when the text is taller than the screen it scrolls (j k ↑ ↓, PgUp PgDn, g G).

import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Line } from './Ui.js';
import { FILTER_ALIASES, FILTER_KEYS } from './filter-text.js';
import { wrapText } from './wrap.js';

export type HelpTopic = 'triage' | 'overview' | 'events' | 'detail' | 'investigate' | 'result';

export const HELP: Record<HelpTopic, { title: string; keys: Array<[string, string]> }> = {
  triage: {
    title: 'Triage',
    keys: [
      ['↑ ↓ / j k', 'move; PgUp PgDn, Space, J K: a page; g G (Home End): first / last'],
      ['Tab ← →', 'switch list: findings, principals, access keys, source IPs (the stack counts; new: first seen after the baseline)'],
      ['Enter', "a finding: the event list of its events; an access key: investigate access-key with it filled in; a principal or source IP: its events"],
      ['i', 'investigations (pre-filled with the selected finding\'s or list\'s access key)'],
      ['o', 'the overview (t there comes back)'],
      ['e', 'the event list'],
      ['', ''],
      ['', 'The first screen when the case has stored findings (trailhound detect or triage ran). Findings are the stored rule matches, most severe first, with outcome (succeeded / failed / mixed) and whether their changes were undone later. The investigations triage runs are not repeated here: trailhound triage --db <case> shows them.'],
    ],
  },
  overview: {
    title: 'Overview',
    keys: [
      ['← → / h l', 'move along the activity histogram (H L: 10 at a time; Home End: ends)'],
      ['Space', 'mark one end of a time window (again: unmark)'],
      ['Enter', 'show the events of the window (or of the bucket under the cursor)'],
      ['x', 'clear the time window'],
      ['u', 'histogram unit: per minute / hour / day (first chosen from the span of the events: up to 6 hours per minute, up to 14 days per hour, else per day)'],
      ['Tab  e', 'the event list'],
      ['t', 'the triage: findings, blind spots, principals, keys and IPs to pick from'],
      ['i', 'investigations'],
    ],
  },
  events: {
    title: 'Event list',
    keys: [
      ['↑ ↓ / j k', 'move; PgUp PgDn, Space, J K: a page; g G (Home End): newest / oldest'],
      ['Enter', 'open the event'],
      ['/', 'edit the filter (live); Enter applies, Esc restores, Tab completes a key'],
      ['x  X', 'remove the last filter / every filter'],
      ['i', 'investigations, pre-filled from the selected event'],
      ['Tab', 'the triage or overview, whichever was last shown (from the main list)'],
      ['', ''],
      ['Filter', 'space-separated key:value (or key=value) terms with the options of trailhound search:'],
      ['', FILTER_KEYS.join(' ')],
      ['', 'A key given twice, or a comma-separated value, means OR (event-name:StopInstances,TerminateInstances); different keys AND. error: alone means any failed call.'],
      ['', 'Times take every --start-time format: 2024-02-17, 36h, ISO. Quote values with spaces: text:"access denied".'],
      ['', `Short keys: ${Object.keys(FILTER_ALIASES).map((a) => `${a}:`).join(' ')}`],
      ['', 'A bare value whose kind is obvious needs no key: AKIA…/ASIA… (access key), i-…/sg-…/vol-… (resource name), an IP or CIDR block, arn:… (principal ARN), a 12-digit account, a region, a UUID (event ID), *.amazonaws.com (event source), a CamelCase name (event name).'],
      ['', 'The list follows as you type, except text: terms (they read event bodies) which apply on Enter; a bad value is explained in place and the previous list stays.'],
      ['', 'e.g. access-key:AKIA… event-name:StopInstances region:us-east-1 source-ip:203.0.113.0/24 start-time:2024-02-17 end-time:36h'],
    ],
  },
  detail: {
    title: 'Event detail',
    keys: [
      ['↑ ↓ / j k', 'move in the JSON; PgUp PgDn, g G'],
      ['Enter ← →', 'fold / unfold the object under the cursor'],
      ['z  Z', 'fold everything / unfold everything'],
      ['w', 'wrap long lines'],
      ['p', 'full provenance: root, file, record, byte range, SHA-256 of the file and its content'],
      ['1 2 3 4 5', 'events with the same access key, session (principal), resource, source IP, request'],
      ['i', 'investigate this access key, instance, security group…'],
    ],
  },
  investigate: {
    title: 'Investigations',
    keys: [
      ['↑ ↓  1-9', 'choose an investigation, or a named query of scenarios/*.yaml (listed under the investigations)'],
      ['Enter', 'type or confirm its parameter, then Enter runs it'],
      ['Tab ↑ ↓', 'a named query with several parameters: move between them; Enter goes to the next, and runs on the last'],
      ['Esc', 'back to the list'],
    ],
  },
  result: {
    title: 'Investigation result',
    keys: [
      ['↑ ↓ / j k', 'scroll; PgUp PgDn, g G'],
      ['← → / h l', 'scroll wide tables sideways (each section on its own)'],
      ['Tab n  N', 'next / previous section'],
      ['Enter', 'open the event on the line (lines marked ·); on a finding: its event, or the list of its events'],
      ['e', 'export: type a file name (.json or .md; Tab switches), Enter writes'],
    ],
  },
};

const GLOBAL: Array<[string, string]> = [
  ['?', 'this help (↑ ↓ j k PgUp PgDn g G scroll it; any other key closes it)'],
  ['q  Esc', 'back; on the triage or the overview: quit'],
  ['Ctrl-C', 'quit'],
];

const KEY_W = 12;

export interface HelpLine {
  /** The key column (first line of an entry only). */
  key: string;
  text: string;
  style: 'title' | 'heading' | 'entry' | 'note' | 'blank';
}

/** The help of a topic as screen lines at a width: descriptions wrapped under themselves, nothing cut. */
export function helpLines(topic: HelpTopic, width: number): HelpLine[] {
  const h = HELP[topic];
  const out: HelpLine[] = [];
  const descW = Math.max(10, width - 2 - KEY_W);
  const entry = ([k, d]: [string, string]): void => {
    if (!k && !d) {
      out.push({ key: '', text: '', style: 'blank' });
      return;
    }
    // A key too wide for its column gets a line of its own.
    const keyFits = k.length < KEY_W;
    if (!keyFits) out.push({ key: k, text: '', style: 'entry' });
    wrapText(d, descW).forEach((l, i) => out.push({ key: i === 0 && keyFits ? k : '', text: l, style: 'entry' }));
  };
  for (const l of wrapText(`Help: ${h.title}`, width)) out.push({ key: '', text: l, style: 'title' });
  out.push({ key: '', text: '', style: 'blank' });
  h.keys.forEach(entry);
  out.push({ key: '', text: '', style: 'blank' });
  out.push({ key: '', text: 'Everywhere', style: 'heading' });
  GLOBAL.forEach(entry);
  out.push({ key: '', text: '', style: 'blank' });
  for (const l of wrapText('Attacker-controlled text is shown with control characters escaped (\\e, \\x07, \\u202e…).', width)) out.push({ key: '', text: l, style: 'note' });
  return out;
}

/** A help line as plain text (what the screen shows, without styles). */
export function helpLineText(l: HelpLine): string {
  return l.style === 'entry' ? `  ${l.key.padEnd(KEY_W)}${l.text}`.trimEnd() : l.text;
}

export function HelpScreen({ topic, width, height, onClose }: { topic: HelpTopic; width: number; height: number; onClose: () => void }): React.JSX.Element {
  const { theme } = useCase();
  const all = helpLines(topic, width);
  const paneH = Math.max(1, height - 1);
  const maxTop = Math.max(0, all.length - paneH);
  const [topRaw, setTop] = useState(0);
  const top = Math.min(topRaw, maxTop);
  useKeys((input, key) => {
    const to = (v: number): void => setTop(Math.max(0, Math.min(maxTop, v)));
    if (key.downArrow || input === 'j') to(top + 1);
    else if (key.upArrow || input === 'k') to(top - 1);
    else if (key.pageDown || input === ' ') to(top + paneH);
    else if (key.pageUp) to(top - paneH);
    else if (key.home || input === 'g') to(0);
    else if (key.end || input === 'G') to(maxTop);
    else onClose();
  });
  const lines: React.JSX.Element[] = all.slice(top, top + paneH).map((l, i) => {
    const k = `l${top + i}`;
    if (l.style === 'entry') {
      return (
        <Text key={k} wrap="truncate-end">
          <Text color={theme.accent} bold>
            {`  ${l.key.padEnd(KEY_W)}`}
          </Text>
          <Text>{l.text || ' '}</Text>
        </Text>
      );
    }
    if (l.style === 'blank') return <Text key={k}> </Text>;
    return <Line key={k} text={l.text} width={width} bold={l.style !== 'note'} color={l.style === 'title' ? theme.accent : l.style === 'note' ? theme.muted : undefined} />;
  });
  while (lines.length < paneH) lines.push(<Text key={`pad${lines.length}`}> </Text>);
  const footer = all.length > paneH ? `lines ${top + 1}–${Math.min(all.length, top + paneH)} of ${all.length} · ↑↓ j k PgUp PgDn g G scroll · any other key closes` : 'any key closes';
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines}
      <Line text={footer} width={width} color={theme.muted} />
    </Box>
  );
}
