// The investigations menu: pick one (↑↓ Enter or its number), check or type its parameters (pre-filled from the
// event the menu was opened on), run it over the whole case. The menu and the forms come from the scenario registry:
// the code investigations (each descriptor's form fields), then the named queries of scenarios/*.yaml
// (`trailhound investigate run`), whose parameters are asked for one field each.

import React, { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCase } from './context.js';
import { Hints, Line } from './Ui.js';
import { editText } from './text-edit.js';
import { formParameters, menuEntries, runInvestigation, runNamedQuery, type InvestigationKind, type InvestigationRun } from './investigations.js';
import type { Scenario } from '../scenarios/registry.js';
import type { EventSubject } from '../scenarios/descriptor.js';
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

/** The value an event offers for a form field (its access key, instance or group). */
function presetOf(fill: EventSubject | undefined, p: InvestigatePreset): string {
  return fill ? (p[fill] ?? '') : '';
}

interface Field {
  name: string;
  label: string;
  required: boolean;
  /** What to type (shown under the prompt). */
  help: string;
  /** Said when a required field is left empty. */
  needed: string;
}

/** A menu entry's form: a code investigation's form parameters, or every parameter of a named query. */
function fieldsOf(e: Scenario): Field[] {
  if (e.kind === 'code') {
    return formParameters(e).map((p) => {
      const { label, example } = p.form!;
      return { name: p.name, label, required: p.required, help: `e.g. ${example}`, needed: `${label} is needed (${example})` };
    });
  }
  return e.parameters.map((p) => {
    const help = `${p.description} (${p.type}${p.required ? ', required' : p.default !== null ? `, default ${String(p.default)}` : ', optional'})`;
    return { name: p.name, label: p.name, required: p.required, help, needed: `${p.name} is needed: ${help}` };
  });
}

/** The values a form starts with: the event's access key, instance or group, else the parameter's default. */
function initialValues(e: Scenario, preset: InvestigatePreset): string[] {
  if (e.kind === 'code') return formParameters(e).map((p) => presetOf(p.form!.fill, preset));
  return e.parameters.map((p) => {
    if (p.name === 'accessKeyId' && preset.accessKey) return preset.accessKey;
    if (p.name === 'resourceName' && (preset.instanceId ?? preset.groupId)) return (preset.instanceId ?? preset.groupId)!;
    return p.default === null ? '' : String(p.default);
  });
}

interface Form {
  values: string[];
  field: number;
}

export function InvestigateScreen({ preset, width, height, active, onBack, onHelp, onResult, initial }: InvestigateScreenProps): React.JSX.Element {
  const ctx = useCase();
  const [, bump] = useReducer((x: number) => x + 1, 0);
  const { theme } = ctx;
  const [entries] = useState<Scenario[]>(menuEntries);
  const [sel, setSel] = useState(() => Math.max(0, entries.findIndex((x) => x.kind === 'code' && x.name === initial)));
  // The form lives in a ref: keys typed faster than React re-renders must each see the latest text.
  const formRef = useRef<Form | null>(initial ? { values: initialValues(entries[sel], preset), field: 0 } : null);
  const form = formRef.current;
  const setForm = (v: Form | null): void => {
    formRef.current = v;
    bump();
  };
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const entry = entries[sel];
  const fields = fieldsOf(entry);

  // Run after the "running…" frame is on screen.
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => {
      try {
        const values = formRef.current?.values ?? [];
        const byName = Object.fromEntries(fields.map((f, i) => [f.name, values[i] ?? '']));
        const run = entry.kind === 'code' ? runInvestigation(ctx.db, entry, byName, ctx.tz, ctx.now()) : runNamedQuery(ctx.db, entry, byName, ctx.tz, ctx.now());
        setRunning(false);
        onResult(run);
      } catch (err) {
        setRunning(false);
        const message = (err as Error).message;
        setError(message);
        // A named query's bad value: the cursor goes to that parameter.
        const bad = /^parameter (\w+) of /.exec(message)?.[1];
        const at = entry.kind === 'sql' && bad ? fields.findIndex((f) => f.name === bad) : -1;
        if (at >= 0 && formRef.current) setForm({ ...formRef.current, field: at });
      }
    }, 0);
    return () => clearTimeout(t);
  }, [running]);

  const choose = (i: number): void => {
    setSel(i);
    setError(null);
    const e = entries[i];
    setForm({ values: initialValues(e, preset), field: 0 });
    if (fieldsOf(e).length === 0) setRunning(true);
  };

  useKeys(
    (input, key) => {
      if (running) return;
      const form = formRef.current;
      if (form !== null) {
        const n = fields.length;
        const to = (field: number): void => setForm({ ...form, field: Math.max(0, Math.min(n - 1, field)) });
        if (key.escape) {
          setForm(null);
          setError(null);
          return;
        }
        if (key.return) {
          // Enter moves to the next field; on the last it runs (after checking the required ones).
          if (form.field < n - 1) {
            to(form.field + 1);
            return;
          }
          const missing = fields.findIndex((f, i) => f.required && !(form.values[i] ?? '').trim());
          if (missing >= 0) {
            const f = fields[missing];
            setError(f.needed);
            to(missing);
            return;
          }
          setRunning(true);
          return;
        }
        if (n > 1 && ((key.tab && !key.shift) || key.downArrow)) {
          to((form.field + 1) % n);
          return;
        }
        if (n > 1 && ((key.tab && key.shift) || key.upArrow)) {
          to((form.field + n - 1) % n);
          return;
        }
        const next = editText(form.values[form.field] ?? '', input, key);
        if (next !== null) {
          const values = [...form.values];
          values[form.field] = next;
          setForm({ ...form, values });
          setError(null);
        }
        return;
      }
      if (key.downArrow || input === 'j') setSel((sel + 1) % entries.length);
      else if (key.upArrow || input === 'k') setSel((sel + entries.length - 1) % entries.length);
      else if (key.return) choose(sel);
      else if (/^[1-9]$/.test(input) && Number(input) <= entries.length) choose(Number(input) - 1);
      else if (input === '?') onHelp();
      else if (input === 'q' || key.escape) onBack();
      bump();
    },
    active,
  );

  const lines: React.JSX.Element[] = [];
  lines.push(<Line key="t" text="Investigations (over the whole case; the same as trailhound investigate …)" width={width} bold color={theme.accent} />);
  lines.push(<Text key="b0"> </Text>);
  const idW = Math.max(15, ...entries.map((e) => (e.kind === 'sql' ? e.id.length : 0)));
  entries.forEach((e, i) => {
    const on = i === sel;
    const num = String(i + 1).padEnd(2);
    if (e.kind === 'code') {
      const first = formParameters(e)[0];
      const pre = presetOf(first?.form?.fill, preset);
      lines.push(<Line key={e.id} text={`${on ? '>' : ' '} ${num} ${e.name.padEnd(15)} ${pre ? `[${pre}] ` : ''}${e.menuTitle}`} width={width} inverse={on && form === null} />);
    } else {
      if (entries[i - 1]?.kind === 'code') lines.push(<Line key="qhead" text="  Named queries (scenarios/*.yaml, as trailhound investigate run)" width={width} color={theme.muted} />);
      lines.push(<Line key={e.id} text={`${on ? '>' : ' '} ${num} ${e.id.padEnd(idW)} ${e.title}`} width={width} inverse={on && form === null} />);
    }
  });
  lines.push(<Text key="b1"> </Text>);
  if (form !== null && fields.length > 0) {
    const prompt = (f: Field, i: number, cursor: boolean): React.JSX.Element => (
      <Text key={`p${i}`} wrap="truncate-start">
        <Text color={theme.accent} bold={cursor}>{`${fields.length > 1 ? (cursor ? '> ' : '  ') : ''}${f.label}: `}</Text>
        <Text>{escapeControl(form.values[i] ?? '')}</Text>
        {cursor ? <Text inverse> </Text> : null}
      </Text>
    );
    fields.forEach((f, i) => lines.push(prompt(f, i, i === form.field)));
    const f = fields[form.field];
    const moves = fields.length > 1 ? ' · Tab/↑↓ field · Enter next, on the last runs' : ' · Enter runs';
    lines.push(<Line key="ex" text={`${f.help}${moves} · Esc back to the list`} width={width} color={theme.muted} />);
  }
  if (running) {
    const what = entry.kind === 'code' ? `${entry.name}${form?.values[0] ? ` ${form.values[0]}` : ''}` : entry.id;
    lines.push(<Line key="run" text={`running ${what}…`} width={width} color={theme.warning} />);
  }
  if (error) lines.push(<Line key="err" text={error} width={width} color={theme.danger} />);
  const body = lines.slice(0, height - 1);
  while (body.length < height - 1) body.push(<Text key={`pad${body.length}`}> </Text>);
  const hints: Array<[string, string]> =
    form !== null
      ? [
          ['Enter', fields.length > 1 ? 'next / run' : 'run'],
          ...(fields.length > 1 ? ([['Tab', 'field']] as Array<[string, string]>) : []),
          ['Esc', 'back'],
          ['^U', 'clear'],
        ]
      : [
          ['↑↓', 'choose'],
          ['1-9', 'pick'],
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
