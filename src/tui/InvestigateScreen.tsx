// The investigations menu: pick one (↑↓ Enter or its number), check or type its parameter (pre-filled from the
// event the menu was opened on), run it over the whole case.

import React, { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Hints, Line } from './Ui.js';
import { editText } from './text-edit.js';
import { INVESTIGATIONS, runInvestigation, type InvestigationKind, type InvestigationRun } from './investigations.js';
import type { InvestigatePreset } from './EventDetailScreen.js';
import { escapeControl } from '../model/escape.js';

export interface InvestigateScreenProps {
  preset: InvestigatePreset;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onHelp: () => void;
  onResult: (run: InvestigationRun) => void;
  /** Open straight on this investigation's parameter prompt. */
  initial?: InvestigationKind;
}

function presetValue(kind: InvestigationKind, p: InvestigatePreset): string {
  switch (kind) {
    case 'access-key':
      return p.accessKey ?? '';
    case 'instance':
      return p.instanceId ?? '';
    case 'security-group':
      return p.groupId ?? '';
    case 'iam':
      return '';
    default:
      return '';
  }
}

export function InvestigateScreen({ preset, width, height, active, onBack, onHelp, onResult, initial }: InvestigateScreenProps): React.JSX.Element {
  const ctx = useCase();
  const [, bump] = useReducer((x: number) => x + 1, 0);
  const { theme } = ctx;
  const [sel, setSel] = useState(() => Math.max(0, INVESTIGATIONS.findIndex((x) => x.kind === initial)));
  // The prompt text lives in a ref: keys typed faster than React re-renders must each see the latest text.
  const paramRef = useRef<string | null>(initial ? presetValue(initial, preset) : null);
  const param = paramRef.current;
  const setParam = (v: string | null): void => {
    paramRef.current = v;
    bump();
  };
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const spec = INVESTIGATIONS[sel];

  // Run after the "running…" frame is on screen.
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => {
      try {
        const run = runInvestigation(ctx.db, spec.kind, paramRef.current ?? '', ctx.tz, ctx.now());
        setRunning(false);
        onResult(run);
      } catch (err) {
        setRunning(false);
        setError((err as Error).message);
      }
    }, 0);
    return () => clearTimeout(t);
  }, [running]);

  const choose = (i: number): void => {
    setSel(i);
    setError(null);
    const s = INVESTIGATIONS[i];
    if (s.param === null) {
      setParam('');
      setRunning(true);
    } else setParam(presetValue(s.kind, preset));
  };

  useKeys(
    (input, key) => {
      if (running) return;
      const param = paramRef.current;
      if (param !== null) {
        if (key.escape) {
          setParam(null);
          setError(null);
          return;
        }
        if (key.return) {
          if (spec.param?.required && !param.trim()) {
            setError(`${spec.param.label} is needed (${spec.param.example})`);
            return;
          }
          setRunning(true);
          return;
        }
        const next = editText(param, input, key);
        if (next !== null) {
          setParam(next);
          setError(null);
        }
        return;
      }
      if (key.downArrow || input === 'j') setSel((sel + 1) % INVESTIGATIONS.length);
      else if (key.upArrow || input === 'k') setSel((sel + INVESTIGATIONS.length - 1) % INVESTIGATIONS.length);
      else if (key.return) choose(sel);
      else if (/^[1-9]$/.test(input) && Number(input) <= INVESTIGATIONS.length) choose(Number(input) - 1);
      else if (input === '?') onHelp();
      else if (input === 'q' || key.escape) onBack();
      bump();
    },
    active,
  );

  const lines: React.JSX.Element[] = [];
  lines.push(<Line key="t" text="Investigations (over the whole case; the same as trailhound investigate …)" width={width} bold color={theme.accent} />);
  lines.push(<Text key="b0"> </Text>);
  INVESTIGATIONS.forEach((s, i) => {
    const pre = presetValue(s.kind, preset);
    const on = i === sel;
    lines.push(<Line key={s.kind} text={`${on ? '>' : ' '} ${i + 1}  ${s.kind.padEnd(15)} ${pre ? `[${pre}] ` : ''}${s.title}`} width={width} inverse={on && param === null} />);
  });
  lines.push(<Text key="b1"> </Text>);
  if (param !== null && spec.param) {
    lines.push(
      <Text key="prompt" wrap="truncate-start">
        <Text color={theme.accent} bold>{`${spec.param.label}: `}</Text>
        <Text>{escapeControl(param)}</Text>
        <Text inverse> </Text>
      </Text>,
    );
    lines.push(<Line key="ex" text={`e.g. ${spec.param.example} · Enter runs · Esc back to the list`} width={width} color={theme.muted} />);
  }
  if (running) lines.push(<Line key="run" text={`running ${spec.kind}${param ? ` ${param}` : ''}…`} width={width} color={theme.warning} />);
  if (error) lines.push(<Line key="err" text={error} width={width} color={theme.danger} />);
  const body = lines.slice(0, height - 1);
  while (body.length < height - 1) body.push(<Text key={`pad${body.length}`}> </Text>);
  const hints: Array<[string, string]> =
    param !== null
      ? [
          ['Enter', 'run'],
          ['Esc', 'back'],
          ['^U', 'clear'],
        ]
      : [
          ['↑↓', 'choose'],
          ['1-5', 'pick'],
          ['Enter', 'select'],
          ['?', 'help'],
          ['q', 'back'],
        ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {body}
      <Hints hints={hints} width={width} />
    </Box>
  );
}
