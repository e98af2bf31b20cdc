// Triage on the committed sample: each section's facts against the generator's ground truth (the planted incidents,
// the StopLogging gap, the integrity gaps, the suspect keys, the reverts), not snapshots. One triage of a copy of the
// verified sample case, in process, shared by the tests of this file.

import { beforeAll, describe, expect, it } from 'vitest';
import { copyCase } from '../helpers/cases.js';
import { truth } from '../helpers/sample.js';
import { runTriage } from '../../src/triage/run.js';
import type { TriageReport } from '../../src/model/triage.js';

const incidents = truth.incidents;
let report: TriageReport;

beforeAll(async () => {
  const db = copyCase('sampleVerified');
  ({ report } = await runTriage({ dbPath: db, evidence: [], tz: 'UTC', toolVersion: 'test', now: Date.parse('2026-01-01T00:00:00Z') }));
}, 120_000);

const cites = (id: string): boolean => report.findings.some((f) => f.eventIds.includes(id));

describe('triage of the sample: the evidence and the run', () => {
  it('says what the evidence is: accounts, regions, time range, sources, trust', () => {
    expect(report.evidence.events).toBe(truth.counts.events);
    expect(report.evidence.accounts).toEqual([truth.organization.managementAccount, truth.organization.productionAccount].sort());
    expect(report.evidence.sources['cloudtrail-log']).toBe(truth.counts.logFiles);
    expect(report.evidence.sources['cloudtrail-digest']).toBe(truth.counts.digests);
    expect(report.evidence.trust).toEqual({ proven: truth.counts.logFiles, provisional: 0, unverified: 0 });
    expect(report.evidence.verifyExitCode).toBe(5);
    expect(report.evidence.integrity).toMatch(new RegExp(`^verified .*\\(exit 5\\): log files ${truth.counts.logFiles} proven`));
  });

  it('reuses the stored verify run when no file was added since, and records every step', () => {
    const names = report.steps.map((s) => s.step);
    expect(report.steps.find((s) => s.step === 'verify')).toMatchObject({ status: 'skipped' });
    expect(names).toContain('detect');
    expect(names).toEqual(expect.arrayContaining(['investigate iam', 'investigate console-logins', 'investigate security-group --all']));
    expect(report.steps.filter((s) => s.status === 'failed')).toEqual([]);
  });

  it('exits 0 with no --fail-level (gaps in assurance are reported, not an error)', () => {
    expect(report.exitCode).toBe(0);
  });
});

describe('blind spots', () => {
  it('names the StopLogging that caused the year-long gap, and when logging restarted', () => {
    const stop = report.blindSpots.find((b) => b.kind === 'logging-stopped');
    expect(stop).toBeDefined();
    expect(stop!.severity).toBe('high');
    expect(Date.parse(stop!.start!)).toBeLessThanOrEqual(Date.parse(truth.chainGap.after));
    expect(Date.parse(stop!.end!)).toBeGreaterThanOrEqual(Date.parse(truth.chainGap.before) - 3_600_000);
    expect(stop!.message).toMatch(/StopLogging on trail acme-org-trail/);
    expect(stop!.eventIds).toHaveLength(2);
  });

  it('lists one integrity gap per organization-trail chain, spanning the planted gap', () => {
    const gaps = report.blindSpots.filter((b) => b.kind === 'integrity-gap');
    const chains = truth.trails.find((t: { organization: boolean }) => t.organization).chains as Array<{ account: string; region: string }>;
    expect(gaps.map((g) => `${g.account}/${g.region}`).sort()).toEqual(chains.map((c) => `${c.account}/${c.region}`).sort());
    for (const g of gaps) {
      expect(Date.parse(g.start!)).toBeLessThan(Date.parse(truth.chainGap.before));
      expect(Date.parse(g.end!)).toBeGreaterThan(Date.parse(truth.chainGap.after));
    }
  });

  it('does not report a delivery gap the integrity gap already explains', () => {
    const long = report.blindSpots.filter((b) => b.kind === 'missing-hours' && Date.parse(b.end!) - Date.parse(b.start!) > 30 * 86_400_000);
    expect(long).toEqual([]);
  });

  it('says Insights are absent and data events present', () => {
    expect(report.blindSpots.map((b) => b.kind)).toContain('no-insights');
    expect(report.blindSpots.map((b) => b.kind)).not.toContain('no-data-events');
  });
});

describe('findings', () => {
  it('holds every planted detection with its outcome, most severe first', () => {
    for (const d of incidents.attackPack.detections as Array<{ ruleId: string; outcome: string; eventIds: string[] }>) {
      const f = report.findings.find((x) => x.ruleId === d.ruleId && d.eventIds.some((id) => x.eventIds.includes(id)));
      expect(f, d.ruleId).toBeDefined();
      expect(f!.outcome, d.ruleId).toBe(d.outcome);
    }
    const ranks = report.findings.map((f) => ['informational', 'low', 'medium', 'high', 'critical'].indexOf(f.level));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it('covers the incidents the investigations find: console sign-ins, the open security group, the IAM changes', () => {
    expect(cites(incidents.consoleSignIns.rootLogin.eventId)).toBe(true);
    expect(cites(incidents.securityGroups.openSsh.eventId)).toBe(true);
    const iamEvents = Object.values(incidents.iamChanges.eventIds as Record<string, string>);
    expect(iamEvents.some(cites)).toBe(true);
    expect(report.findings.some((f) => f.origin === 'investigation' && f.source === 'investigate security-group')).toBe(true);
  });

  it('marks what was undone later: the lifecycle rule deleted, the trust policy put back, the port closed', () => {
    const lifecycle = report.findings.find((f) => f.ruleId === 'th-s3-lifecycle-rule-put')!;
    expect(lifecycle.revert).toMatchObject({ state: 'reverted', eventIds: [incidents.attackPack.reverts.lifecycleDeleteEventId] });
    const trust = report.findings.filter((f) => f.ruleId === 'th-iam-role-trust-policy-updated' && f.revert.state === 'reverted');
    expect(trust.map((f) => f.revert.eventIds).flat()).toContain(incidents.attackPack.reverts.trustPolicyRevertEventId);
    const ssh = report.findings.find((f) => f.ruleId === 'world-open-sensitive-port' && f.eventIds.includes(incidents.securityGroups.openSsh.eventId))!;
    expect(ssh.revert.state).toBe('reverted');
  });

  it('leaves failed calls out of revert tracking and still-open changes as not reverted', () => {
    const failedOnly = report.findings.filter((f) => f.outcome === 'failed');
    expect(failedOnly.length).toBeGreaterThan(0);
    for (const f of failedOnly) expect(f.revert.state, f.title).toBe('not-applicable');
    const admin = report.findings.find((f) => f.ruleId === 'th-iam-admin-permissions-granted' && f.principals.includes(incidents.stolenAccessKey.userArn))!;
    expect(admin.revert.state).toBe('not-reverted');
  });

  it('counts findings by level', () => {
    for (const [level, n] of Object.entries(report.findingCounts)) expect(n).toBe(report.findings.filter((f) => f.level === level).length);
  });
});

describe('actors', () => {
  it('tells the stolen key first-class, with the suspect window starting at the planted attack', () => {
    const k = report.actors.find((a) => a.id === incidents.stolenAccessKey.accessKeyId)!;
    expect(k.kind).toBe('access-key');
    expect(k.label).toBe(incidents.stolenAccessKey.userArn);
    expect(k.suspectWindow).toMatchObject({ start: incidents.stolenAccessKey.attackStart, source: 'first-anomaly', confidence: 'high' });
    expect(k.created).toEqual(expect.arrayContaining([`IAM user ${incidents.stolenAccessKey.backdoorUser}`, ...incidents.stolenAccessKey.launchedInstanceIds.map((i: string) => `EC2 instance ${i}`)]));
    expect(k.minted.join(' ')).toContain(incidents.stolenAccessKey.backdoorAccessKeyId);
  });

  it('tells the leaked CI key, and the principal only once (as its key)', () => {
    const leaked = incidents.attackPack.leakedKey;
    expect(report.actors.find((a) => a.id === leaked.accessKeyId)).toMatchObject({ kind: 'access-key' });
    expect(report.actors.find((a) => a.kind === 'principal' && a.id === `arn:aws:iam::${leaked.account}:user/${leaked.userName}`)).toBeUndefined();
    expect(report.actors[0].level).toBe('high');
  });

  it('says the leaked key\'s window comes from a thin baseline, and asks for confirmation in its response commands', () => {
    const leaked = incidents.attackPack.leakedKey;
    expect(report.actors.find((a) => a.id === leaked.accessKeyId)?.suspectWindow).toMatchObject({ source: 'thin-baseline', confidence: 'low' });
    const mine = report.nextSteps.filter((n) => n.kind === 'response' && n.command.includes(leaked.accessKeyId));
    expect(mine.length).toBeGreaterThan(0);
    for (const n of mine) expect(n.why).toMatch(/^if the activity is confirmed malicious \(suspect window of low confidence\): /);
    // The stolen key's window is of high confidence: its commands are plain.
    const stolen = report.nextSteps.filter((n) => n.kind === 'response' && n.command.includes(incidents.stolenAccessKey.accessKeyId));
    expect(stolen.length).toBeGreaterThan(0);
    for (const n of stolen) expect(n.why).not.toMatch(/confirmed malicious/);
  });

  it('includes the stolen instance-profile session', () => {
    const inst = incidents.attackPack.stolenInstanceSession.instanceId;
    expect(report.actors.some((a) => a.id.endsWith(`/${inst}`) || a.label.endsWith(`/${inst}`))).toBe(true);
  });
});

describe('stack counts', () => {
  it('marks the attackers\' addresses new and the baseline\'s not', () => {
    const ips = new Map(report.stacks.sourceIps.map((r) => [r.value, r]));
    for (const ip of incidents.stolenAccessKey.attackerIps) expect(ips.get(ip)?.new, ip).toBe(true);
    for (const ip of incidents.stolenAccessKey.baselineIps) expect(ips.get(ip)?.new, ip).toBe(false);
    expect(report.stacks.baselineEnd).not.toBeNull();
  });

  it('groups user agents by family with a variant count, and lists event names rarest first', () => {
    expect(report.stacks.userAgents.some((u) => (u.variants ?? 1) > 1)).toBe(true);
    const counts = report.stacks.eventNames.map((r) => r.events);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('sums: every stack row counts events of that value', () => {
    const total = report.stacks.regions.reduce((a, r) => a + r.events, 0);
    expect(total).toBe(truth.counts.events);
  });
});

describe('next steps, coverage, activity and cited events', () => {
  it('proposes the commands to dig further and the response plan of the stolen keys', () => {
    const commands = report.nextSteps.map((s) => s.command);
    expect(commands.some((c) => c.startsWith(`trailhound investigate access-key ${incidents.stolenAccessKey.accessKeyId} --db `))).toBe(true);
    expect(commands.some((c) => c.startsWith(`trailhound investigate instance ${incidents.instanceStopTerminate.instanceId} `))).toBe(true);
    expect(commands.some((c) => c.startsWith(`trailhound investigate security-group ${incidents.securityGroups.createdGroupId} `))).toBe(true);
    expect(report.nextSteps.some((s) => s.kind === 'response' && s.command.includes(`--access-key-id ${incidents.stolenAccessKey.accessKeyId} --status Inactive`))).toBe(true);
  });

  it('covers every account × region with events per day, and every event in the activity', () => {
    expect(report.coverage.reduce((a, c) => a + c.events, 0)).toBe(truth.counts.events);
    for (const [key, n] of Object.entries(truth.counts.byAccountRegion as Record<string, number>)) {
      const [account, region] = key.split('/');
      expect(report.coverage.filter((c) => c.account === account && c.region === region).reduce((a, c) => a + c.events, 0), key).toBe(n);
    }
    expect(report.activity.reduce((a, h) => a + h.events, 0)).toBe(truth.counts.events);
    expect(report.activity.some((h) => h.flagged > 0)).toBe(true);
  });

  it('embeds every cited event once with its file, record, file SHA-256, trust and original JSON', () => {
    const ids = new Set(report.events.map((e) => e.eventId));
    expect(ids.size).toBe(report.events.length);
    for (const f of report.findings) for (const id of f.eventIds) expect(ids.has(id), id).toBe(true);
    const e = report.events.find((x) => x.eventId === incidents.stolenAccessKey.firstMaliciousEventId)!;
    expect(e.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(e.trust).toBe('proven');
    expect(JSON.parse(e.json).eventID).toBe(e.eventId);
    expect(e.file).toMatch(/\.json(\.gz)?$/);
  });
});
