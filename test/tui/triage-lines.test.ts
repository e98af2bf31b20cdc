// The triage screen's pure parts: moving in a list held in memory, the finding and stack rows at a width (escaped,
// cut, in the case's zone), and the short principal.
import { describe, expect, it } from 'vitest';
import { findingDetail, findingLayout, findingLine, findingWho, movePlace, shortPrincipal, stackHeader, stackLayout, stackLine } from '../../src/tui/triage-lines.js';
import type { StackRow, TriageFinding } from '../../src/model/triage.js';

function finding(over: Partial<TriageFinding> = {}): TriageFinding {
  return {
    id: 'f1',
    origin: 'rule',
    ruleId: 'th-test',
    title: 'CloudTrail trail stopped or deleted',
    level: 'high',
    outcome: 'succeeded',
    errorCodes: [],
    revert: { state: 'reverted', eventIds: ['e2'], note: 'undone later by 1 call' },
    firstTime: '2024-02-17T23:15:00Z',
    lastTime: '2024-02-17T23:15:00Z',
    eventCount: 1234,
    eventIds: ['e1'],
    principals: ['arn:aws:iam::444455556666:user/ci-deployer', 'arn:aws:iam::444455556666:user/other'],
    accessKeyIds: ['AKIAKSIK6MPRGUM7RZAA'],
    sourceIps: ['198.51.100.140'],
    accounts: ['444455556666'],
    regions: ['us-east-1'],
    details: {},
    author: null,
    source: 'rules/trailhound',
    trust: null,
    ...over,
  };
}

describe('movePlace', () => {
  it('clamps to the list and keeps the selection in view', () => {
    expect(movePlace({ sel: 0, top: 0 }, 1, 10, 4)).toEqual({ sel: 1, top: 0 });
    expect(movePlace({ sel: 3, top: 0 }, 1, 10, 4)).toEqual({ sel: 4, top: 1 });
    expect(movePlace({ sel: 4, top: 1 }, 100, 10, 4)).toEqual({ sel: 9, top: 6 });
    expect(movePlace({ sel: 9, top: 6 }, -100, 10, 4)).toEqual({ sel: 0, top: 0 });
    expect(movePlace({ sel: 0, top: 0 }, 1, 0, 4)).toEqual({ sel: 0, top: 0 });
  });
});

describe('finding rows', () => {
  it('level, time in the zone, title, outcome, revert, events, principal', () => {
    const utc = findingLine(findingLayout(160, 'UTC'), finding(), true);
    expect(utc).toMatch(/^> high {3}2024-02-17 23:15:00 CloudTrail trail stopped or deleted +succeeded reverted +1,234 444455556666:user\/ci-deployer \+1$/);
    const seoul = findingLine(findingLayout(160, 'Asia/Seoul'), finding(), false);
    expect(seoul).toContain('2024-02-18 08:15:00+09:00');
  });

  it('at 80 columns the principal and time columns go, the title keeps 40 cells, the detail line has the time', () => {
    const layout = findingLayout(80, 'UTC');
    const l = findingLine(layout, finding({ title: `${'x'.repeat(39)}y${'z'.repeat(100)}` }), false);
    expect([...l].length).toBeLessThanOrEqual(80);
    expect(l).toContain(`${'x'.repeat(39)}y`);
    expect(l).toContain('…');
    expect(l).not.toContain('ci-deployer');
    expect(l).not.toContain('2024-02-17');
    expect(findingDetail(finding(), layout)).toMatch(/^2024-02-17 23:15:00 th-test \(rules\/trailhound\) · keys AKIAKSIK6MPRGUM7RZAA · from 198\.51\.100\.140 · undone later by 1 call$/);
    expect(findingDetail(finding(), findingLayout(160, 'UTC'))).toMatch(/^th-test /);
  });

  it('attacker-controlled text is escaped', () => {
    const evil = '\u001b]0;owned\u0007\u202e';
    const l = findingLine(findingLayout(200, 'UTC'), finding({ title: `t${evil}`, principals: [`arn:aws:iam::1:user/x${evil}`] }), false);
    expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(l).toContain('t\\e]0;owned\\x07\\u202e');
  });

  it('who: the principal, else the access key, else -', () => {
    expect(findingWho(finding({ principals: [] }))).toBe('AKIAKSIK6MPRGUM7RZAA');
    expect(findingWho(finding({ principals: [], accessKeyIds: [] }))).toBe('-');
    expect(shortPrincipal('arn:aws-us-gov:sts::111122223333:assumed-role/r/s')).toBe('111122223333:assumed-role/r/s');
  });
});

describe('stack rows', () => {
  it('new mark, value, counts, first and last seen', () => {
    const r: StackRow = { value: '198.51.100.77', events: 1500, errors: 12, firstSeen: '2025-02-12T23:41:07Z', lastSeen: '2025-02-12T23:57:51Z', new: true };
    const l = stackLine(stackLayout(100, 'UTC', 'Source IP'), r, true);
    expect(l).toMatch(/^> new 198\.51\.100\.77 +1,500 +12 2025-02-12 23:41:07 2025-02-12 23:57:51$/);
    expect(stackLine(stackLayout(100, 'UTC', 'Source IP'), { ...r, new: false }, false)).toMatch(/^ {6}198\.51\.100\.77 /);
  });

  it('at 80 columns the last-seen column goes so that an access key is whole', () => {
    const r: StackRow = { value: 'AKIAKSIK6MPRGUM7RZAA', events: 181, errors: 27, firstSeen: '2025-02-10T18:31:10Z', lastSeen: '2025-02-11T02:58:31Z', new: true };
    const layout = stackLayout(80, 'UTC', 'Access key');
    const l = stackLine(layout, r, false);
    expect(l).toMatch(/^ {2}new AKIAKSIK6MPRGUM7RZAA +181 +27 2025-02-10 18:31:10$/);
    expect([...l].length).toBeLessThanOrEqual(80);
    expect(stackHeader(layout)).not.toContain('Last seen');
  });
});
