// Pure TUI logic: the histogram's columns, cursor and window; JSON folding and escaping; list columns by width.
import { describe, expect, it } from 'vitest';
import { barRows, histogramItems, indexAt, scrollFor, selectionWindow, stepCursor } from '../../src/tui/histogram.js';
import { allContainers, defaultFolds, jsonLines } from '../../src/tui/json-fold.js';
import { headerLine, layoutColumns, listTime, rowLine } from '../../src/tui/columns.js';
import { editText } from '../../src/tui/text-edit.js';
import { themeFor } from '../../src/tui/theme.js';
import type { EventRow } from '../../src/index/event-rows.js';

const H = 3_600_000;

describe('histogram', () => {
  const buckets = [
    { start: 0, count: 4 },
    { start: 2 * H, count: 8 },
    { start: 100 * H, count: 1 },
  ];
  const items = histogramItems(buckets, H);
  it('keeps short empty runs as zero columns and folds long ones into a gap', () => {
    expect(items.map((i) => (i.kind === 'gap' ? 'gap' : i.count))).toEqual([4, 0, 8, 'gap', 1]);
    expect(items[3]).toEqual({ kind: 'gap', start: 3 * H, end: 100 * H });
  });
  it('draws bars in eighths, scaled to the biggest bucket, with the gap marked', () => {
    expect(barRows(items, 2)).toEqual(['  █  ', '█ █┊▂']);
  });
  it('moves the cursor over buckets only and stops at the ends', () => {
    expect(stepCursor(items, 2, 1)).toBe(4);
    expect(stepCursor(items, 4, 1)).toBe(4);
    expect(stepCursor(items, 4, -10)).toBe(0);
  });
  it('scrolls only when the columns do not fit', () => {
    expect(scrollFor(5, 10, 4, 0)).toBe(0);
    expect(scrollFor(50, 10, 30, 0, 0)).toBe(21);
    expect(scrollFor(50, 10, 25, 21, 0)).toBe(21);
    expect(scrollFor(50, 10, 5, 21, 0)).toBe(5);
    // With a margin the cursor keeps context on both sides, except at the ends.
    expect(scrollFor(50, 10, 30, 0, 2)).toBe(23);
    expect(scrollFor(50, 10, 1, 23, 2)).toBe(0);
    expect(scrollFor(50, 10, 49, 0, 2)).toBe(40);
  });
  it('turns anchor and cursor into a window, and finds a time again', () => {
    expect(selectionWindow(items, { cursor: 2, anchor: null })).toEqual({ start: 2 * H, end: 3 * H });
    expect(selectionWindow(items, { cursor: 0, anchor: 4 })).toEqual({ start: 0, end: 101 * H });
    expect(indexAt(items, 2 * H + 5)).toBe(2);
    expect(indexAt(items, 50 * H)).toBe(2);
  });
});

describe('json folding', () => {
  const value = { a: 1, b: { c: [1, 2], d: 'x' }, evil: 'bell\u0007 esc\u001b[31m csi\u009b rtl\u202e' };
  it('pretty-prints with folds, and folded containers say how big they are', () => {
    expect(jsonLines(value, new Set()).map((l) => l.text)).toEqual([
      '{',
      '  "a": 1,',
      '  "b": {',
      '    "c": [',
      '      1,',
      '      2',
      '    ],',
      '    "d": "x"',
      '  },',
      '  "evil": "bell\\u0007 esc\\u001b[31m csi\\u009b rtl\\u202e"',
      '}',
    ]);
    expect(jsonLines(value, new Set(['/b'])).map((l) => l.text)[2]).toBe('  "b": {…},  2 keys');
    expect(jsonLines(value, new Set(['/b/c'])).map((l) => l.text)[3]).toBe('    "c": […],  2 items');
  });
  it('no line holds a control character', () => {
    for (const l of jsonLines(value, new Set())) expect(l.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
  it('folds big nested containers by default; fold-all lists every container', () => {
    const big = { requestParameters: { items: Array.from({ length: 30 }, (_, i) => ({ i })) }, small: { x: 1 } };
    expect([...defaultFolds(big)]).toEqual(['/requestParameters']);
    expect(allContainers(big).has('/requestParameters/items/3')).toBe(true);
  });
});

const row = (over: Partial<EventRow> = {}): EventRow => ({
  id: 1,
  eventId: 'e',
  eventTime: Date.UTC(2024, 1, 17, 10, 0, 5),
  eventName: 'StopInstances',
  eventSource: 'ec2.amazonaws.com',
  awsRegion: 'us-east-1',
  recipientAccountId: '123456789012',
  sourceIPAddress: '203.0.113.7',
  userAgent: null,
  identityType: 'IAMUser',
  arn: null,
  principalId: null,
  accountId: null,
  accessKeyId: 'AKIAXXXXXXXXXXXXXXXX',
  userName: 'bob',
  username: 'bob',
  sessionIssuerArn: null,
  sessionIssuerUserName: null,
  sessionIssuerType: null,
  invokedBy: null,
  sourceIdentity: null,
  errorCode: null,
  errorMessage: null,
  readOnly: false,
  eventType: null,
  eventCategory: null,
  managementEvent: true,
  sharedEventId: null,
  requestId: null,
  vpcEndpointId: null,
  flags: 0,
  sourceId: 1,
  recordIndex: 0,
  resources: [],
  ...over,
});

describe('list columns', () => {
  it('fit 80 columns with the essentials and grow at 160', () => {
    const narrow = layoutColumns(80, { trust: false, tz: 'UTC' });
    expect(narrow.columns.map((c) => c.key)).toEqual(['time', 'eventName', 'username', 'accessKey']);
    expect(narrow.columns.reduce((n, c) => n + c.width + 1, 1)).toBeLessThanOrEqual(80);
    const wide = layoutColumns(160, { trust: true, tz: 'UTC' });
    expect(wide.columns.map((c) => c.key)).toEqual(['time', 'eventName', 'username', 'accessKey', 'sourceIp', 'region', 'error', 'service', 'trust', 'account']);
  });
  it('rows are escaped and cut to the width', () => {
    const l = layoutColumns(80, { trust: false, tz: 'UTC' });
    const line = rowLine(l, row({ username: 'evil\u001b]0;pwned\u0007name-that-is-very-long' }), { tz: 'UTC' }, true);
    expect(line).toBe('> 2024-02-17 10:00:05 StopInstances            evil\\e]0;pw… AKIAXXXXXXXXXXXXXXXX');
    expect(headerLine(l)).toBe('  Time                Event name               User name    Access key');
  });
  it('shows times in the zone asked for', () => {
    expect(listTime(Date.UTC(2024, 1, 17, 10, 0, 5), 'Asia/Seoul')).toBe('2024-02-17 19:00:05+09:00');
    expect(listTime(null, 'UTC')).toBe('(no time)');
  });
});

describe('small pieces', () => {
  const k = { backspace: false, delete: false, ctrl: false, meta: false, escape: false, return: false, tab: false, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false } as never;
  it('line editing drops control characters from pasted text', () => {
    expect(editText('ab', 'c\u001b[31md', k)).toBe('abc[31md');
    expect(editText('ab c', '', { ...(k as object), backspace: true } as never)).toBe('ab ');
    expect(editText('ab cd', 'w', { ...(k as object), ctrl: true } as never)).toBe('ab ');
  });
  it('NO_COLOR turns every colour off', () => {
    expect(themeFor({ NO_COLOR: '1' }).color).toBe(false);
    expect(themeFor({ NO_COLOR: '1' }).danger).toBeUndefined();
    expect(themeFor({}).danger).toBe('red');
    expect(themeFor({ NO_COLOR: '' }).color).toBe(true);
  });
});

describe('key runs', () => {
  it('a run of keys Ink delivered as one input is split back into keys', async () => {
    const { splitKeys } = await import('../../src/tui/hooks/use-keys.js');
    const none = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false };
    const got = splitKeys('jK\t\r\u007f\u0015', none);
    expect(got.map(([i, k]) => [i, Object.entries(k).filter(([, v]) => v).map(([n]) => n).join('+')])).toEqual([
      ['j', ''],
      ['K', 'shift'],
      ['', 'tab'],
      ['', 'return'],
      ['', 'backspace'],
      ['u', 'ctrl'],
    ]);
    expect(splitKeys('q', none)).toEqual([['q', none]]);
    expect(splitKeys('', { ...none, downArrow: true })).toEqual([['', { ...none, downArrow: true }]]);
  });
});
