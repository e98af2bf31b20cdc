// Each finding type of the security-group investigation (docs/findings.md#security-group): emitted on rule changes
// that should trigger it, and not on the look-alikes next to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/index/open.js';
import { investigateAllSecurityGroups, investigateSecurityGroup } from '../../../src/scenarios/security-group.js';
import { ACCT, at, event, ofType, OPTS, syntheticCase } from './synthetic-case.js';

const OPEN = 'sg-0aaaaaaaaaaaaaaa1';
const CLOSED = 'sg-0bbbbbbbbbbbbbbb2';
const TIGHT = 'sg-0ccccccccccccccc3';

let rule = 0;
/** An ingress rule change (Authorize…/Revoke…) on `group` at minute `min`: one TCP port from one IPv4 range. */
function ingress(min: number, eventName: string, group: string, port: number, cidr: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const ruleId = `sgr-0${String(++rule).padStart(16, '0')}`;
  return event({
    eventTime: at(min),
    eventName,
    readOnly: false,
    requestParameters: { groupId: group, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: { items: [{ cidrIp: cidr }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    responseElements: {
      _return: true,
      ...(eventName.startsWith('Authorize')
        ? { securityGroupRuleSet: { items: [{ groupOwnerId: ACCT, groupId: group, securityGroupRuleId: ruleId, isEgress: false, ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: cidr }] } }
        : {}),
    },
    ...over,
  });
}

const openSsh = ingress(10, 'AuthorizeSecurityGroupIngress', OPEN, 22, '0.0.0.0/0');
const openRdp = ingress(20, 'AuthorizeSecurityGroupIngress', CLOSED, 3389, '0.0.0.0/0');
const revokeRdp = ingress(30, 'RevokeSecurityGroupIngress', CLOSED, 3389, '0.0.0.0/0');
const internalSsh = ingress(40, 'AuthorizeSecurityGroupIngress', TIGHT, 22, '10.0.0.0/8');
const worldHttps = ingress(50, 'AuthorizeSecurityGroupIngress', TIGHT, 443, '0.0.0.0/0');
const duplicate = ingress(60, 'AuthorizeSecurityGroupIngress', TIGHT, 22, '10.0.0.0/8', {
  errorCode: 'Client.InvalidPermission.Duplicate',
  errorMessage: 'the specified rule already exists',
  responseElements: null,
});

let c: { db: Db; close: () => void };

beforeAll(async () => {
  c = await syntheticCase([openSsh, openRdp, revokeRdp, internalSsh, worldHttps, duplicate]);
});

afterAll(() => c?.close());

const findingsOf = (group: string) => investigateSecurityGroup(c.db, group, OPTS).findings;

describe('world-open-sensitive-port', () => {
  it('is emitted for SSH opened to 0.0.0.0/0 and never closed, at high', () => {
    expect(ofType(findingsOf(OPEN), 'world-open-sensitive-port')).toEqual([
      expect.objectContaining({
        severity: 'high',
        eventIds: [openSsh.eventID],
        message: `AuthorizeSecurityGroupIngress opened 22/ssh to 0.0.0.0/0 on ${OPEN}; not closed in the evidence`,
        openedAt: at(10),
        closedAt: null,
      }),
    ]);
  });
  it('says when a revoke closed it, citing both calls', () => {
    expect(ofType(findingsOf(CLOSED), 'world-open-sensitive-port')).toEqual([expect.objectContaining({ eventIds: [openRdp.eventID, revokeRdp.eventID], openedAt: at(20), closedAt: at(30) })]);
  });
  it('is not emitted for SSH from a private range nor for HTTPS open to the world', () => {
    expect(ofType(findingsOf(TIGHT), 'world-open-sensitive-port')).toEqual([]);
  });
  it('carries the group id with --all', () => {
    const all = investigateAllSecurityGroups(c.db, OPTS);
    expect(ofType(all.findings, 'world-open-sensitive-port').map((f) => f.groupId).sort()).toEqual([OPEN, CLOSED].sort());
  });
});

describe('failed-attempts', () => {
  it('is emitted for failed rule changes, with their error codes, at low', () => {
    expect(ofType(findingsOf(TIGHT), 'failed-attempts')).toEqual([
      expect.objectContaining({ severity: 'low', eventIds: [duplicate.eventID], message: '1 failed rule changes (Client.InvalidPermission.Duplicate)' }),
    ]);
  });
  it('is not emitted when every rule change succeeded', () => {
    expect(ofType(findingsOf(OPEN), 'failed-attempts')).toEqual([]);
    expect(ofType(findingsOf(CLOSED), 'failed-attempts')).toEqual([]);
  });
});
