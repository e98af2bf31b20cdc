// One event whole: the original JSON pretty-printed and foldable, where it was seen (files, record index, hashes),
// its trust label, and jumps to the events sharing its access key, session, resource, source IP or request.

import React, { useMemo, useReducer, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Hints, Line } from './Ui.js';
import { listTime } from './columns.js';
import { allContainers, defaultFolds, jsonLines } from './json-fold.js';
import type { FilterTerm } from './filter-text.js';
import { fetchEventRows, type EventRow } from '../index/event-rows.js';
import { eventProvenance, readEventBody, type Provenance } from '../index/bodies.js';
import { trustForEvents } from '../index/trust.js';
import { displayWidth } from '../report/width.js';
import { escapeControl } from '../model/escape.js';

export interface Jump {
  key: string;
  what: string;
  value: string;
  terms: FilterTerm[];
}

export interface InvestigatePreset {
  accessKey?: string;
  instanceId?: string;
  groupId?: string;
  principal?: string;
}

export interface EventDetailScreenProps {
  rowId: number;
  width: number;
  height: number;
  active: boolean;
  onBack: () => void;
  onHelp: () => void;
  onJump: (terms: FilterTerm[], label: string) => void;
  onInvestigate: (preset: InvestigatePreset) => void;
}

interface Loaded {
  row: EventRow | null;
  record: Record<string, unknown> | null;
  bodyError: string | null;
  provenance: Provenance[];
  trust: string;
}

/** The jumps an event offers (only those it has values for), numbered 1-5 in a fixed order. */
function jumpsFor(row: EventRow, record: Record<string, unknown> | null): { jumps: Jump[]; resources: Jump[] } {
  const jumps: Jump[] = [];
  if (row.accessKeyId) jumps.push({ key: '1', what: 'key', value: row.accessKeyId, terms: [{ key: 'access-key', value: row.accessKeyId }] });
  if (row.arn) {
    const session = row.identityType === 'AssumedRole' || row.identityType === 'FederatedUser';
    jumps.push({ key: '2', what: session ? 'session' : 'principal', value: row.arn, terms: [{ key: 'principal-arn', value: row.arn }] });
  }
  const resources = row.resources.map((r, i) => ({ key: String(i + 1), what: r.type.replace(/^AWS::/, ''), value: r.name, terms: [{ key: 'resource-name', value: r.name }] }));
  if (resources.length === 1) jumps.push({ ...resources[0], key: '3', what: 'resource' });
  else if (resources.length > 1) jumps.push({ key: '3', what: 'resource', value: `${resources.length} resources…`, terms: [] });
  if (row.sourceIPAddress) jumps.push({ key: '4', what: 'ip', value: row.sourceIPAddress, terms: [{ key: 'source-ip', value: row.sourceIPAddress }] });
  const req = record && typeof record.requestID === 'string' ? record.requestID : null;
  if (req) jumps.push({ key: '5', what: 'request', value: req, terms: [{ key: 'request-id', value: req }] });
  return { jumps, resources };
}

/** What the investigations menu can pre-fill from an event. */
export function presetFor(row: EventRow | undefined): InvestigatePreset {
  if (!row) return {};
  const p: InvestigatePreset = {};
  if (row.accessKeyId) p.accessKey = row.accessKeyId;
  const inst = row.resources.find((r) => r.type === 'AWS::EC2::Instance' && /^i-[0-9a-f]+$/.test(r.name));
  if (inst) p.instanceId = inst.name;
  const sg = row.resources.find((r) => r.type === 'AWS::EC2::SecurityGroup' && /^sg-[0-9a-f]+$/.test(r.name));
  if (sg) p.groupId = sg.name;
  if (row.arn) p.principal = row.arn;
  return p;
}

const short = (h: string | null): string => (h ? `${h.slice(0, 12)}…` : '-');

export function EventDetailScreen({ rowId, width, height, active, onBack, onHelp, onJump, onInvestigate }: EventDetailScreenProps): React.JSX.Element {
  const ctx = useCase();
  const { db, theme } = ctx;
  const data = useMemo<Loaded>(() => {
    const row = fetchEventRows(db, [rowId])[0] ?? null;
    let record: Record<string, unknown> | null = null;
    let bodyError: string | null = null;
    try {
      record = readEventBody(db, rowId)?.record ?? null;
      if (!record) bodyError = 'the original body is not in the evidence';
    } catch (err) {
      bodyError = (err as Error).message;
    }
    const trust = ctx.hasIntegrity ? (trustForEvents(db, [rowId]).get(rowId) ?? 'unverified') : 'unverified (case never verified)';
    return { row, record, bodyError, provenance: eventProvenance(db, rowId), trust };
  }, [db, rowId, ctx.hasIntegrity]);

  const [folds, setFolds] = useState<Set<string>>(() => defaultFolds(data.record));
  const [cursor, setCursor] = useState(0);
  const [top, setTop] = useState(0);
  const [wrap, setWrap] = useState(false);
  const [showProv, setShowProv] = useState(false);
  const [picking, setPicking] = useState(false);
  const [, bump] = useReducer((x: number) => x + 1, 0);

  const lines = useMemo(() => (data.record ? jsonLines(data.record, folds) : []), [data.record, folds]);
  const { jumps, resources } = data.row ? jumpsFor(data.row, data.record) : { jumps: [], resources: [] };

  const provShown = data.provenance.slice(0, 3);
  const headerLines = 3 + provShown.length + (data.provenance.length > 3 ? 1 : 0) + 1;
  const paneH = Math.max(1, height - headerLines - 1);

  const follow = (c: number): void => {
    const clamped = Math.max(0, Math.min(lines.length - 1, c));
    setCursor(clamped);
    if (clamped < top) setTop(clamped);
    else if (clamped >= top + paneH) setTop(clamped - paneH + 1);
  };

  const toggle = (): void => {
    const l = lines[cursor];
    if (!l) return;
    const path = l.foldable ? l.path : l.container;
    const next = new Set(folds);
    if (next.has(path)) next.delete(path);
    else if (path !== '') next.add(path);
    else return;
    setFolds(next);
    // Keep the cursor on the (now folded) container's line.
    const after = data.record ? jsonLines(data.record, next) : [];
    const at = after.findIndex((x) => x.path === path);
    if (at >= 0) {
      setCursor(at);
      if (at < top) setTop(at);
    }
  };

  useKeys(
    (input, key) => {
      if (picking) {
        const n = Number(input);
        if (Number.isInteger(n) && n >= 1 && n <= resources.length) {
          setPicking(false);
          onJump(resources[n - 1].terms, `resource ${resources[n - 1].value}`);
        } else if (key.escape || input === 'q') setPicking(false);
        return;
      }
      if (key.downArrow || input === 'j') follow(cursor + 1);
      else if (key.upArrow || input === 'k') follow(cursor - 1);
      else if (key.pageDown || input === ' ') follow(cursor + paneH);
      else if (key.pageUp) follow(cursor - paneH);
      else if (key.home || input === 'g') follow(0);
      else if (key.end || input === 'G') follow(lines.length - 1);
      else if (key.return || key.rightArrow || key.leftArrow) toggle();
      else if (input === 'z') {
        setFolds(allContainers(data.record));
        setCursor(0);
        setTop(0);
      } else if (input === 'Z') setFolds(new Set());
      else if (input === 'w') setWrap(!wrap);
      else if (input === 'p') setShowProv(!showProv);
      else if (/^[1-5]$/.test(input)) {
        const j = jumps.find((x) => x.key === input);
        if (!j) return;
        if (j.what === 'resource' && j.terms.length === 0) setPicking(true);
        else onJump(j.terms, `${j.what} ${j.value}`);
      } else if (input === 'i') onInvestigate(presetFor(data.row ?? undefined));
      else if (input === '?') onHelp();
      else if (input === 'q' || key.escape) onBack();
      else return;
      bump();
    },
    active,
  );

  const r = data.row;
  if (!r) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Line text={`event row ${rowId} is not in the case`} width={width} color={theme.danger} />
      </Box>
    );
  }

  // Jump values share the line: the longest ones are cut first, none below 8 cells.
  const jumpLabels = jumps.reduce((n, j) => n + j.key.length + j.what.length + 4, 0);
  const jumpWidths = shrinkInOrder(
    jumps.map((j) => j.value.length),
    // Cut the request ID first, the access key last.
    jumps.map((j) => ['5', '2', '3', '4', '1'].indexOf(j.key)),
    width - jumpLabels,
    12,
  );
  const head: React.JSX.Element[] = [];
  head.push(<Line key="h1" text={`${r.eventName ?? '(no name)'}  ${listTime(r.eventTime, ctx.tz)}  ${r.eventId}`} width={width} bold color={theme.accent} />);
  head.push(
    <Line
      key="h2"
      text={`trust ${data.trust} · account ${r.recipientAccountId ?? '-'} · ${r.awsRegion ?? '-'} · ${r.username ?? r.arn ?? '-'}${r.errorCode ? ` · error ${r.errorCode}` : ''}`}
      width={width}
      color={data.trust.startsWith('proven') ? theme.success : undefined}
    />,
  );
  head.push(<Line key="h3" text={`seen ${data.provenance.length} time${data.provenance.length === 1 ? '' : 's'} (p: full provenance)`} width={width} color={theme.muted} />);
  provShown.forEach((p, i) =>
    head.push(
      <Line key={`p${i}`} text={provenanceLine(p, i, width)} width={width} color={p.variant ? theme.warning : undefined} />,
    ),
  );
  if (data.provenance.length > 3) head.push(<Line key="pmore" text={` … and ${data.provenance.length - 3} more`} width={width} color={theme.muted} />);
  head.push(
    <Text key="jumps" wrap="truncate-end">
      {jumps.length === 0 ? (
        <Text color={theme.muted}>no jumps: the event names no key, principal, resource, IP or request</Text>
      ) : (
        jumps.map((j, ji) => (
          <Text key={j.key}>
            <Text color={theme.accent} bold>
              {j.key}
            </Text>
            <Text>{` ${j.what} `}</Text>
            <Text color={theme.muted}>{`${escapeControl(fitShort(j.value, jumpWidths[ji]))}  `}</Text>
          </Text>
        ))
      )}
    </Text>,
  );

  const pane: React.JSX.Element[] = [];
  if (picking) {
    pane.push(<Line key="pk" text="Which resource? (number, Esc to cancel)" width={width} bold />);
    resources.slice(0, paneH - 1).forEach((x) => pane.push(<Line key={`r${x.key}`} text={`  ${x.key}  ${x.what}  ${x.value}`} width={width} />));
  } else if (showProv) {
    data.provenance.forEach((p, i) => {
      pane.push(<Line key={`a${i}`} text={`[${i + 1}] ${p.kind}${p.embedded ? ', embedded in the case' : ', not embedded'}${p.variant ? ', DIFFERENT BODY (conflict)' : ''}`} width={width} bold />);
      pane.push(<Line key={`b${i}`} text={`    root    ${p.root}`} width={width} />);
      pane.push(<Line key={`c${i}`} text={`    file    ${p.path}`} width={width} />);
      pane.push(<Line key={`d${i}`} text={`    record  ${p.recordIndex}${p.byteOffset !== null ? `  bytes ${p.byteOffset}+${p.byteLength}` : ''}`} width={width} />);
      pane.push(<Line key={`e${i}`} text={`    sha256  ${p.sha256}`} width={width} />);
      if (p.contentSha256) pane.push(<Line key={`f${i}`} text={`    content ${p.contentSha256}`} width={width} />);
    });
  } else if (!data.record) {
    pane.push(<Line key="nobody" text={`(${data.bodyError ?? 'no body'})`} width={width} color={theme.warning} />);
  } else {
    for (let i = top; i < lines.length && pane.length < paneH; i++) {
      const l = lines[i];
      const sel = i === cursor;
      const chunks = wrap ? wrapText(l.text, width - 2) : [l.text];
      chunks.forEach((c, k) => {
        if (pane.length >= paneH) return;
        pane.push(<Line key={`${i}.${k}`} text={`${sel && k === 0 ? '>' : ' '} ${c}`} width={width} inverse={sel} color={!sel && l.folded ? theme.accent : undefined} />);
      });
    }
  }
  const shownPane = pane.slice(0, paneH);
  while (shownPane.length < paneH) shownPane.push(<Text key={`pad${shownPane.length}`}> </Text>);

  const hints: Array<[string, string]> = [
    ['↑↓', 'move'],
    ['Enter', 'fold'],
    ['z/Z', 'fold/unfold all'],
    ['1-5', 'jump'],
    ['i', 'investigate'],
    ['p', 'provenance'],
    ['w', 'wrap'],
    ['?', 'help'],
    ['q', 'back'],
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {head}
      {shownPane}
      <Hints hints={hints} width={width} />
    </Box>
  );
}

/** One occurrence in a line: record, hashes, then the file path cut from the left (its end names the file). */
function provenanceLine(p: Provenance, i: number, width: number): string {
  const head = ` [${i + 1}] record ${p.recordIndex}  sha256 ${short(p.sha256)}${p.contentSha256 && p.contentSha256 !== p.sha256 ? ` content ${short(p.contentSha256)}` : ''}${p.variant ? '  DIFFERENT BODY' : ''}  `;
  const room = width - head.length;
  const file = escapeControl(p.path);
  return head + (file.length <= room ? file : `…${file.slice(file.length - Math.max(1, room - 1))}`);
}

/** Shrink values in the given order (each down to `min`) until they fit `total`. */
function shrinkInOrder(widths: number[], order: number[], total: number, min: number): number[] {
  const w = [...widths];
  let over = w.reduce((a, b) => a + b, 0) - total;
  const idx = w.map((_, i) => i).sort((a, b) => order[a] - order[b]);
  for (const i of idx) {
    if (over <= 0) break;
    const cut = Math.min(over, Math.max(0, w[i] - min));
    w[i] -= cut;
    over -= cut;
  }
  return w;
}

function fitShort(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

/** Cut a line into pieces of at most `width` cells. */
function wrapText(text: string, width: number): string[] {
  const w = Math.max(8, width);
  if (displayWidth(text) <= w) return [text];
  const out: string[] = [];
  let cur = '';
  let cw = 0;
  for (const ch of text) {
    const c = displayWidth(ch);
    if (cw + c > w) {
      out.push(cur);
      cur = '';
      cw = 0;
    }
    cur += ch;
    cw += c;
  }
  if (cur) out.push(cur);
  return out;
}
