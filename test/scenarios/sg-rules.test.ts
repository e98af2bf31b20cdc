import { describe, expect, it } from 'vitest';
import {
  parseSgEvent,
  replayRules,
  ruleKey,
  rulesFromResponse,
  sourceExposure,
  worldOpenSensitivePorts,
  type AppliedChange,
  type SgRule,
} from '../../src/scenarios/sg-rules.js';
import { prefixListIndex } from '../../src/scenarios/prefix-lists.js';

const ev = (eventName: string, requestParameters: unknown, responseElements: unknown = { _return: true }) => ({
  eventName,
  requestParameters,
  responseElements,
});

describe('parseSgEvent: ipPermissions forms', () => {
  it('splits one permission into one rule per IPv4/IPv6 range, group and prefix list, with descriptions', () => {
    const changes = parseSgEvent(
      ev('AuthorizeSecurityGroupIngress', {
        groupId: 'sg-0abc',
        ipPermissions: {
          items: [
            {
              ipProtocol: 'tcp',
              fromPort: 22,
              toPort: 22,
              ipRanges: { items: [{ cidrIp: '0.0.0.0/0', description: 'ssh anywhere' }, { cidrIp: '10.0.0.0/8' }] },
              ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] },
              groups: { items: [{ groupId: 'sg-0def', userId: '111122223333' }] },
              prefixListIds: { items: [{ prefixListId: 'pl-0123', description: 'corp' }] },
            },
          ],
        },
      }),
    );
    expect(changes.map((c) => [c.action, c.direction, c.rule?.protocol, c.rule?.fromPort, c.rule?.toPort, c.rule?.source, c.rule?.sourceType, c.rule?.description])).toEqual([
      ['authorize', 'ingress', 'tcp', 22, 22, '0.0.0.0/0', 'cidr-ipv4', 'ssh anywhere'],
      ['authorize', 'ingress', 'tcp', 22, 22, '10.0.0.0/8', 'cidr-ipv4', null],
      ['authorize', 'ingress', 'tcp', 22, 22, '::/0', 'cidr-ipv6', null],
      ['authorize', 'ingress', 'tcp', 22, 22, 'sg-0def', 'security-group', null],
      ['authorize', 'ingress', 'tcp', 22, 22, 'pl-0123', 'prefix-list', 'corp'],
    ]);
    expect(changes.every((c) => c.groupId === 'sg-0abc')).toBe(true);
  });

  it('reads protocol -1 as all ports, ports written as strings, bare arrays and upper-case keys', () => {
    const [all] = parseSgEvent(ev('AuthorizeSecurityGroupEgress', { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: '-1', ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } }));
    expect(all.rule).toMatchObject({ direction: 'egress', protocol: 'all', fromPort: null, toPort: null, source: '0.0.0.0/0' });
    const [str] = parseSgEvent(ev('AuthorizeSecurityGroupIngress', { GroupId: 'sg-2', IpPermissions: [{ IpProtocol: '6', FromPort: '443', ToPort: '443', IpRanges: [{ CidrIp: '1.2.3.4/32' }] }] }));
    expect(str.rule).toMatchObject({ protocol: 'tcp', fromPort: 443, toPort: 443, source: '1.2.3.4/32' });
    expect(str.groupId).toBe('sg-2');
  });

  it('reads the legacy flat form and calls that name the group only by name', () => {
    const [c] = parseSgEvent(ev('AuthorizeSecurityGroupIngress', { groupName: 'web', ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIp: '0.0.0.0/0' }));
    expect(c).toMatchObject({ groupId: null, groupName: 'web', action: 'authorize' });
    expect(c.rule).toMatchObject({ protocol: 'tcp', fromPort: 3389, source: '0.0.0.0/0' });
  });

  it('attaches the rule ids the response reports', () => {
    const [c] = parseSgEvent(
      ev(
        'AuthorizeSecurityGroupIngress',
        { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '203.0.113.0/24' }] } }] } },
        { _return: true, securityGroupRuleSet: { items: [{ cidrIpv4: '203.0.113.0/24', fromPort: 22, toPort: 22, ipProtocol: 'tcp', isEgress: false, groupId: 'sg-1', securityGroupRuleId: 'sgr-027e' }] } },
      ),
    );
    expect(c.rule?.ruleId).toBe('sgr-027e');
  });

  it('resolves a revoke by securityGroupRuleId through earlier evidence, and says so when it cannot', () => {
    const known: SgRule = { direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0', sourceType: 'cidr-ipv4', description: null, ruleId: 'sgr-1' };
    const [r] = parseSgEvent(ev('RevokeSecurityGroupIngress', { groupId: 'sg-1', securityGroupRuleIds: { items: [{ securityGroupRuleId: 'sgr-1' }] } }), new Map([['sgr-1', known]]));
    expect(r).toMatchObject({ action: 'revoke', direction: 'ingress', rule: { source: '0.0.0.0/0', ruleId: 'sgr-1' } });
    expect(r.note).toBeUndefined();
    const [u] = parseSgEvent(ev('RevokeSecurityGroupIngress', { groupId: 'sg-1', securityGroupRuleIds: { items: [{ securityGroupRuleId: 'sgr-9' }] } }));
    expect(u.rule).toMatchObject({ ruleId: 'sgr-9', sourceType: 'unknown' });
    expect(u.note).toMatch(/sgr-9 was not described/);
  });

  it('reads ModifySecurityGroupRules (one object or a list) with the previous rule when known', () => {
    const known: SgRule = { direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, source: '10.0.0.0/8', sourceType: 'cidr-ipv4', description: null, ruleId: 'sgr-5' };
    const rec = ev('ModifySecurityGroupRules', {
      ModifySecurityGroupRulesRequest: {
        GroupId: 'sg-7',
        SecurityGroupRule: { SecurityGroupRuleId: 'sgr-5', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0', Description: 'oops' }, tag: 1 },
      },
    });
    const [m] = parseSgEvent(rec, new Map([['sgr-5', known]]));
    expect(m).toMatchObject({ action: 'modify', direction: 'ingress', groupId: 'sg-7', rule: { source: '0.0.0.0/0', description: 'oops', ruleId: 'sgr-5' }, previous: { source: '10.0.0.0/8' } });
    const list = parseSgEvent(
      ev('ModifySecurityGroupRules', {
        ModifySecurityGroupRulesRequest: {
          GroupId: 'sg-7',
          SecurityGroupRule: [
            { SecurityGroupRuleId: 'sgr-a', SecurityGroupRule: { IpProtocol: '-1', CidrIpv6: '::/0' } },
            { SecurityGroupRuleId: 'sgr-b', SecurityGroupRule: { IpProtocol: 'udp', FromPort: 53, ToPort: 53, PrefixListId: 'pl-1' } },
          ],
        },
      }),
    );
    expect(list.map((c) => [c.rule?.ruleId, c.rule?.protocol, c.rule?.source, c.note != null])).toEqual([
      ['sgr-a', 'all', '::/0', true],
      ['sgr-b', 'udp', 'pl-1', true],
    ]);
  });

  it('keeps events of unexpected shape as a row with a note', () => {
    const [c] = parseSgEvent(ev('AuthorizeSecurityGroupIngress', undefined));
    expect(c).toMatchObject({ action: 'authorize', direction: 'ingress', rule: null });
    expect(c.note).toMatch(/unexpected shape/);
    const [d] = parseSgEvent(ev('CreateSecurityGroup', { groupName: 'x', vpcId: 'vpc-1' }, { groupId: 'sg-new' }));
    expect(d).toMatchObject({ action: 'create', groupId: 'sg-new', groupName: 'x', vpcId: 'vpc-1' });
  });
});

describe('world-open sensitive ports', () => {
  const rule = (p: Partial<SgRule>): SgRule => ({ direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0', sourceType: 'cidr-ipv4', description: null, ruleId: null, ...p });
  it('flags ssh/rdp ranges and all-traffic rules to 0.0.0.0/0 or ::/0, ingress only', () => {
    expect(worldOpenSensitivePorts(rule({}))).toEqual(['22/ssh']);
    expect(worldOpenSensitivePorts(rule({ fromPort: 3000, toPort: 3400 }))).toEqual(['3306/mysql', '3389/rdp']);
    expect(worldOpenSensitivePorts(rule({ protocol: 'all', fromPort: null, toPort: null, source: '::/0' }))).toEqual(['all ports']);
    expect(worldOpenSensitivePorts(rule({ source: '10.0.0.0/8' }))).toEqual([]);
    expect(worldOpenSensitivePorts(rule({ direction: 'egress' }))).toEqual([]);
    expect(worldOpenSensitivePorts(rule({ fromPort: 443, toPort: 443 }))).toEqual([]);
  });
});

describe('replayRules', () => {
  const auth = (time: number, source: string, port = 22, ruleId: string | null = null): AppliedChange => ({
    time,
    failed: false,
    change: { action: 'authorize', direction: 'ingress', groupId: 'sg-1', groupName: null, rule: { direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, source, sourceType: 'cidr-ipv4', description: null, ruleId } },
  });
  const create: AppliedChange = { time: 0, failed: false, change: { action: 'create', direction: null, groupId: 'sg-1', groupName: 'g', rule: null } };

  it('is complete from the creation on, with the default egress rule, and applies revokes', () => {
    const revoke: AppliedChange = { ...auth(30, '0.0.0.0/0'), change: { ...auth(30, '0.0.0.0/0').change, action: 'revoke' } };
    const changes = [create, auth(10, '0.0.0.0/0'), auth(20, '10.0.0.0/8', 443), revoke];
    const at25 = replayRules(changes, 25);
    expect(at25.created).toBe(true);
    expect([...at25.rules.values()].map((r) => `${r.direction} ${r.protocol} ${r.fromPort ?? '*'} ${r.source}`).sort()).toEqual([
      'egress all * 0.0.0.0/0',
      'ingress tcp 22 0.0.0.0/0',
      'ingress tcp 443 10.0.0.0/8',
    ]);
    const after = replayRules(changes, null);
    expect([...after.rules.values()].map((r) => r.source).sort()).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    expect(after.rules.has(ruleKey(auth(10, '0.0.0.0/0').change.rule!))).toBe(false);
  });

  it('is incomplete without the creation, skips failed attempts, and follows a modify by rule id', () => {
    const failed = { ...auth(5, '0.0.0.0/0', 3389), failed: true };
    const modify: AppliedChange = {
      time: 20,
      failed: false,
      change: { action: 'modify', direction: 'ingress', groupId: 'sg-1', groupName: null, rule: { direction: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, source: '198.51.100.0/24', sourceType: 'cidr-ipv4', description: null, ruleId: 'sgr-1' } },
    };
    const s = replayRules([failed, auth(10, '0.0.0.0/0', 22, 'sgr-1'), modify], null);
    expect(s.created).toBe(false);
    expect([...s.rules.values()].map((r) => `${r.fromPort} ${r.source}`)).toEqual(['22 198.51.100.0/24']);
    expect(s.gaps).toEqual([]);
  });

  it('records a gap for a revoke of a rule it never saw', () => {
    const rev: AppliedChange = { time: 1, failed: false, change: { action: 'revoke', direction: 'ingress', groupId: 'sg-1', groupName: null, rule: { direction: 'ingress', protocol: '?', fromPort: null, toPort: null, source: '?', sourceType: 'unknown', description: null, ruleId: 'sgr-x' } } };
    expect(replayRules([create, rev], null).gaps).toEqual(['revoke of rule sgr-x that the evidence never described']);
  });
});

describe('rulesFromResponse', () => {
  it('reads securityGroupRuleSet items of either direction', () => {
    const rules = rulesFromResponse({ securityGroupRuleSet: { items: [{ securityGroupRuleId: 'sgr-e', isEgress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }] } });
    expect(rules).toEqual([{ direction: 'egress', protocol: 'all', fromPort: null, toPort: null, source: '0.0.0.0/0', sourceType: 'cidr-ipv4', description: null, ruleId: 'sgr-e', sourceName: null, sourceAccount: null }]);
  });
});

const tcp = (port: number, source: string, sourceType: SgRule['sourceType']): SgRule => ({ direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, source, sourceType, description: null, ruleId: null });

describe('world-open by CIDR, not by string', () => {
  it('takes any /0 as the world: a non-zero IPv4 address, and every way of writing ::/0', () => {
    for (const [src, type] of [['10.1.2.3/0', 'cidr-ipv4'], ['0.0.0.0/0', 'cidr-ipv4'], ['::/0', 'cidr-ipv6'], ['0::/0', 'cidr-ipv6'], ['::0/0', 'cidr-ipv6'], ['0:0:0:0:0:0:0:0/0', 'cidr-ipv6'], ['2001:db8::1/0', 'cidr-ipv6']] as const) {
      expect(worldOpenSensitivePorts(tcp(22, src, type)), src).toEqual(['22/ssh']);
      expect(sourceExposure(tcp(22, src, type)), src).toBe('world');
    }
  });
  it('does not take narrower or private ranges as the world, and marks public /1-/8 as wide', () => {
    expect(worldOpenSensitivePorts(tcp(22, '0.0.0.0/1', 'cidr-ipv4'))).toEqual([]);
    expect(sourceExposure(tcp(22, '0.0.0.0/1', 'cidr-ipv4'))).toBe('wide');
    expect(sourceExposure(tcp(22, '10.0.0.0/8', 'cidr-ipv4'))).toBeNull();
    expect(sourceExposure(tcp(22, '203.0.113.0/24', 'cidr-ipv4'))).toBeNull();
    expect(sourceExposure(tcp(22, 'sg-0abc', 'security-group'))).toBeNull();
  });
  it('takes a prefix list as world-open when the evidence shows it holding a /0, and names it', () => {
    const lists = prefixListIndex([
      {
        failed: false,
        record: {
          eventName: 'CreateManagedPrefixList',
          requestParameters: { CreateManagedPrefixListRequest: { PrefixListName: 'partners', AddressFamily: 'IPv4', Entry: [{ Cidr: '198.51.100.0/24', tag: 1 }, { Cidr: '7.7.7.7/0', tag: 2 }] } },
          responseElements: { CreateManagedPrefixListResponse: { prefixList: { prefixListId: 'pl-0aa', prefixListName: 'partners' } } },
        },
      },
      { failed: false, record: { eventName: 'CreateManagedPrefixList', requestParameters: { PrefixListName: 'office', Entry: [{ Cidr: '198.51.100.0/24' }] }, responseElements: { prefixList: { prefixListId: 'pl-0bb' } } } },
    ]);
    expect(lists.get('pl-0aa')).toMatchObject({ name: 'partners', cidrs: ['198.51.100.0/24', '0.0.0.0/0'], complete: true });
    expect(worldOpenSensitivePorts(tcp(3389, 'pl-0aa', 'prefix-list'), lists)).toEqual(['3389/rdp']);
    expect(worldOpenSensitivePorts(tcp(3389, 'pl-0bb', 'prefix-list'), lists)).toEqual([]);
    expect(worldOpenSensitivePorts(tcp(3389, 'pl-0cc', 'prefix-list'), lists)).toEqual([]);
    const removed = prefixListIndex([
      { failed: false, record: { eventName: 'CreateManagedPrefixList', requestParameters: { PrefixListName: 'p', Entry: [{ Cidr: '0.0.0.0/0' }] }, responseElements: { prefixList: { prefixListId: 'pl-1' } } } },
      { failed: false, record: { eventName: 'ModifyManagedPrefixList', requestParameters: { ModifyManagedPrefixListRequest: { PrefixListId: 'pl-1', RemoveEntry: [{ Cidr: '0.0.0.0/0' }], AddEntry: [{ Cidr: '192.0.2.0/24' }] } } } },
    ]);
    expect(removed.get('pl-1')!.cidrs).toEqual(['192.0.2.0/24']);
  });
  it('treats two spellings of one block as the same rule (a revoke written otherwise closes it)', () => {
    expect(ruleKey(tcp(22, '10.1.2.3/0', 'cidr-ipv4'))).toBe(ruleKey(tcp(22, '0.0.0.0/0', 'cidr-ipv4')));
    expect(ruleKey(tcp(22, '0:0:0:0:0:0:0:0/0', 'cidr-ipv6'))).toBe(ruleKey(tcp(22, '::/0', 'cidr-ipv6')));
    expect(ruleKey(tcp(22, '2001:DB8::/32', 'cidr-ipv6'))).toBe(ruleKey(tcp(22, '2001:db8:0::/32', 'cidr-ipv6')));
  });
});

describe('rule ids and named sources', () => {
  it('takes the rule id from the response even when AWS writes the CIDR in canonical form', () => {
    const [c] = parseSgEvent(
      ev(
        'AuthorizeSecurityGroupIngress',
        { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipv6Ranges: { items: [{ cidrIpv6: '0:0:0:0:0:0:0:0/0' }] } }] } },
        { _return: true, securityGroupRuleSet: { items: [{ cidrIpv6: '::/0', fromPort: 22, toPort: 22, ipProtocol: 'tcp', isEgress: false, securityGroupRuleId: 'sgr-v6' }] } },
      ),
    );
    expect(c.rule).toMatchObject({ source: '0:0:0:0:0:0:0:0/0', ruleId: 'sgr-v6' });
  });
  it('gives each of several rules its own id, and none when the response does not describe it', () => {
    const changes = parseSgEvent(
      ev(
        'AuthorizeSecurityGroupIngress',
        { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '10.1.2.3/0' }, { cidrIp: '192.0.2.0/24' }] }, prefixListIds: { items: [{ prefixListId: 'pl-9' }] } }] } },
        {
          _return: true,
          securityGroupRuleSet: {
            items: [
              { cidrIpv4: '192.0.2.0/24', fromPort: 22, toPort: 22, ipProtocol: 'tcp', isEgress: false, securityGroupRuleId: 'sgr-b' },
              { cidrIpv4: '0.0.0.0/0', fromPort: 22, toPort: 22, ipProtocol: 'tcp', isEgress: false, securityGroupRuleId: 'sgr-a' },
            ],
          },
        },
      ),
    );
    expect(changes.map((c) => [c.rule?.source, c.rule?.ruleId])).toEqual([
      ['10.1.2.3/0', 'sgr-a'],
      ['192.0.2.0/24', 'sgr-b'],
      ['pl-9', null],
    ]);
  });
  it('names a referenced group and its owner account (groupId + userId, or the legacy owner/name form)', () => {
    const [c] = parseSgEvent(ev('AuthorizeSecurityGroupIngress', { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 5432, toPort: 5432, groups: { items: [{ groupId: 'sg-0def', groupName: 'app', userId: '111122223333' }] } }] } }));
    expect(c.rule).toMatchObject({ source: 'sg-0def', sourceType: 'security-group', sourceName: 'app', sourceAccount: '111122223333' });
    const [l] = parseSgEvent(ev('AuthorizeSecurityGroupIngress', { groupName: 'web', sourceSecurityGroupName: 'lb', sourceSecurityGroupOwnerId: '111122223333' }));
    expect(l.rule).toMatchObject({ source: '111122223333/lb', sourceName: 'lb', sourceAccount: '111122223333' });
  });
});
