// trailhound's own rule pack (rules/trailhound): every file loads with nothing skipped, every rule carries the
// metadata a responder relies on (an ATT&CK tag, the author, a level, fields to show), and every example the rules
// ship behaves (detect/examples.ts: single-event rules through their compiled predicate, correlations over the
// matches of the rules they name).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPILERS } from '../../../src/detect/compilers.js';
import { runExamples } from '../../../src/detect/examples.js';
import { loadRules } from '../../../src/detect/load.js';
import type { CorrelationRule, EventRule, Rule } from '../../../src/detect/rule.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const packDir = path.join(repoRoot, 'rules', 'trailhound');

const loaded = loadRules([packDir], { compilers: COMPILERS });
const byRef = new Map<string, Rule>();
for (const r of loaded.rules) {
  byRef.set(r.meta.id, r);
  if (r.meta.name) byRef.set(r.meta.name, r);
}
/** The rules that make findings: correlations, and the event rules no correlation consumes. */
const findingRules = loaded.rules.filter((r) => r.kind === 'correlation' || r.generate);
const correlations = loaded.rules.filter((r): r is CorrelationRule => r.kind === 'correlation');
const eventRules = loaded.rules.filter((r): r is EventRule => r.kind === 'event');

describe('rules/trailhound', () => {
  it('loads every rule of the pack, skipping none', () => {
    expect(loaded.skipped).toEqual([]);
    expect(loaded.rules.every((r) => r.meta.pack === 'trailhound')).toBe(true);
    // One finding-making rule per file; the helpers inside correlation files only feed their correlation.
    expect(findingRules.length).toBe(54);
    expect(correlations.length).toBe(13);
  });

  it('names each file after the id of the rule that makes its findings (rules/trailhound/<area>/<id>.yml)', () => {
    for (const r of findingRules) expect(path.basename(r.meta.location.path), r.meta.id).toBe(`${r.meta.id}.yml`);
    for (const r of loaded.rules) expect(r.meta.id, r.meta.location.path).toMatch(/^th-[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('gives every rule an ATT&CK tactic and technique tag, an author and a status', () => {
    for (const r of loaded.rules) {
      expect(r.meta.tags.some((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t)), `${r.meta.id}: ATT&CK technique tag`).toBe(true);
      expect(r.meta.tags.some((t) => /^attack\.[a-z_]+$/.test(t)), `${r.meta.id}: ATT&CK tactic tag`).toBe(true);
      expect(r.meta.author, `${r.meta.id}: author`).toBeTruthy();
      expect(r.meta.status, `${r.meta.id}: status`).toBeTruthy();
    }
  });

  it('gives every finding-making rule a description, false positives, references and fields to show', () => {
    for (const r of findingRules) {
      expect(r.meta.description, r.meta.id).toBeTruthy();
      expect(r.meta.falsepositives.length, `${r.meta.id}: falsepositives`).toBeGreaterThan(0);
      expect(r.meta.references.length, `${r.meta.id}: references`).toBeGreaterThan(0);
      expect(r.meta.fields.length, `${r.meta.id}: fields`).toBeGreaterThan(0);
      expect(['low', 'medium', 'high', 'critical'], `${r.meta.id}: level`).toContain(r.meta.level);
    }
  });

  it('keeps the helpers of a correlation out of the findings (generate: false)', () => {
    const feeders = new Set(correlations.flatMap((c) => c.rules.map((ref) => byRef.get(ref))));
    for (const r of eventRules) expect(r.generate, r.meta.id).toBe(!feeders.has(r));
  });

  it('ships at least one matching and one non-matching example for every rule', () => {
    for (const r of loaded.rules) {
      expect(r.examples.some((e) => e.expect), `${r.meta.id}: a match example`).toBe(true);
      expect(r.examples.some((e) => !e.expect), `${r.meta.id}: a non-match example`).toBe(true);
    }
  });

  it('credits the original SigmaHQ authors in the rewritten rules and links the original', () => {
    const rewrites = findingRules.filter((r) => r.meta.id.startsWith('th-sigmahq-'));
    expect(rewrites.map((r) => r.meta.id).sort()).toEqual([
      'th-sigmahq-aws-ec2-download-userdata',
      'th-sigmahq-aws-enum-backup',
      'th-sigmahq-aws-enum-listing',
      'th-sigmahq-aws-enum-network',
      'th-sigmahq-aws-enum-storage',
      'th-sigmahq-aws-macic-evasion',
      'th-sigmahq-aws-ses-messaging-enabled',
    ]);
    for (const r of rewrites) {
      expect(r.meta.author, r.meta.id).not.toBe('trailhound');
      expect(r.meta.references.some((u) => u.startsWith('https://github.com/SigmaHQ/sigma/blob/master/unsupported/cloud/')), r.meta.id).toBe(true);
    }
  });

  it('gives every single-event example exactly one event, and every correlation example several', () => {
    for (const r of eventRules) for (const ex of r.examples) expect(ex.records.length, `${r.meta.id}: ${ex.name}`).toBe(1);
    for (const r of correlations) for (const ex of r.examples) expect(ex.records.length, `${r.meta.id}: ${ex.name}`).toBeGreaterThan(1);
  });

  describe('every example behaves', () => {
    for (const res of runExamples(loaded.rules)) {
      it(`${res.ruleId}: ${res.example} (match: ${res.expect})`, () => {
        expect(res.error).toBeUndefined();
        expect(res.got).toBe(res.expect);
      });
    }
  });
});
