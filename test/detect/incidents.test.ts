// Every shipped rule over the committed sample: the key moves of the investigation incidents (not only the attack
// pack's) come back as findings of the rules made for them, with the right outcome — the stolen key's failed
// StopLogging is an attempt (failed), its admin grant a success — and the security-group changes are flagged by
// both SigmaHQ and CIS. Event IDs come from ground-truth.json, never from this file.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/detect/rule-set.js';
import { runDetect } from '../../src/detect/run.js';
import { listFindings } from '../../src/detect/read.js';
import { openCase } from '../../src/index/open.js';
import type { Finding } from '../../src/model/detection.js';
import { copyCase } from '../helpers/cases.js';
import { truth } from '../helpers/sample.js';

let findings: Finding[] = [];

beforeAll(() => {
  const db = openCase(copyCase('sample'));
  try {
    runDetect(db, loadRuleSet().rules, { toolVersion: 'test' });
    findings = listFindings(db);
  } finally {
    db.close();
  }
});

/** The findings of `ruleId` that hold the event. */
function flagged(ruleId: string, eventId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId && f.eventIds.includes(eventId));
}

describe('the investigation incidents under detect', () => {
  const k = truth.incidents.stolenAccessKey;

  it("the stolen key's StopLogging is flagged high, as a failed attempt", () => {
    const f = flagged('th-cloudtrail-stopped-or-deleted', k.stopLoggingEventId);
    expect(f).toHaveLength(1);
    expect(f[0].level).toBe('high');
    expect(f[0].outcome).toBe('failed');
    expect(f[0].errorCodes.length).toBeGreaterThan(0);
    // CIS 5.5 counts the attempt too (CloudWatch metric filters ignore errorCode).
    expect(flagged('cis-aws-7.0-5.5', k.stopLoggingEventId)).toHaveLength(1);
  });

  it('the backdoor user, its access key and the admin grant are flagged as persistence', () => {
    expect(flagged('th-iam-user-created', k.createUserEventId)).toHaveLength(1);
    expect(flagged('th-iam-access-key-for-other-user', k.createAccessKeyEventId)).toHaveLength(1);
    const admin = flagged('th-iam-admin-permissions-granted', k.attachAdminPolicyEventId);
    expect(admin).toHaveLength(1);
    expect(admin[0].level).toBe('high');
    expect(admin[0].outcome).toBe('succeeded');
    expect(flagged('cis-aws-7.0-5.4', k.attachAdminPolicyEventId)).toHaveLength(1);
  });

  it('the denied reconnaissance calls count as unauthorized API calls (CIS 5.1), failed', () => {
    for (const id of k.accessDeniedEventIds as string[]) {
      const f = flagged('cis-aws-7.0-5.1', id);
      expect(f).toHaveLength(1);
      expect(f[0].outcome).toBe('failed');
    }
  });

  it('every security-group change of the incident is a CIS 5.10 finding; the rule changes also SigmaHQ’s', () => {
    const sg = truth.incidents.securityGroups;
    const changes = [sg.revokeSshEventId, sg.revokeRdpEventId, sg.revokeEgressEventId, ...(sg.authorizeIngressEventIds as string[])];
    for (const id of [sg.createSecurityGroupEventId, sg.modifyBackEventId, ...changes]) expect(flagged('cis-aws-7.0-5.10', id)).toHaveLength(1);
    for (const id of changes) expect(flagged('6fb77778-040f-4015-9440-572aa9b6b580', id)).toHaveLength(1);
  });

  it('every finding names its rule author (the Detection Rule License) and the events behind it', () => {
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.author, f.ruleId).toEqual(expect.any(String));
      expect(f.eventIds.length, f.ruleId).toBe(f.eventCount);
    }
  });
});
