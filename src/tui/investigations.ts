// The investigations as the TUI offers them: the same entry functions and views the `investigate` command uses,
// laid out as screen lines (sections, tables fitted to the width, an access-key lineage tree), and exported to JSON
// or Markdown files the user names. Exports never go inside an evidence folder.

import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../index/open.js';
import { evidenceRoots } from '../index/tui-queries.js';
import { escapeControl } from '../model/escape.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { investigateAccessKey, checkAccessKeyId, type AccessKeyReport } from '../scenarios/access-key.js';
import { investigateInstance, checkInstanceId } from '../scenarios/instance.js';
import { investigateAllSecurityGroups, investigateSecurityGroup, checkGroupId } from '../scenarios/security-group.js';
import { investigateIam } from '../scenarios/iam.js';
import { investigateConsoleLogins } from '../scenarios/console-logins.js';
import { accessKeyView, allGroupsView, consoleLoginsView, iamView, instanceView, securityGroupView, type ReportView } from '../scenarios/views.js';
// eslint-disable-next-line no-restricted-imports -- issue 10: layering violation removed by the engineer rewriting this file; the integrator deletes this line after merge
import { renderView } from '../cli/commands/investigate.js';
import { isoInZone } from '../model/time.js';
import { loadBuiltinScenarios } from '../scenarios/builtin.js';
import { bindParameters, runSqlScenario, type SqlScenario } from '../scenarios/registry.js';
import { sqlScenarioView } from '../scenarios/views.js';
import type { InvestigationFinding } from '../scenarios/common.js';
import { ExportError } from '../model/errors.js';
import { wrapText } from './wrap.js';

export type InvestigationKind = 'access-key' | 'instance' | 'security-group' | 'iam' | 'console-logins';

export interface InvestigationSpec {
  kind: InvestigationKind;
  title: string;
  /** The parameter asked for, or null when there is none. */
  param: { label: string; required: boolean; example: string } | null;
}

export const INVESTIGATIONS: readonly InvestigationSpec[] = [
  { kind: 'access-key', title: 'Access key: owner, credential lineage, every event, anomalies', param: { label: 'Access key ID', required: true, example: 'AKIA… or ASIA…' } },
  { kind: 'instance', title: 'Instance history: who launched, stopped, terminated it', param: { label: 'Instance ID', required: true, example: 'i-…' } },
  { kind: 'security-group', title: 'Security-group rule changes with rule diffs', param: { label: 'Security group ID (empty: every group)', required: false, example: 'sg-…' } },
  { kind: 'iam', title: 'IAM changes: policies, trust, admin grants, backdoor users', param: { label: 'Principal (empty: all)', required: false, example: 'user or role name, or ARN' } },
  { kind: 'console-logins', title: 'Console sign-ins: failures, root, no MFA, new IPs', param: null },
];

export interface InvestigationRun {
  /** A built-in investigation, or `query`: a named query from scenarios/*.yaml (`investigate run`). */
  kind: InvestigationKind | 'query';
  param: string;
  /** What the breadcrumbs call it (`access-key AKIA…`, `errors.access-denied`). */
  label: string;
  /** The result object, exactly what `investigate … --format json` prints. */
  result: unknown;
  view: ReportView;
  /** Suggested export file name (without extension). */
  baseName: string;
  ms: number;
}

/** Run an investigation over the whole case (`now`: the time response commands are dated). Input errors (malformed IDs) throw InvestigationInputError. */
export function runInvestigation(db: Db, kind: InvestigationKind, rawParam: string, tz: string, now?: number): InvestigationRun {
  const param = rawParam.trim();
  const opts = { tz, filter: {}, ...(now !== undefined ? { now } : {}) };
  const t0 = performance.now();
  let result: unknown;
  let view: ReportView;
  switch (kind) {
    case 'access-key': {
      checkAccessKeyId(param);
      const r = investigateAccessKey(db, param, opts);
      result = r;
      // Every event: the screen scrolls, so nothing needs leaving out (the CLI's table shows the suspect window).
      view = accessKeyView(r, tz, { allEvents: true });
      break;
    }
    case 'instance': {
      checkInstanceId(param);
      const r = investigateInstance(db, param, opts);
      result = r;
      view = instanceView(r, tz);
      break;
    }
    case 'security-group': {
      if (param) {
        checkGroupId(param);
        const r = investigateSecurityGroup(db, param, { ...opts, at: null });
        result = r;
        view = securityGroupView(r, tz);
      } else {
        const r = investigateAllSecurityGroups(db, { ...opts, at: null });
        result = r;
        view = allGroupsView(r, tz);
      }
      break;
    }
    case 'iam': {
      const r = investigateIam(db, { ...opts, principal: param || null });
      result = r;
      view = iamView(r, tz);
      break;
    }
    case 'console-logins': {
      const r = investigateConsoleLogins(db, opts);
      result = r;
      view = consoleLoginsView(r, tz);
      break;
    }
  }
  const safe = param.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return { kind, param, label: `${kind}${param ? ` ${param}` : ''}`, result, view, baseName: `trailhound-${kind}${safe ? `-${safe}` : ''}`, ms: performance.now() - t0 };
}

/** The named queries of scenarios/*.yaml (the ones `trailhound investigate run` runs), by id. */
export function namedQueries(): SqlScenario[] {
  return loadBuiltinScenarios().filter((s): s is SqlScenario => s.kind === 'sql');
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
  return { kind: 'query', param, label: s.id, result, view, baseName: `trailhound-${s.id}${safe ? `-${safe}` : ''}`, ms: performance.now() - t0 };
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

/** The credential lineage of an access-key report as a tree (├─ └─), children under the key that minted them. */
export function lineageTree(r: AccessKeyReport, tz: string): string[] {
  type Node = { key: string; label: string };
  const kids = new Map<string, Node[]>();
  const add = (parent: string, n: Node): void => {
    const list = kids.get(parent) ?? [];
    list.push(n);
    kids.set(parent, list);
  };
  const when = (iso: string | null): string => (iso ? (Number.isNaN(Date.parse(iso)) ? iso : isoInZone(Date.parse(iso), tz)) : '?');
  for (const d of r.derivedCredentials) {
    const who = d.sessionArn ?? d.roleArn ?? (d.via === 'GetSessionToken' ? `a session of ${r.owner?.arn ?? r.owner?.userName ?? 'the owner'}` : '?');
    add(d.parentAccessKeyId, { key: d.accessKeyId, label: `${d.accessKeyId}  ${d.via ?? '?'} → ${who}${d.crossAccount ? ' (cross-account)' : ''}  ${d.eventCount} events  ${when(d.eventTime)}` });
  }
  for (const c of r.createdAccessKeys) {
    add(c.parentAccessKeyId, { key: c.accessKeyId, label: `${c.accessKeyId}  CreateAccessKey for user ${c.userName ?? '?'} (persistence)  ${c.eventCount} events  ${when(c.eventTime)}` });
  }
  const owner = r.owner ? `  owner ${r.owner.arn ?? r.owner.userName ?? '?'}` : '';
  const lines = [`${r.accessKeyId} (${r.keyType})${owner}`];
  const seen = new Set<string>([r.accessKeyId]);
  const walk = (key: string, prefix: string): void => {
    const list = kids.get(key) ?? [];
    list.forEach((n, i) => {
      const last = i === list.length - 1;
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${n.label}`);
      if (seen.has(n.key)) return;
      seen.add(n.key);
      walk(n.key, `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(r.accessKeyId, '');
  if (lines.length === 1) lines.push('└─ (minted and created no credentials in the evidence)');
  if (r.lineageTruncated) lines.push('   … lineage truncated (too deep)');
  return lines;
}

/** Widest a table cell is shown in the TUI (longer values end with …; the export has them whole). */
export const CELL_MAX = 60;

/**
 * A run as screen lines: title, facts, then each section as a table at its natural width (cells up to CELL_MAX),
 * for the screen to scroll sideways; `width` only bounds the lineage tree and notes.
 */
export function resultLines(run: InvestigationRun, width: number, tz: string): ResultLine[] {
  const v = run.view;
  const out: ResultLine[] = [];
  out.push({ text: escapeControl(v.title), style: 'title', section: -1 });
  const w = Math.max(0, ...v.facts.map(([k]) => k.length));
  for (const [k, val] of v.facts) out.push({ text: `${escapeControl(k).padEnd(w)}  ${escapeControl(val)}`, style: 'fact', section: -1 });
  let section = 0;
  if (run.kind === 'access-key' && (run.result as AccessKeyReport).found) {
    out.push({ text: '', style: 'blank', section });
    out.push({ text: '── Credential lineage (tree)', style: 'section', section });
    for (const l of lineageTree(run.result as AccessKeyReport, tz)) out.push({ text: escapeControl(l), style: 'tree', section });
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
