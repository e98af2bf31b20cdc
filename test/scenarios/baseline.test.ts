// The baseline (src/scenarios/baseline.ts): its strength, and the first anomaly on agreeing signals. Synthetic
// histories: office days from one address, then a candidate that departs or not.
import { describe, expect, it } from 'vitest';
import {
  BASELINE_MINIMUM,
  baselineSlice,
  baselineStrength,
  buildBaseline,
  describeBaseline,
  findFirstAnomaly,
  ipNetwork,
  localHour,
  marksFor,
  sustainedAddresses,
  type ActivityLike,
} from '../../src/scenarios/baseline.js';

const H = 3_600_000;
const D = 24 * H;
const t0 = Date.UTC(2024, 1, 1, 0, 0, 0);
const OFFICE = '203.0.113.10';
const CLI = (run: number) => `aws-cli/2.15.17 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.ls md/run#${run}`;

function act(time: number, ip = OFFICE, extra: Partial<ActivityLike> = {}): ActivityLike {
  return { eventTime: time, sourceIPAddress: ip, awsRegion: 'us-east-1', eventSource: 's3.amazonaws.com', userAgent: CLI(time), ...extra };
}

// Ten working days from the office IP, 09:00-17:00 UTC: 30 events.
const history: ActivityLike[] = [];
for (let d = 0; d < 10; d++) for (let h = 9; h <= 17; h += 4) history.push(act(t0 + d * D + h * H));
const opts = { activeDays: 30, tz: 'UTC' };
const byTime = (a: ActivityLike, b: ActivityLike) => a.eventTime! - b.eventTime!;

describe('baseline strength', () => {
  it('is usable from 3 active days, 30 events and 48 hours, thin below, none without events', () => {
    expect(BASELINE_MINIMUM).toEqual({ activeDays: 3, events: 30, spanMs: 48 * H });
    expect(baselineStrength(30, 3, 48 * H)).toBe('usable');
    expect(baselineStrength(29, 3, 48 * H)).toBe('thin');
    expect(baselineStrength(300, 2, 48 * H)).toBe('thin');
    expect(baselineStrength(300, 3, 47 * H)).toBe('thin');
    expect(baselineStrength(0, 0, 0)).toBe('none');
  });

  it('says what it rests on, honestly', () => {
    const burst = Array.from({ length: 75 }, (_, i) => act(t0 + i * 5000));
    const b = buildBaseline(burst, 'UTC');
    expect(b).toMatchObject({ eventCount: 75, activeDays: 1, strength: 'thin', usualHours: null });
    expect(describeBaseline(b)).toBe('75 events over 6 minutes on 1 active day');
    expect(buildBaseline(history, 'UTC')).toMatchObject({ eventCount: 30, activeDays: 10, strength: 'usable' });
    expect(describeBaseline(buildBaseline(history, 'UTC'))).toBe('30 events over 9.3 days on 10 active days');
  });

  it('groups user agents by family: per-run suffixes are one agent', () => {
    expect([...buildBaseline(history, 'UTC').userAgents]).toEqual(['aws-cli/2.15.17 on Linux']);
  });
});

describe('findFirstAnomaly', () => {
  it('finds the first event from a new IP with agreeing signals, with its reasons and a high confidence', () => {
    const attacker = act(t0 + 10 * D + 3 * H, '198.51.100.66', { awsRegion: 'ap-southeast-1', userAgent: 'python-requests/2.31' });
    const candidates = [act(t0 + 10 * D + 1 * H), attacker, act(t0 + 10 * D + 4 * H, '198.51.100.66')];
    const all = [...history, ...candidates].sort(byTime);
    expect(findFirstAnomaly(all, candidates, opts)).toEqual({
      index: 1,
      time: attacker.eventTime,
      reasons: [
        "source IP 198.51.100.66 not seen on the owner's last 11 active days",
        'user agent python-requests/2.31 not seen before',
        'region ap-southeast-1 not seen before',
        'network 198.51.100.0/24 not seen before',
        'at 03h (UTC), outside the usual hours',
      ],
      confidence: 'high',
    });
  });

  it('gives medium confidence for one strong signal, low for weak ones only, and counts what follows from the address', () => {
    const region = act(t0 + 10 * D + 10 * H, '203.0.113.99', { awsRegion: 'eu-west-3' });
    expect(findFirstAnomaly(history, [region], opts)).toMatchObject({ confidence: 'medium', reasons: ["source IP 203.0.113.99 not seen on the owner's last 10 active days", 'region eu-west-3 not seen before'] });
    const night = act(t0 + 10 * D + 2 * H, '203.0.113.99');
    expect(findFirstAnomaly(history, [night], opts)).toMatchObject({ confidence: 'low', reasons: ["source IP 203.0.113.99 not seen on the owner's last 10 active days", 'at 02h (UTC), outside the usual hours'] });
    const followed = findFirstAnomaly(history, [night], { ...opts, followUps: () => ['a burst of denied calls from this address within the hour'] });
    expect(followed?.confidence).toBe('medium');
    expect(followed?.reasons).toContain('a burst of denied calls from this address within the hour');
  });

  it('passes over a new IP that behaves like the baseline: same network, agent, service, region and hours', () => {
    expect(findFirstAnomaly(history, [act(t0 + 10 * D + 10 * H, '203.0.113.12')], opts)).toBeNull();
  });

  it("passes over a second corporate address in sustained use (another network, the owner's agent), then finds the attacker", () => {
    const corpB = [10, 11, 12].flatMap((d) => [10, 14].map((h) => act(t0 + d * D + h * H, '192.0.2.40')));
    const attacker = act(t0 + 12 * D + 2 * H, '198.51.100.66', { userAgent: 'Boto3/1.34.11 Python/3.12.1 Linux/6.6.9 Botocore/1.34.11', eventSource: 'iam.amazonaws.com' });
    const candidates = [...corpB, attacker].sort(byTime);
    const all = [...history, ...candidates].sort(byTime);
    expect(sustainedAddresses(candidates)).toEqual(new Set(['192.0.2.40']));
    const a = findFirstAnomaly(all, candidates, { ...opts, sustained: sustainedAddresses(candidates) });
    expect(a).toMatchObject({ index: candidates.indexOf(attacker), confidence: 'high' });
    // Without knowing the address stays in use, its new network and the hour would make it the anomaly.
    expect(findFirstAnomaly(all, candidates, opts)?.index).toBe(0);
  });

  it('finds nothing on a thin baseline, however new the IP and client', () => {
    const attacker = act(t0 + 10 * D + 3 * H, '198.51.100.66', { userAgent: 'python-requests/2.31', awsRegion: 'eu-west-3' });
    const twoDays = history.filter((h) => h.eventTime! < t0 + 2 * D);
    expect(findFirstAnomaly([...twoDays, attacker], [attacker], opts)).toBeNull();
    const oneBurst = Array.from({ length: 75 }, (_, i) => act(t0 + 10 * D + i * 5000));
    const late = act(t0 + 10 * D + H, '198.51.100.66', { userAgent: 'python-requests/2.31' });
    expect(findFirstAnomaly([...oneBurst, late], [...oneBurst, late], opts)).toBeNull();
  });

  it('needs a new IP: a known address in a new region is not a first anomaly', () => {
    expect(findFirstAnomaly(history, [act(t0 + 11 * D + 10 * H, OFFICE, { awsRegion: 'eu-west-3' })], opts)).toBeNull();
    expect(findFirstAnomaly(history, [act(t0 + 11 * D, 'ec2.amazonaws.com', { awsRegion: 'eu-west-3' })], opts)).toBeNull();
  });

  it('counts active days (days with events), not calendar days', () => {
    // Ten office days 50 days back, a logging gap, then three days from another address (its own network).
    const old = history.map((h) => ({ ...h, eventTime: h.eventTime! - 50 * D }));
    const recent = [5, 6, 7].flatMap((d) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => act(t0 + d * D + 9 * H + i * 0.8 * H, '192.0.2.1')));
    const cand = act(t0 + 8 * D + 12 * H, OFFICE, { eventSource: 'iam.amazonaws.com' });
    expect(findFirstAnomaly([...old, ...recent], [cand], opts)).toBeNull();
    // With 3 active days only the last three count, and the office address is new there.
    expect(findFirstAnomaly([...old, ...recent], [cand], { ...opts, activeDays: 3 })?.reasons[0]).toBe("source IP 203.0.113.10 not seen on the owner's last 3 active days");
    expect(baselineSlice([...old, ...recent], cand.eventTime!, 3)).toEqual(recent);
    expect(baselineSlice([...old, ...recent], cand.eventTime!, 4)).toHaveLength(recent.length + 3);
  });
});

describe('marksFor and usual hours', () => {
  it('marks new IP/region/service/user agent and hours outside the usual ones (in the zone)', () => {
    const b = buildBaseline(history, 'UTC');
    expect([...b.usualHours!].sort((x, y) => x - y)).toEqual([8, 9, 10, 12, 13, 14, 16, 17, 18]);
    expect(marksFor(act(t0 + 11 * D + 10 * H), b, 'UTC')).toEqual({ new: false, newIp: false, newRegion: false, newService: false, newUserAgent: false, outsideUsualHours: false });
    expect(marksFor(act(t0 + 11 * D + 3 * H, '198.51.100.9', { eventSource: 'iam.amazonaws.com' }), b, 'UTC')).toEqual({
      new: true,
      newIp: true,
      newRegion: false,
      newService: true,
      newUserAgent: false,
      outsideUsualHours: true,
    });
    // The same history read in Seoul time (UTC+9): 09:00 UTC is 18:00 there.
    const seoul = buildBaseline(history, 'Asia/Seoul');
    expect(seoul.usualHours!.has(18)).toBe(true);
    expect(localHour(t0 + 9 * H, 'Asia/Seoul')).toBe(18);
  });

  it('says nothing (null) against a thin baseline', () => {
    const b = buildBaseline(history.slice(0, 6), 'UTC');
    expect(b.strength).toBe('thin');
    expect(b.usualHours).toBeNull();
    expect(marksFor(act(t0, '198.51.100.9'), b, 'UTC').new).toBeNull();
  });
});

describe('ipNetwork', () => {
  it('is the /24 of an IPv4 address, the /48 of an IPv6 one, null for service names', () => {
    expect(ipNetwork('203.0.113.10')).toBe('203.0.113.0/24');
    expect(ipNetwork('2001:db8:1:2::5')).toBe('2001:db8:1::/48');
    expect(ipNetwork('2001:db8::5')).toBe('2001:db8:0::/48');
    expect(ipNetwork('ec2.amazonaws.com')).toBeNull();
    expect(ipNetwork(null)).toBeNull();
  });
});
