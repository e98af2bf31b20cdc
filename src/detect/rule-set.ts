// The rules a command runs: the shipped packs (rules/ at the repo root) or the folders given, narrowed to the rules
// asked for (with the rules their correlations need), with `%name%` placeholder values.

import { RuleError } from '../model/errors.js';
import { COMPILERS } from './compilers.js';
import { builtinPackDirs, loadRules } from './load.js';
import type { Rule } from './rule.js';
import type { SkippedRule } from '../model/detection.js';

export interface RuleSetOptions {
  /** Folders or files; `builtin` names the shipped packs. Default: the shipped packs. */
  dirs?: readonly string[];
  /** Only these rules (by id or name), plus the rules their correlations use. */
  only?: readonly string[];
  placeholders?: ReadonlyMap<string, readonly string[]>;
}

export interface RuleSet {
  /** The rules to run. */
  rules: Rule[];
  /** Every rule that loaded (before --rule narrowed them). */
  loaded: number;
  skipped: SkippedRule[];
  /** The whole rule set is being run (no --rule): rules no longer in it can be forgotten. */
  complete: boolean;
}

/** `name=a,b,c` (repeatable) → placeholder values. */
export function readPlaceholders(list: readonly string[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new RuleError(`--placeholder: "${item}" is not name=value1,value2`);
    const name = item.slice(0, eq).trim().replace(/^%|%$/g, '');
    out.set(name, [...(out.get(name) ?? []), ...item.slice(eq + 1).split(',').map((v) => v.trim()).filter(Boolean)]);
  }
  return out;
}

export function loadRuleSet(opts: RuleSetOptions = {}): RuleSet {
  const dirs = opts.dirs?.length ? opts.dirs.flatMap((d) => (d === 'builtin' ? builtinPackDirs() : [d])) : builtinPackDirs();
  const { rules, skipped } = loadRules(dirs, { compilers: COMPILERS, placeholders: opts.placeholders });
  if (!opts.only?.length) return { rules, loaded: rules.length, skipped, complete: true };
  const byRef = new Map<string, Rule>();
  for (const r of rules) {
    byRef.set(r.meta.id, r);
    if (r.meta.name) byRef.set(r.meta.name, r);
  }
  const chosen = new Set<Rule>();
  const add = (ref: string) => {
    const r = byRef.get(ref);
    if (!r) {
      const close = [...byRef.keys()].filter((k) => k.toLowerCase().includes(ref.toLowerCase())).slice(0, 5);
      throw new RuleError(`--rule: no loaded rule has id or name "${ref}"${close.length ? `; did you mean ${close.join(', ')}?` : ''} (trailhound rules list shows them)`);
    }
    if (chosen.has(r)) return;
    chosen.add(r);
    if (r.kind === 'correlation') for (const x of r.rules) add(x);
  };
  for (const ref of opts.only) add(ref);
  return { rules: rules.filter((r) => chosen.has(r)), loaded: rules.length, skipped, complete: false };
}
