// Blind spots on small hand-made evidence with the shapes the sample lacks: logging stopped and never restarted,
// event selectors that drop management events (the call that succeeded, not the attempt that failed), a trail update
// that turns off validation, a delivery gap no chain gap explains, and no digests at all.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { event, writeLog } from '../helpers/evidence.js';
import { runCliInProcess } from '../helpers/cli.js';
import { tmpDir } from '../helpers/paths.js';
import { openCase } from '../../src/index/open.js';
import { caseInfo } from '../../src/index/info.js';
import { findBlindSpots } from '../../src/triage/blind-spots.js';
import { selectorReduction } from '../../src/scenarios/trail-settings.js';
import type { BlindSpot } from '../../src/model/triage.js';

const trail = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main-trail';
let spots: BlindSpot[];
let ids: Record<string, string>;

const call = (eventName: string, eventTime: string, requestParameters: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  event({ eventSource: 'cloudtrail.amazonaws.com', eventName, eventTime, requestParameters, readOnly: false, ...over });

beforeAll(async () => {
  const root = tmpDir('trailhound-blind-');
  const evidence = path.join(root, 'evidence');
  const deniedStop = call('StopLogging', '2024-02-17T10:00:00Z', { name: trail }, { errorCode: 'AccessDenied', errorMessage: 'denied' });
  const selectors = call('PutEventSelectors', '2024-02-17T10:05:00Z', { trailName: 'main-trail', eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false, dataResources: [] }] });
  const validation = call('UpdateTrail', '2024-02-17T10:06:00Z', { name: 'main-trail', enableLogFileValidation: false });
  const stop = call('StopLogging', '2024-02-17T10:10:00Z', { name: trail });
  ids = { deniedStop: deniedStop.eventID as string, selectors: selectors.eventID as string, validation: validation.eventID as string, stop: stop.eventID as string };
  writeLog(evidence, [deniedStop, selectors, validation, stop], { stamp: '20240217T1015Z' });
  // 20 hours later: nothing in between for this account and region.
  writeLog(evidence, [event({ eventTime: '2024-02-18T06:00:00Z' })], { stamp: '20240218T0605Z' });
  const db = path.join(root, 'case.db');
  const r = await runCliInProcess(['ingest', evidence, '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  const handle = openCase(db, { readonly: true });
  try {
    const info = caseInfo(handle);
    spots = findBlindSpots(handle, { categories: info.categories, sources: info.sources, firstMs: Date.parse(info.timeRange.start!), lastMs: Date.parse(info.timeRange.end!) });
  } finally {
    handle.close();
  }
  fs.rmSync(evidence, { recursive: true, force: true });
});

describe('blind spots on hand-made evidence', () => {
  it('says first that nothing is proven without digest files', () => {
    expect(spots[0]).toMatchObject({ kind: 'not-verified', severity: 'high' });
    expect(spots[0].message).toMatch(/no digest files in the evidence/);
  });

  it('reports the StopLogging that succeeded, never restarted, to the end of the evidence; not the denied attempt', () => {
    const stopped = spots.filter((s) => s.kind === 'logging-stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ start: '2024-02-17T10:10:00Z', end: '2024-02-18T06:00:00Z', eventIds: [ids.stop] });
    expect(stopped[0].message).toMatch(/trail main-trail .* never restarted/);
  });

  it('reports selectors that stop recording management events and validation turned off', () => {
    const reduced = spots.filter((s) => s.kind === 'logging-reduced');
    expect(reduced.map((s) => s.eventIds[0]).sort()).toEqual([ids.selectors, ids.validation].sort());
    expect(reduced.find((s) => s.eventIds[0] === ids.selectors)!.message).toMatch(/management events are no longer recorded/);
    expect(reduced.find((s) => s.eventIds[0] === ids.validation)!.message).toMatch(/log file validation \(digests\) turned off/);
  });

  it('does not report the delivery gap that the stopped logging explains', () => {
    expect(spots.filter((s) => s.kind === 'missing-hours')).toEqual([]);
  });

  it('says data events and Insights are absent', () => {
    expect(spots.map((s) => s.kind)).toEqual(expect.arrayContaining(['no-data-events', 'no-insights']));
  });
});

describe('selectorReduction', () => {
  it('reads basic and advanced selectors', () => {
    expect(selectorReduction({ eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }] })).toBeNull();
    expect(selectorReduction({ eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] })).toMatch(/only read management events/);
    expect(selectorReduction({ eventSelectors: [{ includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] }] })).toMatch(/kms\.amazonaws\.com are excluded/);
    expect(selectorReduction({ eventSelectors: [] })).toMatch(/no longer recorded/);
    expect(selectorReduction({ advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }] }] })).toMatch(/Management category/);
    expect(selectorReduction({ advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }] })).toBeNull();
    expect(selectorReduction(null)).toBeNull();
  });
});
