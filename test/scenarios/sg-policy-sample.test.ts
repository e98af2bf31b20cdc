// Issue 12 items 3 and 6 on the committed sample (fixtures/sample): world-open rules however the CIDR is written,
// prefix lists and referenced groups named, rule ids from responses and revokes by id; trust-policy updates compared
// by meaning. Every id and value comes from ground-truth.json (securityGroups.shapes, iamChanges.trustPolicyShapes).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Db } from '../../src/index/open.js';
import { investigateAllSecurityGroups, investigateSecurityGroup, type SecurityGroupReport } from '../../src/scenarios/security-group.js';
import { investigateIam } from '../../src/scenarios/iam.js';
import type { TrustDiff } from '../../src/scenarios/iam-policy.js';
import type { InvestigationOptions } from '../../src/scenarios/common.js';
import { iamView, securityGroupView } from '../../src/scenarios/views.js';
import { sharedCase } from '../helpers/cases.js';
import { sampleDir } from '../helpers/paths.js';

const truth = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
const g = truth.incidents.securityGroups;
const x = g.shapes;
const iamFacts = truth.incidents.iamChanges;
const opts: InvestigationOptions = { filter: {}, tz: 'UTC', now: Date.UTC(2025, 1, 20) };

let db: Db;
let created: SecurityGroupReport;

beforeAll(() => {
  db = openCase(sharedCase('sample'), { readonly: true });
  created = investigateSecurityGroup(db, g.createdGroupId, opts);
});

afterAll(() => db?.close());

const change = (r: SecurityGroupReport, eventId: string) => r.changes.find((c) => c.eventId === eventId)!;
const worldFinding = (r: SecurityGroupReport, eventId: string) => r.findings.find((f) => f.type === 'world-open-sensitive-port' && f.eventIds[0] === eventId);

describe('world-open is a CIDR question, not a string match', () => {
  it('a /0 written with a non-zero address is world-open, named with its canonical block, and closed by the revoke by rule id', () => {
    const c = change(created, x.nonZeroWorld.eventId);
    expect(c).toMatchObject({ source: x.nonZeroWorld.cidr, sourceCanonical: x.nonZeroWorld.canonical, exposure: 'world', ruleId: x.nonZeroWorld.ruleId, fromPort: x.nonZeroWorld.port });
    expect(c.worldOpenSensitivePorts).toEqual([`${x.nonZeroWorld.port}/mysql`]);
    const f = worldFinding(created, x.nonZeroWorld.eventId)!;
    expect(f.eventIds).toEqual([x.nonZeroWorld.eventId, x.nonZeroWorld.revokeByRuleIdEventId]);
    expect(f.message).toContain(`${x.nonZeroWorld.cidr} (= ${x.nonZeroWorld.canonical})`);
  });

  it('an IPv6 ::/0 written long-hand is world-open, and a revoke writing it the short way closes it and gets its rule id', () => {
    expect(change(created, x.ipv6World.eventId)).toMatchObject({ source: x.ipv6World.cidr, sourceCanonical: x.ipv6World.canonical, exposure: 'world', ruleId: x.ipv6World.ruleId, worldOpenSensitivePorts: [`${x.ipv6World.port}/vnc`] });
    expect(change(created, x.ipv6World.revokeEventId)).toMatchObject({ action: 'revoke', source: x.ipv6World.revokeCidr, ruleId: x.ipv6World.ruleId });
    expect(worldFinding(created, x.ipv6World.eventId)!.eventIds).toEqual([x.ipv6World.eventId, x.ipv6World.revokeEventId]);
  });

  it('a prefix list the evidence shows holding 0.0.0.0/0 is world-open, and is named', () => {
    const c = change(created, x.prefixList.ruleEventId);
    expect(c).toMatchObject({ source: x.prefixList.prefixListId, sourceType: 'prefix-list', sourceName: x.prefixList.name, exposure: 'world', ruleId: x.prefixList.ruleId });
    expect(c.worldOpenSensitivePorts).toEqual([`${x.prefixList.port}/rdp`]);
    const f = worldFinding(created, x.prefixList.ruleEventId)!;
    expect(f.closedAt).toBeNull();
    expect(f.message).toContain(`prefix list ${x.prefixList.prefixListId} (${x.prefixList.name}; holds a /0)`);
  });

  it('the rule set after the revokes keeps only the prefix-list rule open to the world, with rule ids and exposure', () => {
    const at = investigateSecurityGroup(db, g.createdGroupId, { ...opts, at: Date.parse(truth.incidents.securityGroups.worldOpenWindow.to) + 3 * 3_600_000 });
    const world = at.rulesAt.rules.filter((r) => r.worldOpenSensitivePorts.length);
    expect(world.map((r) => r.ruleId)).toEqual([x.prefixList.ruleId]);
    expect(at.rulesAt.rules.some((r) => r.ruleId === x.nonZeroWorld.ruleId || r.ruleId === x.ipv6World.ruleId)).toBe(false);
  });
});

describe('rule ids and referenced groups', () => {
  it('every successful rule change of the created group carries its sgr- id', () => {
    const rules = created.changes.filter((c) => c.action !== 'create');
    expect(rules.length).toBeGreaterThan(0);
    for (const c of rules) expect(c.ruleId, `${c.eventName} ${c.eventId}`).toMatch(/^sgr-/);
  });

  it('shows the rule id in the table', () => {
    const section = securityGroupView(created, 'UTC').sections.find((s) => s.title === 'Rule changes')!;
    expect(section.columns.map((col) => col.key)).toContain('ruleId');
    expect(section.rows.find((r) => r.eventId === x.nonZeroWorld.revokeByRuleIdEventId)).toMatchObject({ ruleId: x.nonZeroWorld.ruleId, rule: expect.stringContaining(x.nonZeroWorld.cidr) });
  });

  it('names a group referenced by id and owner account, and lists the rule under the referenced group', () => {
    const r = investigateSecurityGroup(db, x.groupReference.groupId, opts);
    expect(change(r, x.groupReference.eventId)).toMatchObject({
      source: x.groupReference.referencedGroupId,
      sourceType: 'security-group',
      sourceName: x.groupReference.referencedGroupName,
      sourceAccount: x.groupReference.referencedAccount,
      ruleId: x.groupReference.ruleId,
      exposure: null,
    });
    expect(created.referencedBy.map((c) => c.eventId)).toContain(x.groupReference.eventId);
  });

  it('--all agrees with the single-group reports', () => {
    const all = investigateAllSecurityGroups(db, opts);
    const a = all.groups.find((grp) => grp.groupId === g.createdGroupId)!;
    expect(a.changes.map((c) => [c.eventId, c.ruleId, c.exposure])).toEqual(created.changes.map((c) => [c.eventId, c.ruleId, c.exposure]));
    expect(all.findings.filter((f) => f.type === 'world-open-sensitive-port' && f.groupId === g.createdGroupId).length).toBe(created.findings.filter((f) => f.type === 'world-open-sensitive-port').length);
  });
});

describe('trust-policy updates compared by meaning', () => {
  const t = iamFacts.trustPolicyShapes;
  let changes: ReturnType<typeof investigateIam>['changes'];
  let findings: ReturnType<typeof investigateIam>['findings'];
  beforeAll(() => {
    ({ changes, findings } = investigateIam(db, opts));
  });

  it('an update that only differs by Sid "", key order, list forms and action case is no change', () => {
    const c = changes.find((ch) => ch.eventId === t.noOpUpdate.eventId)!;
    expect(c.detail.trustDiff).toMatchObject({ identical: true, addedPrincipals: [], removedPrincipals: [], addedStatements: [], removedStatements: [], changedStatements: [], changedConditions: [] });
    // No finding at all: not even external-trust, which the role's first external grant raised already.
    expect(findings.filter((f) => f.eventIds.includes(t.noOpUpdate.eventId))).toEqual([]);
  });

  it('the table says so in its Policy change column', () => {
    const section = iamView(investigateIam(db, opts), 'UTC').sections.find((s) => s.title.startsWith('Changes'))!;
    expect(section.rows.find((r) => r.eventId === t.noOpUpdate.eventId)!.diff).toBe('no change');
    expect(section.rows.find((r) => r.eventId === t.realUpdate.eventId)!.diff).toBe('1 statement changed (Principal)');
  });

  it('the next update adds a principal: one changed statement, the principal named, trust-policy-widened at high', () => {
    const d = changes.find((ch) => ch.eventId === t.realUpdate.eventId)!.detail.trustDiff as TrustDiff;
    expect(d).toMatchObject({ identical: false, addedPrincipals: [t.realUpdate.addedPrincipal], removedPrincipals: [], addedStatements: [], removedStatements: [] });
    expect(d.changedStatements).toHaveLength(1);
    expect(d.changedStatements[0].changes).toEqual([expect.objectContaining({ element: 'Principal', added: [t.realUpdate.addedPrincipal], removed: [] })]);
    const widened = findings.filter((f) => f.type === 'trust-policy-widened');
    expect(widened.map((f) => f.eventIds[0])).toEqual([t.realUpdate.eventId]);
    expect(widened[0].severity).toBe('high');
  });
});
