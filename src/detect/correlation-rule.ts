// Reading a Sigma correlation rule (Sigma specification v2, "Sigma Correlation Rules"): the `correlation:` block
// of a document into the CorrelationRule's fields. Evaluation is in correlate.ts.

import { RuleError } from '../model/errors.js';
import type { CorrelationRule, CorrelationType } from './rule.js';

const TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
type Op = (typeof OPS)[number];

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, M: 30 * 86_400_000, y: 365 * 86_400_000 };

/** `10m`, `1h`, `2d` → milliseconds. */
function parseTimespan(text: unknown, path: Array<string | number>): number {
  const m = typeof text === 'string' ? /^(\d+)\s*([smhdwMy])$/.exec(text.trim()) : null;
  if (!m || Number(m[1]) <= 0) throw new RuleError(`timespan must be a positive number with a unit s, m, h, d, w, M or y (e.g. 10m), not ${JSON.stringify(text)}`, { path });
  return Number(m[1]) * UNIT_MS[m[2]];
}

function stringList(v: unknown, path: Array<string | number>, what: string): string[] {
  const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  for (const [i, x] of list.entries()) {
    if (typeof x !== 'string' || !x.trim()) throw new RuleError(`${what} must be a list of names`, { path: [...path, i] });
  }
  return list as string[];
}

type Parsed = Pick<CorrelationRule, 'type' | 'rules' | 'aliases' | 'groupBy' | 'timespanMs' | 'condition' | 'generate'>;

/** The `correlation` block of a document (errors carry the path into the document). */
export function parseCorrelation(block: unknown): Parsed {
  const at = (...p: Array<string | number>) => ['correlation', ...p];
  if (!block || typeof block !== 'object' || Array.isArray(block)) throw new RuleError('correlation must be a mapping', { path: at() });
  const c = block as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    if (!['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate'].includes(k)) {
      throw new RuleError(`unknown correlation key ${JSON.stringify(k)}`, { path: at(k) });
    }
  }
  if (!TYPES.includes(c.type as CorrelationType)) {
    throw new RuleError(`correlation type must be one of ${TYPES.join(', ')}, not ${JSON.stringify(c.type)}`, { path: at('type') });
  }
  const type = c.type as CorrelationType;
  const rules = stringList(c.rules, at('rules'), 'correlation rules');
  if (!rules.length) throw new RuleError('correlation rules must name at least one rule', { path: at('rules') });
  if (type.startsWith('temporal') && rules.length < 2) throw new RuleError(`a ${type} correlation needs at least two rules`, { path: at('rules') });
  const groupBy = stringList(c['group-by'], at('group-by'), 'group-by');
  if (c.timespan === undefined) throw new RuleError('correlation needs a timespan (e.g. 10m)', { path: at() });
  const timespanMs = parseTimespan(c.timespan, at('timespan'));

  const aliases: Record<string, Record<string, string>> = {};
  if (c.aliases !== undefined) {
    if (!c.aliases || typeof c.aliases !== 'object' || Array.isArray(c.aliases)) throw new RuleError('aliases must be a mapping', { path: at('aliases') });
    for (const [alias, map] of Object.entries(c.aliases as Record<string, unknown>)) {
      if (!map || typeof map !== 'object' || Array.isArray(map)) throw new RuleError(`alias ${alias} must map rule names to fields`, { path: at('aliases', alias) });
      aliases[alias] = {};
      for (const [rule, field] of Object.entries(map as Record<string, unknown>)) {
        if (typeof field !== 'string') throw new RuleError(`alias ${alias}: the field for ${rule} must be a field name`, { path: at('aliases', alias, rule) });
        aliases[alias][rule] = field;
      }
    }
  }

  let condition: Parsed['condition'] = null;
  if (type === 'event_count' || type === 'value_count') {
    const cond = c.condition;
    if (!cond || typeof cond !== 'object' || Array.isArray(cond)) throw new RuleError(`a ${type} correlation needs a condition such as {gte: 5}`, { path: at('condition') });
    const entries = Object.entries(cond as Record<string, unknown>);
    const field = (cond as Record<string, unknown>).field;
    const ops = entries.filter(([k]) => k !== 'field');
    if (ops.length !== 1 || !OPS.includes(ops[0][0] as Op)) {
      throw new RuleError(`condition must have exactly one of ${OPS.join(', ')}`, { path: at('condition') });
    }
    const value = Number(ops[0][1]);
    if (!Number.isFinite(value)) throw new RuleError(`condition ${ops[0][0]} must be a number`, { path: at('condition', ops[0][0]) });
    if (type === 'value_count' && (typeof field !== 'string' || !field)) throw new RuleError('a value_count condition names the field whose distinct values are counted (field: …)', { path: at('condition') });
    condition = { op: ops[0][0] as Op, value, ...(typeof field === 'string' ? { field } : {}) };
  } else if (c.condition !== undefined) {
    throw new RuleError(`a ${type} correlation takes no condition`, { path: at('condition') });
  }
  if (c.generate !== undefined && typeof c.generate !== 'boolean') throw new RuleError('generate must be true or false', { path: at('generate') });
  return { type, rules, aliases, groupBy, timespanMs, condition, generate: c.generate === true };
}

/** Does a count satisfy the condition? */
export function conditionHolds(cond: NonNullable<CorrelationRule['condition']>, n: number): boolean {
  switch (cond.op) {
    case 'gt':
      return n > cond.value;
    case 'gte':
      return n >= cond.value;
    case 'lt':
      return n < cond.value;
    case 'lte':
      return n <= cond.value;
    case 'eq':
      return n === cond.value;
    case 'neq':
      return n !== cond.value;
  }
}
