import { describe, expect, it } from 'vitest';
import { baselineSlice, buildBaseline, findFirstAnomaly, localHour, marksFor, type ActivityLike } from '../../src/scenarios/baseline.js';

const H = 3_600_000;
const D = 24 * H;
const t0 = Date.UTC(2024, 1, 1, 0, 0, 0);

function act(time: number, ip = '203.0.113.10', extra: Partial<ActivityLike> = {}): ActivityLike {
  return { eventTime: time, sourceIPAddress: ip, awsRegion: 'us-east-1', eventSource: 's3.amazonaws.com', userAgent: 'aws-cli/2.15', ...extra };
}

describe('findFirstAnomaly', () => {
  // Ten working days from the office IP, 09:00-17:00 UTC.
  const history: ActivityLike[] = [];
  for (let d = 0; d < 10; d++) for (let h = 9; h <= 17; h += 4) history.push(act(t0 + d * D + h * H));

  it('finds the first event from an IP never seen in the window before it', () => {
    const attacker = act(t0 + 10 * D + 3 * H, '198.51.100.66', { awsRegion: 'ap-southeast-1', userAgent: 'python-requests/2.31' });
    const candidates = [act(t0 + 10 * D + 1 * H), attacker, act(t0 + 10 * D + 4 * H, '198.51.100.66')];
    const all = [...history, ...candidates].sort((a, b) => a.eventTime! - b.eventTime!);
    const a = findFirstAnomaly(all, candidates, 30);
    expect(a).toEqual({
      index: 1,
      time: attacker.eventTime,
      reasons: ["source IP 198.51.100.66 not seen on the owner's last 30 active days", 'region ap-southeast-1 not seen before', 'user agent not seen before'],
    });
  });

  it('needs some history first, and counts active days (days with events), not calendar days', () => {
    expect(findFirstAnomaly([], [act(t0, '198.51.100.1')], 30)).toBeNull();
    // Ten office days 50 days back, a logging gap, then one day from another known-good IP.
    const old = history.map((h) => ({ ...h, eventTime: h.eventTime! - 50 * D }));
    const recent = [0, 1, 2, 3, 4].map((i) => act(t0 + 5 * D + i * H, '192.0.2.1'));
    const cand = act(t0 + 6 * D, '203.0.113.10');
    // With 30 active days the office days are still in the baseline despite the 40-day gap...
    expect(findFirstAnomaly([...old, ...recent], [cand], 30)).toBeNull();
    // ...with 1 active day only the last day counts, and the office IP is new there.
    expect(findFirstAnomaly([...old, ...recent], [cand], 1)?.reasons[0]).toBe("source IP 203.0.113.10 not seen on the owner's last 1 active days");
    expect(baselineSlice([...old, ...recent], cand.eventTime!, 1)).toEqual(recent);
    expect(baselineSlice([...old, ...recent], cand.eventTime!, 2)).toHaveLength(recent.length + 3);
  });

  it('falls back to a new region or user agent when every IP is known, and ignores service names as IPs', () => {
    const c = [act(t0 + 11 * D, 'ec2.amazonaws.com'), act(t0 + 11 * D + H, '203.0.113.10', { awsRegion: 'eu-west-3' })];
    const a = findFirstAnomaly(history, c, 30);
    expect(a?.index).toBe(1);
    expect(a?.reasons).toEqual(["region eu-west-3 not seen on the owner's last 30 active days"]);
  });
});

describe('marksFor and usual hours', () => {
  const history: ActivityLike[] = [];
  for (let d = 0; d < 5; d++) for (const h of [9, 12, 15]) history.push(act(t0 + d * D + h * H));

  it('marks new IP/region/service/user agent and hours outside the usual ones (in the zone)', () => {
    const b = buildBaseline(history, 'UTC');
    expect([...b.usualHours!].sort((x, y) => x - y)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(marksFor(act(t0 + 6 * D + 10 * H), b, 'UTC')).toEqual({ new: false, newIp: false, newRegion: false, newService: false, newUserAgent: false, outsideUsualHours: false });
    expect(marksFor(act(t0 + 6 * D + 3 * H, '198.51.100.9', { eventSource: 'iam.amazonaws.com' }), b, 'UTC')).toEqual({
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

  it('says nothing (null) without enough history', () => {
    const b = buildBaseline(history.slice(0, 2), 'UTC');
    expect(b.usualHours).toBeNull();
    expect(marksFor(act(t0), b, 'UTC').new).toBeNull();
  });
});
