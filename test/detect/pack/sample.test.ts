// trailhound's pack over the committed sample: every attack the generator planted for a rule
// (ground-truth.json incidents.attackPack.detections) comes back as a finding of that rule holding the planted events,
// with the planted outcome (succeeded, failed or mixed); every rule of the pack has an attack planted or says why it
// cannot; and no high or critical finding is made of background noise alone.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPILERS } from '../../../src/detect/compilers.js';
import { loadRules } from '../../../src/detect/load.js';
import { runDetect } from '../../../src/detect/run.js';
import { readFindings } from '../../../src/index/detections.js';
import { openCase } from '../../../src/index/open.js';
import type { Level } from '../../../src/model/detection.js';
import { copyCase } from '../../helpers/cases.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const truth = JSON.parse(fs.readFileSync(path.join(repoRoot, 'fixtures/sample/ground-truth.json'), 'utf8'));
const planted = truth.incidents.attackPack as {
  detections: Array<{ ruleId: string; outcome: string; eventIds: string[] }>;
  notPlanted: Array<{ ruleId: string; reason: string }>;
};
const pack = loadRules([path.join(repoRoot, 'rules', 'trailhound')], { compilers: COMPILERS });

interface Found {
  ruleId: string;
  level: Level;
  outcome: string;
  eventIds: string[];
}
let findings: Found[] = [];

beforeAll(() => {
  const db = openCase(copyCase('sample'));
  try {
    runDetect(db, pack.rules, { toolVersion: 'test' });
    findings = readFindings(db).map(({ finding, eventIds }) => ({ ruleId: finding.ruleId, level: finding.level, outcome: finding.outcome, eventIds }));
  } finally {
    db.close();
  }
});

describe('rules/trailhound on the committed sample', () => {
  it('has an attack planted for every rule that makes findings, or a reason why not', () => {
    const ruleIds = pack.rules.filter((r) => r.kind === 'correlation' || r.generate).map((r) => r.meta.id);
    const covered = new Set([...planted.detections.map((d) => d.ruleId), ...planted.notPlanted.map((n) => n.ruleId)]);
    expect(ruleIds.filter((id) => !covered.has(id))).toEqual([]);
    for (const n of planted.notPlanted) expect(n.reason.length, n.ruleId).toBeGreaterThan(20);
    expect(new Set(planted.detections.map((d) => d.outcome))).toEqual(new Set(['succeeded', 'failed', 'mixed']));
  });

  for (const d of planted.detections) {
    it(`${d.ruleId}: finds the planted attack (${d.outcome}, ${d.eventIds.length} events)`, () => {
      const mine = findings.filter((f) => f.ruleId === d.ruleId && d.eventIds.every((id) => f.eventIds.includes(id)));
      expect(mine.map((f) => f.outcome), `findings of ${d.ruleId} holding the planted events`).toContain(d.outcome);
    });
  }

  it('makes no high or critical finding out of background noise alone', () => {
    // Every event id the ground truth names belongs to a planted incident (of this pack or the older stories).
    const incidentIds = new Set(JSON.stringify(truth.incidents).match(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g));
    const noiseOnly = findings.filter((f) => (f.level === 'high' || f.level === 'critical') && !f.eventIds.some((id) => incidentIds.has(id)));
    expect(noiseOnly.map((f) => `${f.ruleId} ${f.eventIds.slice(0, 3).join(',')}`)).toEqual([]);
  });
});
