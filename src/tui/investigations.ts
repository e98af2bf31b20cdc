// The investigations as the TUI offers them: the menu and its forms come from the scenario registry (the same
// descriptors `trailhound investigate` is generated from), runs use the same entry functions and views, laid out as
// screen lines (sections, tables fitted to the width, a descriptor's tree such as the access-key lineage), and
// exported to JSON or Markdown files the user names. Exports never go inside an evidence folder.

import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../index/open.js';
import { evidenceRoots } from '../index/case-overview.js';
import { escapeControl } from '../model/escape.js';
import { isoInZone } from '../model/time.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { renderView } from '../report/report-view.js';
import type { ReportView } from '../model/report-view.js';
import type { InvestigationFinding } from '../scenarios/common.js';
import type { Investigation, InvestigationParameter, ParameterValues } from '../scenarios/descriptor.js';
import { loadBuiltinInvestigations, loadBuiltinScenarios } from '../scenarios/builtin.js';
import { bindParameters, listInvestigations, runSqlScenario, type Scenario, type SqlScenario } from '../scenarios/registry.js';
import { sqlScenarioView } from '../scenarios/views.js';
import { ExportError } from '../model/errors.js';
import { wrapText } from './wrap.js';

/** A code investigation's name (`access-key`, `instance`…: the registry's descriptors). */
export type InvestigationKind = string;

/**
 * The menu: the code investigations in registry order, then the named queries of scenarios/*.yaml (the ones
 * `trailhound investigate run` runs). A broken scenarios/ folder leaves the investigations (`trailhound investigate
 * list` explains what is wrong).
 */
export function menuEntries(): Scenario[] {
  loadBuiltinInvestigations();
  const list: Scenario[] = [...listInvestigations()];
  try {
    list.push(...loadBuiltinScenarios().filter((s): s is SqlScenario => s.kind === 'sql'));
  } catch {
    // Left out; see above.
  }
  return list;
}

/** The parameters a code investigation's form asks for, in order. */
export function formParameters(d: Investigation): InvestigationParameter[] {
  return d.parameters.filter((p) => p.form !== undefined);
}

export interface InvestigationRun {
  /** A code investigation's name, or `query`: a named query from scenarios/*.yaml (`investigate run`). */
  kind: InvestigationKind | 'query';
  param: string;
  /** What the breadcrumbs call it (`access-key AKIA…`, `errors.access-denied`). */
  label: string;
  /** The result object, exactly what `investigate … --format json` prints. */
  result: unknown;
  view: ReportView;
  /** A tree shown above the sections (the access key's credential lineage). */
  tree: { title: string; lines: string[] } | null;
  /** Suggested export file name (without extension). */
  baseName: string;
  ms: number;
}

/**
 * Run a code investigation over the whole case with its form's values (by parameter name; empty: the default), as
 * `trailhound investigate <name>` would (`now`: the time response commands are dated). Input errors (malformed IDs)
 * throw InvestigationInputError.
 */
export function runInvestigation(db: Db, d: Investigation, values: Record<string, string>, tz: string, now?: number): InvestigationRun {
  const params: ParameterValues = {};
  for (const p of d.parameters) {
    const v = (values[p.name] ?? '').trim();
    params[p.name] = v !== '' ? v : p.default;
  }
  const opts = { tz, filter: {}, ...(now !== undefined ? { now } : {}) };
  const t0 = performance.now();
  const result = d.run(db, params, opts);
  // Every event: the screen scrolls, so nothing needs leaving out (the CLI's table shows the suspect window).
  const view = d.view(result, { tz, params, full: true });
  const tree = d.tree?.(result, tz) ?? null;
  const param = formParameters(d)
    .map((p) => (values[p.name] ?? '').trim())
    .filter((v) => v !== '')
    .join(' ');
  const safe = param.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return { kind: d.name, param, label: `${d.name}${param ? ` ${param}` : ''}`, result, view, tree, baseName: `trailhound-${d.name}${safe ? `-${safe}` : ''}`, ms: performance.now() - t0 };
}

/**
 * Run a named query with parameters typed as text (`investigate run ID -p name=value`); empty values are left out
 * (the default applies). Bad values throw InvestigationInputError, as in the CLI.
 */
export function runNamedQuery(db: Db, s: SqlScenario, values: Record<string, string>, tz: string, now?: number): InvestigationRun {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v.trim() !== '') raw[k] = v.trim();
  const t0 = performance.now();
  const result = runSqlScenario(db, s, bindParameters(s, raw, { tz, ...(now !== undefined ? { now } : {}) }));
  const param = Object.entries(raw)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const safe = Object.values(raw).join('-').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  // Times are bound as epoch milliseconds: shown (and exported as Markdown) as times in the display zone.
  const view = sqlScenarioView(result);
  view.facts = view.facts.map(([k, v]) => {
    const p = s.parameters.find((x) => x.name === k);
    const ms = result.parameters[k];
    return p?.type === 'time' && typeof ms === 'number' ? [k, isoInZone(ms, tz)] : [k, v];
  });
  return { kind: 'query', param, label: s.id, result, view, tree: null, baseName: `trailhound-${s.id}${safe ? `-${safe}` : ''}`, ms: performance.now() - t0 };
}

export type LineStyle = 'title' | 'fact' | 'section' | 'header' | 'rule' | 'row' | 'note' | 'tree' | 'blank';

export interface ResultLine {
  text: string;
  style: LineStyle;
  /** The event this line cites (Enter opens it). */
  eventId?: string;
  /** The events a finding cites (Enter opens them: one event's detail, or the list of them). */
  eventIds?: string[];
  /** A finding's name (for the list's label). */
  finding?: string;
  /** Continuation line of a finding (no `·` marker). */
  cont?: boolean;
  /** Index of the section this line belongs to (for section jumps); -1 above the first. */
  section: number;
}

/** Widest a table cell is shown in the TUI (longer values end with …; the export has them whole). */
const CELL_MAX = 60;

/**
 * A run as screen lines: title, facts, then each section as a table at its natural width (cells up to CELL_MAX),
 * for the screen to scroll sideways; `width` only bounds the lineage tree and notes.
 */
export function resultLines(run: InvestigationRun, width: number): ResultLine[] {
  const v = run.view;
  const out: ResultLine[] = [];
  out.push({ text: escapeControl(v.title), style: 'title', section: -1 });
  const w = Math.max(0, ...v.facts.map(([k]) => k.length));
  for (const [k, val] of v.facts) out.push({ text: `${escapeControl(k).padEnd(w)}  ${escapeControl(val)}`, style: 'fact', section: -1 });
  let section = 0;
  if (run.tree) {
    out.push({ text: '', style: 'blank', section });
    out.push({ text: `── ${escapeControl(run.tree.title)}`, style: 'section', section });
    for (const l of run.tree.lines) out.push({ text: escapeControl(l), style: 'tree', section });
    section++;
  }
  for (const s of v.sections) {
    out.push({ text: '', style: 'blank', section });
    out.push({ text: `── ${escapeControl(s.title)} (${s.rows.length})`, style: 'section', section });
    const findings = (run.result as { findings?: InvestigationFinding[] } | null)?.findings;
    if (s.rows.length === 0) {
      out.push({ text: `   ${escapeControl(s.empty ?? 'None.')}`, style: 'note', section });
    } else if (s.title === 'Findings' && Array.isArray(findings) && findings.length === s.rows.length) {
      // Findings are read, not compared: each is a head line and its whole detail wrapped to the width (a table would
      // cut the detail, and sideways scrolling shows only a slice of it).
      findings.forEach((f, i) => {
        const ids = Array.isArray(f.eventIds) ? f.eventIds.filter((x): x is string => typeof x === 'string') : [];
        const cites = ids.length ? { eventIds: ids, finding: f.type } : {};
        const n = ids.length === 0 ? 'no event' : ids.length === 1 ? `event ${ids[0]}` : `${ids.length} events`;
        if (i > 0) out.push({ text: '', style: 'blank', section });
        out.push({ text: `${escapeControl(String(s.rows[i].severity ?? ''))}  ${escapeControl(f.type)}  (${escapeControl(n)})`, style: 'header', section, ...cites });
        for (const l of wrapText(escapeControl(f.message), Math.max(10, width - 4))) out.push({ text: `  ${l}`, style: 'row', section, cont: true, ...cites });
      });
    } else {
      const cut = s.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && v.length > CELL_MAX ? `${v.slice(0, CELL_MAX - 1)}…` : v])));
      const table = renderTable(s.columns, cut, {}).replace(/\n$/, '').split('\n');
      out.push({ text: table[0], style: 'header', section });
      out.push({ text: table[1], style: 'rule', section });
      s.rows.forEach((row, i) => {
        const id = typeof row.eventId === 'string' ? row.eventId : undefined;
        out.push({ text: table[i + 2] ?? '', style: 'row', section, ...(id ? { eventId: id } : {}) });
      });
    }
    section++;
  }
  if (v.notes.length) {
    out.push({ text: '', style: 'blank', section });
    for (const n of v.notes) out.push({ text: escapeControl(n), style: 'note', section });
  }
  return out;
}

export type ExportFormat = 'json' | 'md';

/** The format a file name asks for (.md/.markdown: Markdown, anything else: JSON). */
export function formatOfPath(file: string): ExportFormat {
  return /\.(md|markdown)$/i.test(file) ? 'md' : 'json';
}

/** Whether `file` is inside `dir` (or is it). */
function inside(dir: string, file: string): boolean {
  const rel = path.relative(path.resolve(dir), file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Write a run to a file (relative paths resolve against `cwd`). Refuses paths inside an evidence folder of the case
 * and existing files. Returns the absolute path written.
 */
export function exportRun(db: Db, run: InvestigationRun, file: string, cwd: string): string {
  const name = file.trim();
  if (!name) throw new ExportError('type a file name, e.g. report.json or report.md');
  const target = path.resolve(cwd, name);
  for (const root of evidenceRoots(db)) {
    if (inside(root, target)) throw new ExportError(`${target} is inside the evidence folder ${root}; evidence is read-only: choose another place`);
  }
  if (!fs.existsSync(path.dirname(target))) throw new ExportError(`folder ${path.dirname(target)} does not exist`);
  const body = formatOfPath(target) === 'md' ? renderView(run.view, 'md', 0) : renderJson(run.result);
  try {
    fs.writeFileSync(target, body, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ExportError(`${target} already exists; choose another name`);
    throw new ExportError(`cannot write ${target}: ${(err as Error).message}`);
  }
  return target;
}
