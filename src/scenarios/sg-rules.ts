// Security-group rule changes normalised across every API form, and rule sets reconstructed from them. Pure.
//
// Forms handled (one normalised row per rule):
// - Authorize/Revoke SecurityGroup Ingress/Egress with `ipPermissions` (ipRanges, ipv6Ranges, groups, prefixListIds,
//   descriptions, port ranges, protocol -1 = all), `{items: [...]}` or bare arrays, ports as numbers or strings;
// - the legacy flat form (ipProtocol/fromPort/toPort/cidrIp/sourceSecurityGroupName on requestParameters);
// - Revoke by `securityGroupRuleIds` (resolved through rule ids seen in earlier responses);
// - ModifySecurityGroupRules (`ModifySecurityGroupRulesRequest.SecurityGroupRule`, one object or a list);
// - UpdateSecurityGroupRuleDescriptionsIngress/Egress (a description change);
// - Create/DeleteSecurityGroup; calls that name the group only by `groupName`.

import { canonicalCidr, parseCidr, type CidrExposure } from './cidr.js';
import { prefixListExposure, type PrefixListIndex } from './prefix-lists.js';
import { asObj, items, num, path, pick, str, type Obj } from './record.js';

export type SgAction = 'authorize' | 'revoke' | 'modify' | 'create' | 'delete';
export type SgDirection = 'ingress' | 'egress';
export type SgSourceType = 'cidr-ipv4' | 'cidr-ipv6' | 'security-group' | 'prefix-list' | 'unknown';

/** One rule of a group, in a single canonical form. */
export interface SgRule {
  direction: SgDirection;
  /** tcp, udp, icmp, icmpv6, all (-1), or the protocol number/name as written. */
  protocol: string;
  fromPort: number | null;
  toPort: number | null;
  /** A CIDR, a group id (`sg-…`, or `account/sg-…` / a group name when that is all the event says), or a prefix list id. */
  source: string;
  sourceType: SgSourceType;
  description: string | null;
  /** sgr-… when the evidence tells. */
  ruleId: string | null;
  /** A referenced group's name (from the request, or from its CreateSecurityGroup), or a prefix list's name. */
  sourceName?: string | null;
  /** The account owning a referenced group (`userId`), when the request gives it. */
  sourceAccount?: string | null;
}

/** A normalised rule change parsed from one event (before attribution). */
export interface SgRuleChange {
  action: SgAction;
  direction: SgDirection | null;
  groupId: string | null;
  groupName: string | null;
  rule: SgRule | null;
  /** For modify: the rule as it was before, when known from earlier evidence. */
  previous?: SgRule | null;
  /** Why this row is incomplete (e.g. a revoke by rule id that no earlier event described). */
  note?: string;
  /** For create: the VPC, when given. */
  vpcId?: string | null;
}

export const SG_EVENT_NAMES: readonly string[] = [
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'ModifySecurityGroupRules',
  'UpdateSecurityGroupRuleDescriptionsIngress',
  'UpdateSecurityGroupRuleDescriptionsEgress',
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
];

const PROTOCOL_NAMES: Record<string, string> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: 'all' };

function normaliseProtocol(v: unknown): string {
  const s = str(v);
  if (s == null) return 'all';
  const lower = s.toLowerCase();
  return PROTOCOL_NAMES[lower] ?? lower;
}

function ports(protocol: string, from: unknown, to: unknown): { fromPort: number | null; toPort: number | null } {
  if (protocol === 'all') return { fromPort: null, toPort: null };
  let f = num(from);
  let t = num(to);
  if ((protocol === 'tcp' || protocol === 'udp') && f === -1 && (t === -1 || t == null)) {
    f = null;
    t = null;
  }
  if (f != null && t == null) t = f;
  if (t != null && f == null) f = t;
  return { fromPort: f, toPort: t };
}

/** A rule's source in canonical form: CIDRs reduced (`10.1.2.3/0` and `0.0.0.0/0` are one block), others lower-cased. */
export function canonicalSource(r: Pick<SgRule, 'source' | 'sourceType'>): string {
  return r.sourceType === 'cidr-ipv4' || r.sourceType === 'cidr-ipv6' ? canonicalCidr(r.source) : r.source.toLowerCase();
}

/** Canonical key of a rule (without description and rule id): two rules with the same key are the same rule. */
export function ruleKey(r: SgRule): string {
  return [r.direction, r.protocol, r.fromPort ?? '*', r.toPort ?? '*', canonicalSource(r)].join('|');
}

/**
 * The rule id a response reports for `rule`: the response rule with the same canonical key; else the only response
 * rule of the same direction, protocol, ports and source type not yet taken (AWS may write the CIDR otherwise).
 */
function matchResponseRule(rule: SgRule, fromResponse: readonly SgRule[], taken: Set<SgRule>): SgRule | null {
  const free = fromResponse.filter((r) => !taken.has(r));
  const exact = free.find((r) => ruleKey(r) === ruleKey(rule));
  if (exact) return exact;
  const alike = free.filter((r) => r.direction === rule.direction && r.protocol === rule.protocol && r.fromPort === rule.fromPort && r.toPort === rule.toPort && r.sourceType === rule.sourceType);
  return alike.length === 1 ? alike[0] : null;
}

/** Rules described by one `ipPermissions` entry (IpPermission): one per range/group/prefix list. */
function rulesFromPermission(perm: unknown, direction: SgDirection): SgRule[] {
  const p = asObj(perm);
  if (!p) return [];
  const protocol = normaliseProtocol(pick(p, 'ipProtocol', 'IpProtocol'));
  const { fromPort, toPort } = ports(protocol, pick(p, 'fromPort', 'FromPort'), pick(p, 'toPort', 'ToPort'));
  const base = { direction, protocol, fromPort, toPort, ruleId: null, sourceName: null, sourceAccount: null };
  const out: SgRule[] = [];
  for (const r of items(pick(p, 'ipRanges', 'IpRanges'))) {
    const cidr = str(pick(r, 'cidrIp', 'CidrIp')) ?? (typeof r === 'string' ? r : null);
    if (cidr) out.push({ ...base, source: cidr, sourceType: 'cidr-ipv4', description: str(pick(r, 'description', 'Description')) });
  }
  for (const r of items(pick(p, 'ipv6Ranges', 'Ipv6Ranges'))) {
    const cidr = str(pick(r, 'cidrIpv6', 'CidrIpv6')) ?? (typeof r === 'string' ? r : null);
    if (cidr) out.push({ ...base, source: cidr, sourceType: 'cidr-ipv6', description: str(pick(r, 'description', 'Description')) });
  }
  for (const g of items(pick(p, 'groups', 'UserIdGroupPairs', 'userIdGroupPairs'))) {
    const id = str(pick(g, 'groupId', 'GroupId'));
    const name = str(pick(g, 'groupName', 'GroupName'));
    const user = str(pick(g, 'userId', 'UserId'));
    const ref = id ?? name;
    if (!ref) continue;
    out.push({
      ...base,
      source: user && !id ? `${user}/${ref}` : ref,
      sourceType: 'security-group',
      description: str(pick(g, 'description', 'Description')),
      sourceName: id ? name : null,
      sourceAccount: user,
    });
  }
  for (const pl of items(pick(p, 'prefixListIds', 'PrefixListIds'))) {
    const id = str(pick(pl, 'prefixListId', 'PrefixListId'));
    if (id) out.push({ ...base, source: id, sourceType: 'prefix-list', description: str(pick(pl, 'description', 'Description')) });
  }
  if (out.length === 0) {
    // A permission with no source at all: keep it visible rather than drop it.
    out.push({ ...base, source: '(none given)', sourceType: 'unknown', description: null });
  }
  return out;
}

/**
 * A rule described the SecurityGroupRule / SecurityGroupRuleRequest way (CidrIpv4, ReferencedGroupId...). Without a
 * direction and without isEgress the rule is taken as ingress (callers say when that is an assumption).
 */
function ruleFromRuleObject(o: unknown, direction: SgDirection | null, ruleId: string | null): SgRule | null {
  const r = asObj(o);
  if (!r) return null;
  const isEgress = pick(r, 'isEgress', 'IsEgress');
  const dir: SgDirection = direction ?? (isEgress === true || isEgress === 'true' ? 'egress' : 'ingress');
  const protocol = normaliseProtocol(pick(r, 'ipProtocol', 'IpProtocol'));
  const { fromPort, toPort } = ports(protocol, pick(r, 'fromPort', 'FromPort'), pick(r, 'toPort', 'ToPort'));
  let source: string | null = null;
  let sourceType: SgSourceType = 'unknown';
  const v4 = str(pick(r, 'cidrIpv4', 'CidrIpv4', 'cidrIp'));
  const v6 = str(pick(r, 'cidrIpv6', 'CidrIpv6'));
  const pl = str(pick(r, 'prefixListId', 'PrefixListId'));
  const ref = pick(r, 'referencedGroupId', 'ReferencedGroupId', 'referencedGroupInfo', 'ReferencedGroupInfo');
  const refId = typeof ref === 'string' ? ref : str(pick(ref, 'groupId', 'GroupId'));
  const refAccount = typeof ref === 'string' ? null : str(pick(ref, 'userId', 'UserId'));
  if (v4) [source, sourceType] = [v4, 'cidr-ipv4'];
  else if (v6) [source, sourceType] = [v6, 'cidr-ipv6'];
  else if (pl) [source, sourceType] = [pl, 'prefix-list'];
  else if (refId) [source, sourceType] = [refId, 'security-group'];
  return {
    direction: dir,
    protocol,
    fromPort,
    toPort,
    source: source ?? '(none given)',
    sourceType,
    description: str(pick(r, 'description', 'Description')),
    ruleId: ruleId ?? str(pick(r, 'securityGroupRuleId', 'SecurityGroupRuleId')),
    sourceName: null,
    sourceAccount: sourceType === 'security-group' ? refAccount : null,
  };
}

/** Rule ids a response reports (securityGroupRuleSet / revokedSecurityGroupRuleSet...), as full rules. */
export function rulesFromResponse(resp: Obj | null): SgRule[] {
  if (!resp) return [];
  const out: SgRule[] = [];
  for (const [k, v] of Object.entries(resp)) {
    if (!/securitygrouprule/i.test(k)) continue;
    for (const it of items(v)) {
      const id = str(pick(it, 'securityGroupRuleId', 'SecurityGroupRuleId'));
      if (!id) continue;
      const r = ruleFromRuleObject(it, null, id);
      if (r) out.push(r);
    }
  }
  return out;
}

function direction(eventName: string): SgDirection | null {
  if (/Egress$/.test(eventName)) return 'egress';
  if (/Ingress$/.test(eventName)) return 'ingress';
  return null;
}

/** The group an SG event acts on: id and/or name as the request gives them. */
export function groupOf(rec: Obj): { groupId: string | null; groupName: string | null } {
  const rp = asObj(rec.requestParameters);
  const modify = pick(rp, 'ModifySecurityGroupRulesRequest');
  const fromRules = items(path(rec, 'responseElements', 'securityGroupRuleSet'))
    .map((it) => str(pick(it, 'groupId', 'GroupId')))
    .find((x) => x);
  const groupId =
    str(pick(rp, 'groupId', 'GroupId')) ?? str(pick(modify, 'GroupId', 'groupId')) ?? str(path(rec, 'responseElements', 'groupId')) ?? fromRules ?? null;
  const groupName = str(pick(rp, 'groupName', 'GroupName'));
  return { groupId, groupName };
}

/**
 * Parse one SG event into normalised rule changes. `knownRules` maps rule ids (sgr-…) to the rule as last known,
 * so that revokes and modifies by id can say what they touched. Unknown shapes yield one row with a note.
 */
export function parseSgEvent(rec: Obj, knownRules: ReadonlyMap<string, SgRule> = new Map()): SgRuleChange[] {
  const eventName = str(rec.eventName) ?? '';
  const rp = asObj(rec.requestParameters);
  const { groupId, groupName } = groupOf(rec);
  const dir = direction(eventName);
  const base = { groupId, groupName };

  if (eventName === 'CreateSecurityGroup') {
    return [{ ...base, action: 'create', direction: null, rule: null, vpcId: str(pick(rp, 'vpcId', 'VpcId')) }];
  }
  if (eventName === 'DeleteSecurityGroup') return [{ ...base, action: 'delete', direction: null, rule: null }];

  if (eventName === 'ModifySecurityGroupRules') {
    const req = pick(rp, 'ModifySecurityGroupRulesRequest') ?? rp;
    const updates = [
      ...items(pick(req, 'SecurityGroupRule', 'SecurityGroupRules', 'securityGroupRule', 'securityGroupRules')),
    ];
    const out: SgRuleChange[] = [];
    for (const u of updates) {
      const ruleId = str(pick(u, 'SecurityGroupRuleId', 'securityGroupRuleId'));
      const previous = ruleId ? knownRules.get(ruleId) ?? null : null;
      const rule = ruleFromRuleObject(pick(u, 'SecurityGroupRule', 'securityGroupRule'), previous?.direction ?? null, ruleId);
      out.push({
        ...base,
        action: 'modify',
        // The request does not say the direction; only an earlier description of the rule does.
        direction: previous?.direction ?? null,
        rule,
        previous,
        note: previous ? undefined : `rule ${ruleId ?? '(no id)'} was not described by earlier evidence: its previous state and direction are unknown`,
      });
    }
    if (out.length === 0) out.push({ ...base, action: 'modify', direction: null, rule: null, note: 'request names no rule (unexpected shape)' });
    return out;
  }

  const action: SgAction | null = eventName.startsWith('Authorize')
    ? 'authorize'
    : eventName.startsWith('Revoke')
      ? 'revoke'
      : eventName.startsWith('UpdateSecurityGroupRuleDescriptions')
        ? 'modify'
        : null;
  if (!action || !dir) return [{ ...base, action: 'modify', direction: dir, rule: null, note: `not a security-group rule API: ${eventName}` }];

  const out: SgRuleChange[] = [];
  const perms = items(pick(rp, 'ipPermissions', 'IpPermissions'));
  const fromResponse = rulesFromResponse(asObj(rec.responseElements));
  const taken = new Set<SgRule>();
  for (const perm of perms) {
    for (const rule of rulesFromPermission(perm, dir)) {
      // Attach the rule id the response reports for the same rule, when it does.
      const match = matchResponseRule(rule, fromResponse, taken);
      if (match) {
        taken.add(match);
        rule.ruleId = match.ruleId;
      }
      out.push({ ...base, action, direction: dir, rule });
    }
  }
  // Legacy flat form.
  if (perms.length === 0 && rp && (pick(rp, 'cidrIp') !== undefined || pick(rp, 'sourceSecurityGroupName') !== undefined || pick(rp, 'ipProtocol') !== undefined)) {
    const protocol = normaliseProtocol(pick(rp, 'ipProtocol'));
    const { fromPort, toPort } = ports(protocol, pick(rp, 'fromPort'), pick(rp, 'toPort'));
    const cidr = str(pick(rp, 'cidrIp'));
    const sgName = str(pick(rp, 'sourceSecurityGroupName'));
    const sgOwner = str(pick(rp, 'sourceSecurityGroupOwnerId'));
    out.push({
      ...base,
      action,
      direction: dir,
      rule: {
        direction: dir,
        protocol,
        fromPort,
        toPort,
        source: cidr ?? (sgName ? (sgOwner ? `${sgOwner}/${sgName}` : sgName) : '(none given)'),
        sourceType: cidr ? (cidr.includes(':') ? 'cidr-ipv6' : 'cidr-ipv4') : sgName ? 'security-group' : 'unknown',
        description: null,
        ruleId: null,
        sourceName: sgName,
        sourceAccount: sgOwner,
      },
    });
  }
  // Revoke by rule id.
  for (const it of items(pick(rp, 'securityGroupRuleIds', 'SecurityGroupRuleIds', 'securityGroupRuleId'))) {
    const id = typeof it === 'string' ? it : str(pick(it, 'securityGroupRuleId', 'SecurityGroupRuleId'));
    if (!id) continue;
    const known = knownRules.get(id) ?? fromResponse.find((r) => r.ruleId === id) ?? null;
    out.push({
      ...base,
      action,
      direction: known?.direction ?? dir,
      rule: known
        ? { ...known, ruleId: id }
        : { direction: dir, protocol: '?', fromPort: null, toPort: null, source: '?', sourceType: 'unknown', description: null, ruleId: id, sourceName: null, sourceAccount: null },
      note: known ? undefined : `rule ${id} was not described by earlier evidence`,
    });
  }
  // Request parameters missing or unreadable: the rules the response reports, if any.
  if (out.length === 0) {
    for (const r of fromResponse) out.push({ ...base, action, direction: r.direction, rule: r, note: 'rule read from the response: the request parameters are missing or of an unknown shape' });
  }
  if (out.length === 0) out.push({ ...base, action, direction: dir, rule: null, note: 'request describes no rule (unexpected shape)' });
  return out;
}

/** Well-known ports that should never be open to the world. */
const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [20, 'ftp-data'],
  [21, 'ftp'],
  [22, 'ssh'],
  [23, 'telnet'],
  [25, 'smtp'],
  [135, 'msrpc'],
  [137, 'netbios'],
  [139, 'netbios'],
  [445, 'smb'],
  [1433, 'mssql'],
  [1521, 'oracle'],
  [2375, 'docker'],
  [2376, 'docker-tls'],
  [3306, 'mysql'],
  [3389, 'rdp'],
  [5432, 'postgresql'],
  [5601, 'kibana'],
  [5900, 'vnc'],
  [5985, 'winrm'],
  [5986, 'winrm-https'],
  [6379, 'redis'],
  [9200, 'elasticsearch'],
  [11211, 'memcached'],
  [27017, 'mongodb'],
]);

/**
 * How much of the internet a rule's source lets in: `world` for any /0 (IPv4 or IPv6, whatever address is written) and
 * for a prefix list whose known entries include one; `wide` for a public /1-/8 (IPv6 /1-/16) or such a list; else null.
 */
export function sourceExposure(rule: Pick<SgRule, 'source' | 'sourceType'>, prefixLists?: PrefixListIndex): CidrExposure {
  if (rule.sourceType === 'prefix-list') return prefixListExposure(prefixLists?.get(rule.source));
  if (rule.sourceType === 'security-group') return null;
  return parseCidr(rule.source)?.exposure ?? null;
}

/** Sensitive ports a rule opens to the world ('all' when the rule opens every port); empty when it does not. */
export function worldOpenSensitivePorts(rule: SgRule, prefixLists?: PrefixListIndex): string[] {
  if (rule.direction !== 'ingress' || sourceExposure(rule, prefixLists) !== 'world') return [];
  if (rule.protocol === 'all') return ['all ports'];
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') return [];
  const lo = rule.fromPort ?? 0;
  const hi = rule.toPort ?? 65535;
  if (lo <= 0 && hi >= 65535) return ['all ports'];
  const out: string[] = [];
  for (const [port, name] of SENSITIVE_PORTS) if (port >= lo && port <= hi) out.push(`${port}/${name}`);
  return out;
}

/** A change as applied to a rule set: what the reconstruction needs. */
export interface AppliedChange {
  time: number | null;
  change: SgRuleChange;
  failed: boolean;
}

export interface RuleSetState {
  /** Rules in force, keyed by ruleKey. */
  rules: Map<string, SgRule>;
  /** Whether the group's creation is in the evidence (so the set holds every rule). */
  created: boolean;
  deleted: boolean;
  /** Why the set may be incomplete even though the creation was seen. */
  gaps: string[];
}

/**
 * Replay successful changes, oldest first, up to `at` (inclusive). A VPC group starts with AWS's default egress rule
 * (all traffic to 0.0.0.0/0), which CloudTrail does not record as a separate call.
 */
export function replayRules(changes: readonly AppliedChange[], at: number | null): RuleSetState {
  const state: RuleSetState = { rules: new Map(), created: false, deleted: false, gaps: [] };
  const byId = new Map<string, string>();
  for (const { time, change, failed } of changes) {
    if (failed) continue;
    if (at != null && time != null && time > at) break;
    const r = change.rule;
    switch (change.action) {
      case 'create': {
        state.rules.clear();
        state.created = true;
        state.deleted = false;
        state.gaps = [];
        const egress: SgRule = {
          direction: 'egress',
          protocol: 'all',
          fromPort: null,
          toPort: null,
          source: '0.0.0.0/0',
          sourceType: 'cidr-ipv4',
          description: 'default outbound rule AWS adds to every new VPC security group',
          ruleId: null,
          sourceName: null,
          sourceAccount: null,
        };
        state.rules.set(ruleKey(egress), egress);
        break;
      }
      case 'delete':
        state.rules.clear();
        state.deleted = true;
        break;
      case 'authorize':
        if (r) {
          state.rules.set(ruleKey(r), { ...r });
          if (r.ruleId) byId.set(r.ruleId, ruleKey(r));
        }
        break;
      case 'revoke':
        if (r) {
          const key = r.sourceType === 'unknown' && r.ruleId ? byId.get(r.ruleId) : ruleKey(r);
          if (key && state.rules.has(key)) state.rules.delete(key);
          else if (r.sourceType === 'unknown') state.gaps.push(`revoke of rule ${r.ruleId ?? '?'} that the evidence never described`);
        }
        break;
      case 'modify':
        if (r && r.sourceType !== 'unknown') {
          const oldKey = r.ruleId ? byId.get(r.ruleId) : change.previous ? ruleKey(change.previous) : ruleKey(r);
          const desc = r.description;
          if (oldKey && state.rules.has(oldKey)) {
            const old = state.rules.get(oldKey)!;
            state.rules.delete(oldKey);
            // UpdateSecurityGroupRuleDescriptions* only changes the description.
            const next = { ...r, description: desc ?? old.description };
            state.rules.set(ruleKey(next), next);
            if (next.ruleId) byId.set(next.ruleId, ruleKey(next));
          } else {
            if (change.note || !oldKey) state.gaps.push(`modification of a rule the evidence never described (${r.ruleId ?? ruleKey(r)})`);
            state.rules.set(ruleKey(r), { ...r });
            if (r.ruleId) byId.set(r.ruleId, ruleKey(r));
          }
        } else {
          state.gaps.push(`modification whose new rule is not in the evidence${r?.ruleId ? ` (${r.ruleId})` : ''}`);
        }
        break;
    }
  }
  return state;
}

/** Rules sorted for display: ingress first, then protocol, ports, source. */
export function sortRules(rules: Iterable<SgRule>): SgRule[] {
  return [...rules].sort(
    (a, b) =>
      a.direction.localeCompare(b.direction) * -1 ||
      a.protocol.localeCompare(b.protocol) ||
      (a.fromPort ?? -1) - (b.fromPort ?? -1) ||
      (a.toPort ?? -1) - (b.toPort ?? -1) ||
      a.source.localeCompare(b.source),
  );
}
