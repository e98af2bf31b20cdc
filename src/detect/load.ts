// Loading rule files: folders → YAML documents → rules (Sigma, Sigma correlation, CloudWatch filter pattern),
// with their examples. A rule that cannot be used is skipped with file, line and reason; the others still load.
// Rules are data reviewed like code: the shipped packs live in rules/ at the repo root (docs/detections.md).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLevel, type Level, type RuleDialect, type RuleMeta, type SkippedRule } from '../model/detection.js';
import { RuleError } from '../model/errors.js';
import { parseCorrelation } from './correlation-rule.js';
import type { Predicate } from './predicate.js';
import type { CorrelationRule, EventRule, Rule, RuleExample } from './rule.js';
import { readYamlDocs, type YamlDoc } from './yaml-docs.js';

/** The rule languages' compilers (detect/compilers.ts wires the real ones). */
export interface Compilers {
  sigma(detection: unknown, options: { placeholders?: ReadonlyMap<string, readonly string[]> }): { predicate: Predicate; warnings: string[] };
  cloudwatch(pattern: string): Predicate;
}

export interface LoadOptions {
  compilers: Compilers;
  /** Values for Sigma `%name%` placeholders (`--placeholder name=a,b`). */
  placeholders?: ReadonlyMap<string, readonly string[]>;
}

export interface LoadResult {
  rules: Rule[];
  skipped: SkippedRule[];
  /** Files read (rule files and example files), relative to their folder's parent. */
  files: number;
}

/** The rules/ folder shipped with trailhound (repo root, from src/ or dist/src/). */
function builtinRulesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'rules');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new RuleError('the rules/ folder shipped with trailhound is missing (reinstall trailhound)');
}

const EXAMPLES_SUFFIX = /\.tests\.ya?ml$/i;
const RULE_FILE = /\.ya?ml$/i;

/** Every .yml/.yaml file under a folder (or the file itself), sorted, examples files apart. */
function listFiles(root: string): { rules: string[]; examples: Map<string, string> } {
  const st = fs.statSync(root, { throwIfNoEntry: false });
  if (!st) throw new RuleError(`rules folder ${root} does not exist`);
  const all = st.isDirectory()
    ? (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((d) => d.isFile())
        .map((d) => path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name))
    : [root];
  const rules: string[] = [];
  const examples = new Map<string, string>();
  for (const f of all.sort()) {
    if (EXAMPLES_SUFFIX.test(f)) examples.set(f.replace(EXAMPLES_SUFFIX, ''), f);
    else if (RULE_FILE.test(f)) rules.push(f);
  }
  return { rules, examples };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v : null;
}

function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Sigma's `author` is a string; some packs write a list. */
function author(v: unknown): string | null {
  return Array.isArray(v) ? strList(v).join(', ') || null : str(v);
}

function dialectOf(doc: Record<string, unknown>): RuleDialect | null {
  if (doc.correlation !== undefined) return 'sigma-correlation';
  if (doc.dialect === 'cloudwatch-filter' || doc.filterPattern !== undefined) return 'cloudwatch-filter';
  if (doc.detection !== undefined) return 'sigma';
  return null;
}

function metaOf(doc: Record<string, unknown>, dialect: RuleDialect, pack: string, file: string, line: number): RuleMeta {
  const id = str(doc.id);
  if (!id) throw new RuleError('the rule has no id', { path: [] });
  const title = str(doc.title);
  if (!title) throw new RuleError('the rule has no title', { path: [] });
  const level = doc.level ?? (dialect === 'sigma-correlation' ? 'medium' : undefined);
  if (!isLevel(level)) throw new RuleError(`level must be one of informational, low, medium, high, critical, not ${JSON.stringify(doc.level ?? null)}`, { path: ['level'] });
  return {
    id,
    name: str(doc.name),
    title,
    description: str(doc.description)?.trim() ?? null,
    level: level as Level,
    status: str(doc.status),
    author: author(doc.author),
    tags: strList(doc.tags),
    references: strList(doc.references),
    falsepositives: strList(doc.falsepositives),
    pack,
    dialect,
    location: { path: file, line },
    fields: strList(doc.fields),
  };
}

/** A list of `{name, match, event}` examples (from a rule's `tests:` or an X.tests.yml file). */
function examplesOf(list: unknown, doc: YamlDoc, base: Array<string | number>): RuleExample[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new RuleError('tests must be a list of {name, match, event}', { path: base });
  return list.map((t, i) => {
    const at = [...base, i];
    if (!t || typeof t !== 'object' || Array.isArray(t)) throw new RuleError('each test is {name, match, event}', { path: at });
    const e = t as Record<string, unknown>;
    if (typeof e.match !== 'boolean') throw new RuleError('a test needs match: true or match: false', { path: [...at, 'match'] });
    const isRecord = (x: unknown) => !!x && typeof x === 'object' && !Array.isArray(x);
    const events = e.events !== undefined ? e.events : e.event !== undefined ? [e.event] : undefined;
    if (!Array.isArray(events) || !events.length || !events.every(isRecord)) {
      throw new RuleError('a test needs an event (a CloudTrail record), or events (a list of records, for a correlation)', { path: [...at, e.events !== undefined ? 'events' : 'event'] });
    }
    return { name: str(e.name) ?? `example ${i + 1}`, expect: e.match, records: events as Array<Record<string, unknown>>, line: doc.lineOf(at) };
  });
}

function hashOf(text: string, extra: unknown): string {
  return crypto.createHash('sha256').update(text).update('\0').update(JSON.stringify(extra ?? null)).digest('hex');
}

const SKIP_STATUS = new Set(['unsupported', 'deprecated']);
/** Reasons that are not problems with a rule (SkippedRule.optional). */
const OPTIONAL = /^(unresolved placeholder |status (unsupported|deprecated): )/;

/** One document → a rule, or null when it is not a rule document (a bare list, a YAML anchor-only doc). */
function ruleOf(doc: YamlDoc, file: string, pack: string, opts: LoadOptions): Rule | null {
  const v = doc.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const d = v as Record<string, unknown>;
  const dialect = dialectOf(d);
  if (!dialect) throw new RuleError('not a rule: a rule has a detection (Sigma), a correlation (Sigma correlation) or a filterPattern (CloudWatch)', { path: [] });
  const meta = metaOf(d, dialect, pack, file, doc.line);
  if (meta.status && SKIP_STATUS.has(meta.status)) throw new RuleError(`status ${meta.status}: not run`, { path: ['status'] });
  const examples = examplesOf((doc.plain as Record<string, unknown>).tests, doc, ['tests']);
  if (dialect === 'sigma-correlation') {
    const c = parseCorrelation(d.correlation);
    const rule: CorrelationRule = { kind: 'correlation', meta, ...c, examples, warnings: [], hash: hashOf(doc.text, null) };
    return rule;
  }
  if (dialect === 'cloudwatch-filter') {
    const pattern = d.filterPattern;
    if (typeof pattern !== 'string' || !pattern.trim()) throw new RuleError('filterPattern must be the CloudWatch filter pattern text', { path: ['filterPattern'] });
    let predicate: Predicate;
    try {
      predicate = opts.compilers.cloudwatch(pattern);
    } catch (e) {
      if (e instanceof RuleError) throw new RuleError(`filterPattern: ${e.message}`, { path: ['filterPattern'], offset: e.at.offset });
      throw e;
    }
    const rule: EventRule = { kind: 'event', meta, predicate, examples, warnings: [], hash: hashOf(doc.text, null), generate: true };
    return rule;
  }
  const ls = d.logsource as Record<string, unknown> | undefined;
  if (!ls || typeof ls !== 'object' || ls.product !== 'aws' || ls.service !== 'cloudtrail') {
    throw new RuleError(`logsource is not {product: aws, service: cloudtrail} (${JSON.stringify(ls ?? null)}): trailhound reads CloudTrail only`, { path: ['logsource'] });
  }
  const { predicate, warnings } = opts.compilers.sigma(d.detection, { placeholders: opts.placeholders });
  const used = usedPlaceholders(d.detection, opts.placeholders);
  const rule: EventRule = { kind: 'event', meta, predicate, examples, warnings, hash: hashOf(doc.text, used), generate: true };
  return rule;
}

/** The placeholder values a detection uses (they are part of its hash: other values, other matches). */
function usedPlaceholders(detection: unknown, placeholders: ReadonlyMap<string, readonly string[]> | undefined): Record<string, readonly string[]> | null {
  if (!placeholders?.size) return null;
  const text = JSON.stringify(detection);
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of placeholders) if (text.includes(`%${k}%`)) out[k] = v;
  return Object.keys(out).length ? out : null;
}

/** The pack name of a rules folder: its own name (rules/sigma → sigma); a single file: its folder's name. */
function packName(root: string): string {
  const st = fs.statSync(root, { throwIfNoEntry: false });
  return path.basename(st?.isDirectory() ? path.resolve(root) : path.dirname(path.resolve(root)));
}

/** The shipped packs: each folder of rules/ (sigma, cis, trailhound) is one pack. */
export function builtinPackDirs(): string[] {
  const root = builtinRulesDir();
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
}

/** Loads every rule under the given folders or files (each folder is one pack, named after it). */
export function loadRules(roots: readonly string[], opts: LoadOptions): LoadResult {
  const rules: Rule[] = [];
  const skipped: SkippedRule[] = [];
  const seen = new Map<string, string>();
  let files = 0;
  for (const root of roots) {
    const pack = packName(root);
    const { rules: ruleFiles, examples } = listFiles(root);
    for (const file of ruleFiles) {
      files++;
      const shown = path.relative(process.cwd(), file) || file;
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        skipped.push({ path: shown, line: null, id: null, reason: `cannot read: ${(e as Error).message}`, optional: false });
        continue;
      }
      const parsed = readYamlDocs(text);
      for (const err of parsed.errors) skipped.push({ path: shown, line: err.line, id: null, reason: `YAML: ${err.message}`, optional: false });
      const fileRules: Rule[] = [];
      for (const doc of parsed.docs) {
        const id = (doc.value as { id?: unknown } | null)?.id;
        try {
          const rule = ruleOf(doc, shown, pack, opts);
          if (!rule) continue;
          const first = seen.get(rule.meta.id);
          if (first) {
            skipped.push({ path: shown, line: doc.line, id: rule.meta.id, reason: `duplicate rule id (first loaded from ${first})`, optional: false });
            continue;
          }
          seen.set(rule.meta.id, `${shown}:${doc.line}`);
          fileRules.push(rule);
        } catch (e) {
          // A rule never stops the others: anything it throws (a RuleError, or a parser's own limit such as a
          // stack overflow on absurd nesting) skips it with the reason.
          const line = e instanceof RuleError && e.at.path ? doc.lineOf(e.at.path) : doc.line;
          const reason = e instanceof RuleError ? e.message : `cannot be read: ${(e as Error).message}`;
          skipped.push({ path: shown, line, id: typeof id === 'string' ? id : null, reason, optional: e instanceof RuleError && OPTIONAL.test(reason) });
        }
      }
      const exFile = examples.get(file.replace(RULE_FILE, ''));
      if (exFile && fileRules.length) {
        files++;
        attachExamples(exFile, fileRules, skipped);
      }
      rules.push(...fileRules);
    }
  }
  markFeeders(rules, skipped);
  return { rules, skipped, files };
}

/** X.tests.yml beside X.yml: a list of examples for the (first) rule of X.yml. */
function attachExamples(file: string, rules: Rule[], skipped: SkippedRule[]): void {
  const shown = path.relative(process.cwd(), file) || file;
  const parsed = readYamlDocs(fs.readFileSync(file, 'utf8'));
  for (const err of parsed.errors) skipped.push({ path: shown, line: err.line, id: rules[0].meta.id, reason: `YAML: ${err.message}`, optional: false });
  for (const doc of parsed.docs) {
    try {
      const list = Array.isArray(doc.plain) ? doc.plain : (doc.plain as { tests?: unknown } | null)?.tests;
      const base = Array.isArray(doc.plain) ? [] : ['tests'];
      rules[0].examples.push(...examplesOf(list, doc, base).map((e) => ({ ...e, name: `${e.name} (${path.basename(file)}:${e.line})` })));
    } catch (e) {
      const line = e instanceof RuleError && e.at.path ? doc.lineOf(e.at.path) : doc.line;
      skipped.push({ path: shown, line, id: rules[0].meta.id, reason: `examples: ${(e as Error).message}`, optional: false });
    }
  }
}

/**
 * Correlations refer to rules by id or name. A referenced rule makes no findings of its own unless some correlation
 * that uses it says `generate: true`; a correlation whose rules are missing is skipped.
 */
function markFeeders(rules: Rule[], skipped: SkippedRule[]): void {
  const byRef = new Map<string, Rule>();
  for (const r of rules) {
    byRef.set(r.meta.id, r);
    if (r.meta.name) byRef.set(r.meta.name, r);
  }
  const generate = new Map<Rule, boolean>();
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i];
    if (r.kind !== 'correlation') continue;
    const missing = r.rules.filter((ref) => !byRef.has(ref));
    const chained = r.rules.filter((ref) => byRef.get(ref)?.kind === 'correlation');
    if (missing.length || chained.length) {
      const reason = missing.length
        ? `correlation refers to rules that are not loaded: ${missing.join(', ')}`
        : `correlation refers to other correlations (${chained.join(', ')}): trailhound correlates event rules only`;
      skipped.push({ path: r.meta.location.path, line: r.meta.location.line, id: r.meta.id, reason, optional: false });
      rules.splice(i, 1);
      continue;
    }
    for (const ref of r.rules) {
      const base = byRef.get(ref)!;
      generate.set(base, (generate.get(base) ?? false) || r.generate);
    }
  }
  for (const [base, gen] of generate) base.generate = gen;
}
