// Small shared pieces: a one-line text cut to the width, a `label  value` fact line, and the key-hint footer.

import React from 'react';
import { Text } from 'ink';
import { useCase } from './context.js';
import { fitLine } from './columns.js';

export interface LineProps {
  text: string;
  width: number;
  color?: string | undefined;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
}

/** One terminal line: escaped (unless `safe`), cut to `width`, never wrapped. */
export function Line({ text, width, color, bold, inverse, dim }: LineProps): React.JSX.Element {
  // Escaping is idempotent on escaped text (it holds no control characters), so every line goes through it.
  const cut = fitLine(text, width);
  return (
    <Text color={color} bold={bold} inverse={inverse} dimColor={dim} wrap="truncate-end">
      {cut === '' ? ' ' : cut}
    </Text>
  );
}

/** A `label  value` line (overview and triage facts): the label muted and padded, the value escaped and cut to the width. */
export function factLine(key: string, label: string, value: string, opts: { width: number; labelWidth: number; muted: string | undefined; color?: string | undefined }): React.JSX.Element {
  return (
    <Text key={key} wrap="truncate-end">
      <Text color={opts.muted}>{label.padEnd(opts.labelWidth)}</Text>
      <Text color={opts.color}>{fitLine(value, Math.max(1, opts.width - opts.labelWidth))}</Text>
    </Text>
  );
}

/** Footer: `key action` pairs. */
export function Hints({ hints, width }: { hints: Array<[string, string]>; width: number }): React.JSX.Element {
  const { theme } = useCase();
  let used = 0;
  const shown: Array<[string, string]> = [];
  for (const h of hints) {
    const w = h[0].length + h[1].length + 3;
    if (used + w > width) break;
    shown.push(h);
    used += w;
  }
  return (
    <Text wrap="truncate-end">
      {shown.map(([k, a], i) => (
        <Text key={i}>
          <Text color={theme.accent} bold>
            {k}
          </Text>
          <Text color={theme.muted}>{` ${a}  `}</Text>
        </Text>
      ))}
    </Text>
  );
}
