// One triage report from a case that has been ingested, verified (when it can be) and run through detect: the
// evidence in brief, blind spots, coverage and activity, stack counts, findings (rules and the case-wide
// investigations) with outcome and revert state, the actors behind the severe ones (keys followed up with
// `investigate access-key`), next steps and the cited events with their provenance.

import type { Db } from '../index/open.js';
import { caseInfo } from '../index/info.js';
import { accountRegionDays, eventsNamed, hourlyActivity } from '../index/triage-facts.js';
import { forEachEventRecord } from '../index/bodies.js';
import { LEVELS, levelRank, type Level } from '../model/detection.js';
import { isoUtc } from '../model/time.js';
import { TRIAGE_SCHEMA, type TriageEvidence, type TriageReport, type TriageStep } from '../model/triage.js';
import type { InvestigationOptions } from '../scenarios/common.js';
import { buildActors, severeKeys, type KeyFollowUp } from './actors.js';
import { findBlindSpots } from './blind-spots.js';
import { citedEvents } from './cited-events.js';
import { stageRuleFindings, triageFindings, type InvestigationFindingInput } from './findings.js';
import { CASE_WIDE, followUpKey, runInvestigation } from './investigations.js';
import { nextSteps, type ResponseInput } from './next-steps.js';
import { buildStacks } from './stacks.js';
import { integrityText } from '../report/info.js';

/** Keys followed up with `investigate access-key` at most. */
export const MAX_FOLLOW_UPS = 10;

export interface BuildOptions {
  caseFile: string;
  tz: string;
  toolVersion: string;
  now: number;
  /** The steps that ran before (ingest, verify, detect); the investigations are added here. */
  steps: TriageStep[];
  /** Findings at or above this level make the exit code 6. */
  failLevel?: Level;
  /** Exit code of the steps before (4: ingest skipped files, 3: integrity failure), 0 when none. */
  priorExitCode?: number;
}

function timed<T>(steps: TriageStep[], step: string, fn: () => { value: T; note: string }): T | null {
  const t0 = performance.now();
  try {
    const { value, note } = fn();
    steps.push({ step, status: 'ran', note, durationMs: Math.round(performance.now() - t0) });
    return value;
  } catch (err) {
    steps.push({ step, status: 'failed', note: (err as Error).message, durationMs: Math.round(performance.now() - t0) });
    return null;
  }
}

/** Instances that a person (not an AWS service) stopped or terminated successfully. */
function instancesStoppedByPeople(db: Db): string[] {
  const events = eventsNamed(db, ['StopInstances', 'TerminateInstances']).filter((e) => e.errorCode === null && e.arn !== null && !/:assumed-role\/AWSServiceRole/.test(e.arn));
  const out = new Set<string>();
  forEachEventRecord(db, events.map((e) => e.rowId), (_id, rec) => {
    const items = ((rec.requestParameters as Record<string, unknown> | null)?.instancesSet as Record<string, unknown> | undefined)?.items;
    if (Array.isArray(items)) for (const i of items) if (typeof (i as Record<string, unknown>)?.instanceId === 'string') out.add((i as Record<string, string>).instanceId);
  });
  return [...out].sort();
}

export function buildTriage(db: Db, opts: BuildOptions): TriageReport {
  const steps = [...opts.steps];
  const common: InvestigationOptions = { filter: {}, tz: opts.tz, now: opts.now };
  const invFindings: InvestigationFindingInput[] = [];
  for (const c of CASE_WIDE) {
    const found = timed(steps, `investigate ${c.name}${c.params.all ? ' --all' : ''}`, () => {
      const r = runInvestigation(db, c.name, c.params, common);
      return { value: r.findings, note: `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}` };
    });
    if (found) invFindings.push(...found);
  }
  // Keys behind high findings (rules and case-wide investigations) are followed up.
  const rules = stageRuleFindings(db);
  const first = triageFindings(db, invFindings, rules);
  const followUps = new Map<string, KeyFollowUp>();
  const responses: ResponseInput[] = [];
  for (const key of severeKeys(first).slice(0, MAX_FOLLOW_UPS)) {
    const r = timed(steps, `investigate access-key ${key}`, () => {
      const f = followUpKey(db, key, common);
      return { value: f, note: f ? `${f.findings.length} findings${f.followUp.suspectWindow ? `; suspect window ${f.followUp.suspectWindow.start} to ${f.followUp.suspectWindow.end}` : ''}` : 'not in the case' };
    });
    if (!r) continue;
    followUps.set(key, r.followUp);
    invFindings.push(...r.findings);
    responses.push(...r.responses);
  }
  const findings = followUps.size ? triageFindings(db, invFindings, rules) : first;
  const info = caseInfo(db);
  const firstMs = info.timeRange.start ? Date.parse(info.timeRange.start) : null;
  const lastMs = info.timeRange.end ? Date.parse(info.timeRange.end) : null;
  const blindSpots = findBlindSpots(db, { categories: info.categories, sources: info.sources, firstMs, lastMs });
  const actors = buildActors(db, findings, followUps);
  const stacks = buildStacks(db);
  const integrity = info.integrity;
  const evidence: TriageEvidence = {
    caseFile: opts.caseFile,
    events: info.events,
    accounts: info.accounts,
    regions: info.regions,
    firstEvent: info.timeRange.start,
    lastEvent: info.timeRange.end,
    sources: info.sources,
    categories: info.categories,
    integrity: integrityText(info.integrityStatus, info.integrity, opts.caseFile),
    trust: integrity ? integrity.sources : null,
    verifyExitCode: integrity ? integrity.exitCode : null,
  };
  const findingCounts = Object.fromEntries(LEVELS.map((l) => [l, findings.filter((f) => f.level === l).length])) as Record<Level, number>;
  const cited = citedEvents(db, [...findings.flatMap((f) => f.eventIds), ...blindSpots.flatMap((b) => b.eventIds), ...findings.flatMap((f) => f.revert.eventIds)]);
  const failed = opts.failLevel !== undefined && findings.some((f) => levelRank(f.level) >= levelRank(opts.failLevel!));
  const prior = opts.priorExitCode ?? 0;
  return {
    schema: TRIAGE_SCHEMA,
    generatedAt: isoUtc(Math.floor(opts.now / 1000) * 1000),
    toolVersion: opts.toolVersion,
    tz: opts.tz,
    steps,
    evidence,
    blindSpots,
    coverage: accountRegionDays(db).map((c) => ({ account: c.account, region: c.region, day: isoUtc(c.day).slice(0, 10), events: c.events })),
    activity: hourlyActivity(db).map((h) => ({ start: isoUtc(h.hour), events: h.events, flagged: h.flagged })),
    stacks,
    findings,
    findingCounts,
    actors,
    nextSteps: nextSteps({ db: opts.caseFile, findings, actors, blindSpots, responses, instances: instancesStoppedByPeople(db), newIps: new Set(stacks.sourceIps.filter((r) => r.new).map((r) => r.value)) }),
    events: cited.events,
    citedEventsOmitted: cited.omitted,
    exitCode: prior === 3 ? 3 : failed ? 6 : prior,
  };
}
