// Were an instance's role credentials used somewhere else than on the instance? Pure logic over the grouped calls of
// the instance's role sessions (src/index/instance-sessions.ts): which addresses and user agents are the instance's
// own (private and VPC-endpoint addresses, public addresses its rotated sessions keep using), and which calls came
// from elsewhere, with the reasons and a severity (high: from outside AWS with a client the instance does not use).

import { userAgentFamily } from '../model/user-agent.js';
import type { SessionUsageRow } from '../index/instance-sessions.js';
import { isoUtc } from '../model/time.js';

/** An EC2 instance id (8 or 17 hexadecimal digits). */
export const INSTANCE_ID_RE = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** The instance id an assumed-role session ARN names as its session (`…:assumed-role/ROLE/i-…`), or null. */
export function instanceOfSessionArn(arn: string | null | undefined): string | null {
  const m = /:assumed-role\/[^/]+\/(i-[0-9a-f]{8}(?:[0-9a-f]{9})?)$/.exec(arn ?? '');
  return m ? m[1] : null;
}

/** Where a call came from, as far as the instance's own network goes. */
export type AddressKind = 'service' | 'vpc-endpoint' | 'private' | 'public';

function ipv4(ip: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** RFC 1918, shared (100.64/10), link-local and loopback IPv4; unique-local, link-local and loopback IPv6. */
export function isPrivateAddress(ip: string): boolean {
  const v4 = ipv4(ip);
  if (v4) {
    const [a, b] = v4;
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || a === 127;
  }
  const s = ip.toLowerCase();
  if (!/^[0-9a-f:]+$/.test(s) || !s.includes(':')) return false;
  return s === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(s) || /^fe[89ab][0-9a-f]?:/.test(s);
}

function isAddress(ip: string): boolean {
  return ipv4(ip) != null || (/^[0-9a-f:]+$/i.test(ip) && ip.includes(':'));
}

/** The kind of a group of calls: made by an AWS service for the session, through a VPC endpoint, private, or public. */
export function addressKind(g: Pick<SessionUsageRow, 'sourceIPAddress' | 'invokedBy' | 'viaVpcEndpoint'>): AddressKind {
  const ip = g.sourceIPAddress ?? '';
  if (g.invokedBy || ip === '' || ip === 'AWS Internal' || /\.amazonaws\.com$/i.test(ip) || !isAddress(ip)) return 'service';
  if (g.viaVpcEndpoint) return 'vpc-endpoint';
  return isPrivateAddress(ip) ? 'private' : 'public';
}

/** One address the instance's credentials were used from that is not the instance's. */
export interface ElsewhereUse {
  sourceIPAddress: string;
  /** The user-agent families (src/model/user-agent.ts) of its calls. */
  userAgentFamilies: string[];
  /** The session keys used from it. */
  accessKeyIds: string[];
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** A public address: not private, not through a VPC endpoint, not an AWS service acting for the session. */
  outsideAws: boolean;
  /** At least one of its user-agent families is not one the instance's own calls use. */
  newUserAgentFamily: boolean;
  /** high: outside AWS with a new user-agent family; medium: another address with the instance's own client. */
  severity: 'high' | 'medium';
  reasons: string[];
}

export interface InstanceCredentialAssessment {
  /**
   * How the instance's own addresses were told: own-addresses (private, VPC-endpoint, or public addresses used by
   * two or more of its sessions with its own client), first-address (none of those: the first public address its
   * sessions called from), none (no call from an address).
   */
  baseline: 'own-addresses' | 'first-address' | 'none';
  ownAddresses: string[];
  ownUserAgentFamilies: string[];
  /** Addresses other than the instance's own, first seen first. */
  usedElsewhere: ElsewhereUse[];
}

interface Addr {
  ip: string;
  kind: AddressKind;
  keys: Set<string>;
  families: Set<string>;
  count: number;
  first: number | null;
  last: number | null;
}

const familyOf = (ua: string | null): string => userAgentFamily(ua ?? '') || '(no user agent)';
const earlier = (a: number | null, b: number | null): number | null => (a == null ? b : b == null ? a : Math.min(a, b));
const later = (a: number | null, b: number | null): number | null => (a == null ? b : b == null ? a : Math.max(a, b));
const listed = (xs: Iterable<string>, max = 3): string => {
  const all = [...xs];
  return all.length > max ? `${all.slice(0, max).join(', ')} and ${all.length - max} more` : all.join(', ');
};

/**
 * Tells the instance's own addresses from the others among the calls of its role sessions (rows of other
 * identities, e.g. an IAM user named like the instance, are left out).
 */
export function assessInstanceCredentials(instanceId: string, rows: readonly SessionUsageRow[]): InstanceCredentialAssessment {
  const addrs = new Map<string, Addr>();
  for (const r of rows) {
    if (r.identityType !== 'AssumedRole' || instanceOfSessionArn(r.arn) !== instanceId) continue;
    const kind = addressKind(r);
    if (kind === 'service') continue;
    const ip = r.sourceIPAddress!;
    let a = addrs.get(ip);
    if (!a) addrs.set(ip, (a = { ip, kind, keys: new Set(), families: new Set(), count: 0, first: null, last: null }));
    // An address seen both through an endpoint and directly counts as the endpoint's (inside the VPC).
    if (kind !== 'public' && a.kind === 'public') a.kind = kind;
    if (r.accessKeyId) a.keys.add(r.accessKeyId);
    a.families.add(familyOf(r.userAgent));
    a.count += r.count;
    a.first = earlier(a.first, r.first);
    a.last = later(a.last, r.last);
  }
  const all = [...addrs.values()].sort((x, y) => (x.first ?? 0) - (y.first ?? 0) || x.ip.localeCompare(y.ip));
  if (all.length === 0) return { baseline: 'none', ownAddresses: [], ownUserAgentFamilies: [], usedElsewhere: [] };

  const inside = all.filter((a) => a.kind !== 'public');
  const insideFamilies = new Set(inside.flatMap((a) => [...a.families]));
  // A public address is the instance's (its NAT gateway or Elastic IP) when rotated sessions keep using it, with the
  // client the instance uses from inside (when it has inside calls to compare with).
  const sustained = all.filter((a) => a.kind === 'public' && a.keys.size >= 2 && (insideFamilies.size === 0 || [...a.families].every((f) => insideFamilies.has(f))));
  let own = [...inside, ...sustained];
  let baseline: InstanceCredentialAssessment['baseline'] = 'own-addresses';
  if (own.length === 0) {
    own = [all[0]];
    baseline = 'first-address';
  }
  const ownSet = new Set(own.map((a) => a.ip));
  const ownFamilies = new Set(own.flatMap((a) => [...a.families]));
  const ownKeys = new Set(own.flatMap((a) => [...a.keys]));
  const ownList = listed(own.map((a) => a.ip));
  const famList = listed(ownFamilies, 2);

  const usedElsewhere: ElsewhereUse[] = all
    .filter((a) => !ownSet.has(a.ip))
    .map((a) => {
      const outsideAws = a.kind === 'public';
      const fresh = [...a.families].filter((f) => !ownFamilies.has(f));
      const shared = [...a.keys].filter((k) => ownKeys.has(k));
      const reasons = [
        baseline === 'first-address'
          ? `${a.ip} is not the address the instance's sessions first called from (${ownList})`
          : `${a.ip} is not an address the instance calls from (${ownList})`,
      ];
      reasons.push(outsideAws ? 'public address: not private, not through a VPC endpoint, not an AWS service' : `${a.kind === 'private' ? 'private address' : 'VPC endpoint'} of another host`);
      if (fresh.length) reasons.push(`user agent ${listed(fresh, 2)} is not one the instance uses (${famList})`);
      if (shared.length) reasons.push(`the same session (${listed(shared, 2)}) also called from the instance's own address`);
      return {
        sourceIPAddress: a.ip,
        userAgentFamilies: [...a.families].sort(),
        accessKeyIds: [...a.keys].sort(),
        eventCount: a.count,
        firstSeen: isoUtc(a.first),
        lastSeen: isoUtc(a.last),
        outsideAws,
        newUserAgentFamily: fresh.length > 0,
        severity: outsideAws && fresh.length > 0 ? 'high' : 'medium',
        reasons,
      };
    });
  return { baseline, ownAddresses: own.map((a) => a.ip), ownUserAgentFamilies: [...ownFamilies].sort(), usedElsewhere };
}
