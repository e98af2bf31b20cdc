// Keyboard help (`?`): the keys of the screen it was opened from, then the keys that work everywhere.

import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Line } from './Ui.js';

export type HelpTopic = 'overview' | 'events' | 'detail' | 'investigate' | 'result';

export const HELP: Record<HelpTopic, { title: string; keys: Array<[string, string]> }> = {
  overview: {
    title: 'Overview',
    keys: [
      ['← → / h l', 'move along the activity histogram (H L: 10 at a time; Home End: ends)'],
      ['Space', 'mark one end of a time window (again: unmark)'],
      ['Enter', 'show the events of the window (or of the bucket under the cursor)'],
      ['x', 'clear the time window'],
      ['u', 'histogram per hour / per day'],
      ['Tab  e', 'the event list'],
      ['i', 'investigations'],
    ],
  },
  events: {
    title: 'Event list',
    keys: [
      ['↑ ↓ / j k', 'move; PgUp PgDn, Space, J K: a page; g G (Home End): newest / oldest'],
      ['Enter', 'open the event'],
      ['/', 'edit the filter (live); Enter applies, Esc restores, Tab completes a key'],
      ['', 'filters: key:value, the options of trailhound search, e.g.'],
      ['', '  access-key:AKIA… event-name:StopInstances,TerminateInstances region:us-east-1'],
      ['', '  source-ip:203.0.113.0/24 error:any start-time:2024-02-17 end-time:36h text:"foo bar"'],
      ['', '  short: key: ip: name: source: resource: start: end: request:; bare AKIA…, i-…, IPs work too'],
      ['x  X', 'remove the last filter / every filter'],
      ['i', 'investigations, pre-filled from the selected event'],
      ['Tab', 'the overview (from the main list)'],
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
      ['↑ ↓  1-5', 'choose an investigation'],
      ['Enter', 'type or confirm its parameter, then Enter runs it'],
      ['Esc', 'back to the list'],
    ],
  },
  result: {
    title: 'Investigation result',
    keys: [
      ['↑ ↓ / j k', 'scroll; PgUp PgDn, g G'],
      ['← → / h l', 'scroll wide tables sideways'],
      ['Tab n  N', 'next / previous section'],
      ['Enter', 'open the event on the line (lines marked ·)'],
      ['e', 'export: type a file name (.json or .md; Tab switches), Enter writes'],
    ],
  },
};

const GLOBAL: Array<[string, string]> = [
  ['?', 'this help (any key closes it)'],
  ['q  Esc', 'back; on the overview: quit'],
  ['Ctrl-C', 'quit'],
];

export function HelpScreen({ topic, width, height, onClose }: { topic: HelpTopic; width: number; height: number; onClose: () => void }): React.JSX.Element {
  const { theme } = useCase();
  useKeys(() => onClose());
  const h = HELP[topic];
  const lines: React.JSX.Element[] = [];
  const keyW = 12;
  lines.push(<Line key="t" text={`Help: ${h.title}`} width={width} bold color={theme.accent} />);
  lines.push(<Text key="b0"> </Text>);
  const row = (k: string, d: string, i: string): void => {
    lines.push(
      <Text key={i} wrap="truncate-end">
        <Text color={theme.accent} bold>
          {`  ${k.padEnd(keyW)}`}
        </Text>
        <Text>{d}</Text>
      </Text>,
    );
  };
  h.keys.forEach(([k, d], i) => row(k, d, `k${i}`));
  lines.push(<Text key="b1"> </Text>);
  lines.push(<Line key="g" text="Everywhere" width={width} bold />);
  GLOBAL.forEach(([k, d], i) => row(k, d, `g${i}`));
  lines.push(<Text key="b2"> </Text>);
  lines.push(<Line key="n" text="Attacker-controlled text is shown with control characters escaped (\e, \x07, \u202e…)." width={width} color={theme.muted} />);
  const body = lines.slice(0, height);
  while (body.length < height) body.push(<Text key={`pad${body.length}`}> </Text>);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {body}
    </Box>
  );
}
