// The scenario registry: named, parameterised investigations. Simple ones are data — YAML files in scenarios/ at the
// repo root, each an SQL query with :named parameters (Datasette canned queries) — and the ones that need code
// register here through the same interface, as descriptors (descriptor.ts; the shipped ones: builtin.ts).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Db } from '../index/open.js';
import { namedParams, runScenarioSql } from '../index/named-query.js';
import { parseTime } from '../model/time.js';
import { InvestigationInputError, ScenarioDefinitionError, TimeFormatError } from '../model/errors.js';
import type { Investigation, ParameterType, ScenarioParameter } from './descriptor.js';

export interface ScenarioColumn {
  name: string;
  description: string;
}

/** A YAML named query (scenarios/*.yaml), run by `investigate run <id>`. */
export interface SqlScenario {
  kind: 'sql';
  id: string;
  title: string;
  description: string;
  parameters: ScenarioParameter[];
  sql: string;
  columns: ScenarioColumn[];
  /** The YAML file it came from. */
  file: string;
}

/** A YAML named query or a code investigation. */
export type Scenario = SqlScenario | Investigation;

const registry = new Map<string, Scenario>();

export function registerScenario(s: Scenario): void {
  if (registry.has(s.id)) throw new ScenarioDefinitionError(`scenario id "${s.id}" is registered twice (${describeOrigin(registry.get(s.id)!)} and ${describeOrigin(s)})`);
  registry.set(s.id, s);
}

function describeOrigin(s: Scenario): string {
  return s.kind === 'sql' ? s.file : `built-in ${s.command}`;
}

/** Every scenario, by id. */
export function listScenarios(): Scenario[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The code investigations in the order they were registered (the order of the TUI menu and of the help). */
export function listInvestigations(): Investigation[] {
  return [...registry.values()].filter((s): s is Investigation => s.kind === 'code');
}

/** A scenario as `investigate list --format json` prints it: its registry fields, without code or surfaces. */
export function scenarioEntry(s: Scenario): Record<string, unknown> {
  if (s.kind === 'sql') return s as unknown as Record<string, unknown>;
  const parameters = s.parameters
    .filter((p) => !p.cliOnly)
    .map((p) => ({ name: p.name, type: p.type, description: p.description, required: p.required, default: p.default, pattern: p.pattern }));
  return { kind: s.kind, id: s.id, command: s.command, title: s.title, description: s.description, parameters };
}

export function getScenario(id: string): Scenario {
  const s = registry.get(id);
  if (!s) {
    throw new InvestigationInputError(`unknown scenario "${id}"; known scenarios: ${listScenarios().map((x) => x.id).join(', ')}`);
  }
  return s;
}

/** The scenarios/ folder shipped with trailhound (repo root, from src/ or dist/src/). */
export function builtinScenarioDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'scenarios');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new ScenarioDefinitionError('the scenarios/ folder shipped with trailhound is missing (reinstall trailhound)');
}

const ID_RE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
const TYPES: readonly ParameterType[] = ['string', 'integer', 'number', 'boolean', 'time'];

/** Parse and check one YAML scenario. Messages name the file and the field. */
export function parseScenarioYaml(text: string, file: string): SqlScenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ScenarioDefinitionError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const o = doc as Record<string, unknown>;
  const fail = (msg: string): never => {
    throw new ScenarioDefinitionError(`${file}: ${msg}`);
  };
  if (!o || typeof o !== 'object' || Array.isArray(o)) fail('expected a mapping with id, title, description, parameters, sql and columns');
  const known = new Set(['id', 'title', 'description', 'parameters', 'sql', 'columns']);
  for (const k of Object.keys(o)) if (!known.has(k)) fail(`unknown field "${k}"; allowed: ${[...known].join(', ')}`);
  const str = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || !v.trim()) fail(`"${k}" must be a non-empty string`);
    return (v as string).trim();
  };
  const id = str('id');
  if (!ID_RE.test(id)) fail(`id "${id}" must be dotted lower-case words, e.g. iam.root-activity`);
  const expectedFile = `${id}.yaml`;
  if (path.basename(file) !== expectedFile) fail(`the file of scenario "${id}" must be named ${expectedFile}`);
  const sql = str('sql');
  const parameters: ScenarioParameter[] = [];
  const rawParams = o.parameters ?? {};
  if (typeof rawParams !== 'object' || Array.isArray(rawParams)) fail('"parameters" must be a mapping of name to {type, description, default, required, pattern}');
  for (const [name, spec] of Object.entries(rawParams as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`parameter name "${name}" must be a letter or _ followed by letters, digits or _`);
    const p = (spec ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(p)) if (!['type', 'description', 'default', 'required', 'pattern'].includes(k)) fail(`parameter ${name}: unknown field "${k}"; allowed: type, description, default, required, pattern`);
    const type = (p.type ?? 'string') as ParameterType;
    if (!TYPES.includes(type)) fail(`parameter ${name}: unknown type "${String(p.type)}"; allowed: ${TYPES.join(', ')}`);
    if (typeof p.description !== 'string' || !p.description) fail(`parameter ${name}: "description" is required`);
    const def = p.default ?? null;
    if (def !== null && !['string', 'number', 'boolean'].includes(typeof def)) fail(`parameter ${name}: "default" must be a scalar`);
    parameters.push({
      name,
      type,
      description: p.description as string,
      required: p.required === true,
      default: def as ScenarioParameter['default'],
      pattern: typeof p.pattern === 'string' ? p.pattern : null,
    });
  }
  const used = namedParams(sql);
  for (const u of used) if (!parameters.some((p) => p.name === u)) fail(`sql uses :${u}, which "parameters" does not declare`);
  for (const p of parameters) if (!used.includes(p.name)) fail(`parameter ${p.name} is declared but the sql never uses :${p.name}`);
  if (!/^\s*(SELECT|WITH)\b/i.test(sql)) fail('sql must be one SELECT (or WITH ... SELECT) statement: scenarios only read the case');
  const columns: ScenarioColumn[] = [];
  if (!Array.isArray(o.columns) || o.columns.length === 0) fail('"columns" must list the result columns, each {name, description}');
  for (const c of o.columns as unknown[]) {
    const cc = c as Record<string, unknown>;
    if (!cc || typeof cc.name !== 'string' || typeof cc.description !== 'string') fail('each column needs a name and a description');
    columns.push({ name: cc.name as string, description: cc.description as string });
  }
  return { kind: 'sql', id, title: str('title'), description: str('description'), parameters, sql, columns, file };
}

/** Load every *.yaml in a folder into the registry; returns the scenarios loaded. */
export function loadScenarioDir(dir: string): SqlScenario[] {
  const out: SqlScenario[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.yaml') && !name.endsWith('.yml')) continue;
    const file = path.join(dir, name);
    const s = parseScenarioYaml(fs.readFileSync(file, 'utf8'), file);
    registerScenario(s);
    out.push(s);
  }
  return out;
}

/** Turn raw `name=value` strings into typed parameter values; unknown names and bad values are input errors. */
export function bindParameters(s: Scenario, raw: Record<string, string>, options: { tz?: string; now?: number } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    if (!s.parameters.some((p) => p.name === k)) {
      throw new InvestigationInputError(`scenario ${s.id} has no parameter "${k}"; its parameters: ${s.parameters.map((p) => p.name).join(', ') || '(none)'}`);
    }
  }
  for (const p of s.parameters) {
    const given = raw[p.name];
    const value: string | number | boolean | null = given !== undefined ? given : p.default;
    if (value === null || value === undefined) {
      if (p.required) throw new InvestigationInputError(`scenario ${s.id} needs parameter ${p.name} (${p.type}): ${p.description}`);
      out[p.name] = null;
      continue;
    }
    const text = String(value);
    const bad = (why: string): never => {
      throw new InvestigationInputError(`parameter ${p.name} of ${s.id}: "${text}" ${why}`);
    };
    switch (p.type) {
      case 'integer':
        if (!/^-?\d+$/.test(text)) bad('is not a whole number');
        out[p.name] = Number(text);
        break;
      case 'number':
        if (!Number.isFinite(Number(text)) || text.trim() === '') bad('is not a number');
        out[p.name] = Number(text);
        break;
      case 'boolean':
        if (!/^(true|false|1|0|yes|no)$/i.test(text)) bad('is not true or false');
        out[p.name] = /^(true|1|yes)$/i.test(text);
        break;
      case 'time':
        try {
          out[p.name] = parseTime(text, { tz: options.tz, now: options.now });
        } catch (err) {
          if (err instanceof TimeFormatError) bad(err.message);
          throw err;
        }
        break;
      default:
        if (p.pattern && !new RegExp(p.pattern).test(text)) bad(`does not match the expected form ${p.pattern}`);
        out[p.name] = text;
    }
  }
  return out;
}

export interface SqlScenarioResult {
  scenario: string;
  title: string;
  parameters: Record<string, unknown>;
  columns: ScenarioColumn[];
  rows: Record<string, unknown>[];
}

export function runSqlScenario(db: Db, s: SqlScenario, params: Record<string, unknown>): SqlScenarioResult {
  return { scenario: s.id, title: s.title, parameters: params, columns: s.columns, rows: runScenarioSql(db, s.sql, params) };
}
