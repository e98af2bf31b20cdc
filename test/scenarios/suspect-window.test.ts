// The suspect window on generated evidence (fixtures/sample, the shared case): the CI key with two corporate
// addresses and late-starting evidence (incidents.ciPipelineKey), the attack pack's CI key with no legitimate history
// (incidents.attackPack.leakedKey) and m.keller's stolen key (incidents.stolenAccessKey). Expectations come from the
// ground truth.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAccessKey, type AccessKeyReport } from '../../src/scenarios/access-key.js';
import type { InvestigationOptions } from '../../src/scenarios/common.js';
import { sharedCase } from '../helpers/cases.js';
import { sampleDir } from '../helpers/paths.js';

const inc = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8')).incidents;
const opts: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 1, 20) };

let db: Db;
beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
});
afterAll(() => db?.close());

describe('a CI key used from two corporate addresses, the second from day 2, then stolen', () => {
  const k = inc.ciPipelineKey;
  let r: AccessKeyReport;
  beforeAll(() => {
    r = investigateAccessKey(db, k.accessKeyId, opts);
  });

  it("starts the window at the attack's first event, not at the second corporate address", () => {
    expect(r.firstSeen! < k.secondCorporateIpFirstSeen).toBe(true);
    expect(r.suspectWindow).toMatchObject({ source: 'first-anomaly', firstAnomalyEventId: k.firstAttackEventId, start: k.attackStart, end: k.attackEnd, confidence: 'high' });
    expect(r.suspectWindow.reasons[0]).toBe(`source IP ${k.attackIps[0]} not seen on the owner's last ${r.baseline.activeDays} active days`);
    expect(r.findings.find((f) => f.type === 'first-anomaly')).toMatchObject({ severity: 'high', eventIds: [k.firstAttackEventId] });
  });

  it('keeps both corporate addresses known and out of the window, though they are used after it', () => {
    for (const ip of k.corporateIps) {
      expect(r.sourceIps.find((s) => s.ip === ip)).toMatchObject({ new: false });
      expect(r.events.filter((e) => e.sourceIPAddress === ip && e.inSuspectWindow)).toEqual([]);
    }
    expect(r.sourceIps.find((s) => s.ip === k.corporateIps[1])!.lastSeen! > k.attackEnd).toBe(true);
    expect(r.newSourceIps).toEqual(k.attackIps);
    expect(r.newRegions).toEqual([k.attackRegion]);
  });

  it('rests on a usable baseline and says so', () => {
    expect(r.baseline).toMatchObject({ strength: 'usable', activeDays: 3, end: expect.any(String) });
    expect(r.baseline.summary).toMatch(/^\d+ events over [\d.]+ days on 3 active days before the suspect window$/);
  });

  it('splits the two denied techniques into two bursts', () => {
    expect(r.accessDeniedBursts.map((b) => [b.family, b.eventIds])).toEqual([
      ['discovery', k.accessDeniedEventIds],
      ['iam.amazonaws.com changes', k.deniedPersistenceEventIds],
    ]);
    expect(r.findings.filter((f) => f.type === 'access-denied-burst').map((f) => f.eventIds)).toEqual([k.accessDeniedEventIds, k.deniedPersistenceEventIds]);
  });

  it('lists user agents by family, with the count of per-run variants', () => {
    const ci = r.userAgents.find((u) => u.value === k.ciUserAgentFamily);
    expect(ci).toMatchObject({ variants: k.ciUserAgentVariants, new: false });
    expect(ci!.variants).toBeGreaterThan(50);
    expect(r.userAgents).toHaveLength(2);
    expect(r.userAgents.find((u) => u !== ci)).toMatchObject({ variants: 1, new: true });
  });
});

describe('a key with no legitimate history (the attack pack CI key)', () => {
  const k = inc.attackPack.leakedKey;
  let r: AccessKeyReport;
  beforeAll(() => {
    r = investigateAccessKey(db, k.accessKeyId, opts);
  });

  it('says the baseline is too thin and raises nothing to high from it', () => {
    expect(r.baseline.strength).not.toBe('usable');
    expect(r.baseline.summary).toMatch(/^too thin: /);
    expect(r.suspectWindow).toMatchObject({ source: 'thin-baseline', firstAnomalyEventId: null, confidence: 'low', start: r.firstSeen });
    expect(r.suspectWindow.reasons[0]).toMatch(/^baseline too thin to tell usual from unusual: /);
    expect(r.findings.filter((f) => f.type === 'first-anomaly')).toEqual([]);
    expect(r.findings.filter((f) => f.type === 'thin-baseline')).toEqual([expect.objectContaining({ severity: 'low' })]);
    expect(r.findings.filter((f) => f.type === 'outside-usual-hours')).toEqual([]);
  });

  it('marks nothing new against it, and keeps the attack in the window', () => {
    expect(r.events.every((e) => e.new == null)).toBe(true);
    expect(r.sourceIps.every((s) => s.new === null)).toBe(true);
    expect(r.newSourceIps).toEqual([]);
    for (const ip of k.ips) expect(r.suspectWindow.reasons.some((x) => x.startsWith(`${ip}: `)), ip).toBe(true);
    expect(r.events.filter((e) => e.credential === 'investigated' && !e.inSuspectWindow)).toEqual([]);
  });
});

describe("m.keller's stolen key", () => {
  it('still starts the window exactly at the first malicious event, with high confidence', () => {
    const k = inc.stolenAccessKey;
    const r = investigateAccessKey(db, k.accessKeyId, opts);
    expect(r.suspectWindow).toMatchObject({ source: 'first-anomaly', firstAnomalyEventId: k.firstMaliciousEventId, start: k.attackStart, end: k.attackEnd, confidence: 'high' });
    expect(r.baseline.strength).toBe('usable');
  });
});
