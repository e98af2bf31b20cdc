// Which calls weaken logging or detection, what each takes away, and the defence-evasion finding that keeps what
// succeeded apart from what failed. Counted: the defence-evasion entries of the sensitive table (StopLogging,
// DeleteTrail, GuardDuty, Config, flow logs, resolver query logging, Security Hub …); PutEventSelectors and
// UpdateTrail only when trail-settings.ts says they narrow the trail (saying what); and PutBucketLifecycle,
// DeleteBucket, PutBucketPolicy or DeleteBucketPolicy on a bucket the case's trails deliver to.

import type { Db } from '../index/open.js';
import { findEvents } from '../index/search.js';
import { trailBucketCandidates } from '../index/trail-buckets.js';
import { failureOf } from '../model/outcome.js';
import { withBodies } from './case-source.js';
import { finding } from './finding.js';
import type { InvestigationFinding } from './common.js';
import { asObj, str, type Obj } from './record.js';
import { sensitiveCategory } from './sensitive-actions.js';
import { selectorReduction, trailSettingReduction } from './trail-settings.js';

/** S3 calls that destroy or lock away a trail's logs when they target its bucket. */
export const TRAIL_BUCKET_CALLS: ReadonlySet<string> = new Set(['PutBucketLifecycle', 'PutBucketLifecycleConfiguration', 'DeleteBucket', 'PutBucketPolicy', 'DeleteBucketPolicy']);

/** One counted call, as the finding's `succeeded` / `failed` lists give it. */
export interface EvasionCall {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  /** What the call takes away (or tried to), in words. */
  effect: string;
  /** null when it succeeded. */
  errorCode: string | null;
}

/** A call to judge: its columns and its record (null when the body is not available). */
export interface EvasionCandidate {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  record: Obj | null;
}

/** Is this call one that may be counted (before its parameters are read)? */
export function mayEvade(eventSource: string | null, eventName: string | null): boolean {
  if (eventSource === 's3.amazonaws.com' && eventName && TRAIL_BUCKET_CALLS.has(eventName)) return true;
  return sensitiveCategory(eventSource, eventName) === 'defence-evasion';
}

/** The buckets the case's trails deliver to: from the evidence's layout and digest chains, and CreateTrail/UpdateTrail. */
export function caseTrailBuckets(db: Db): Set<string> {
  const out = new Set(trailBucketCandidates(db));
  const calls = findEvents(db, { eventNames: ['CreateTrail', 'UpdateTrail'] }).filter((r) => !r.errorCode);
  for (const e of withBodies(db, calls)) {
    for (const part of [e.record?.requestParameters, e.record?.responseElements]) {
      const b = str(asObj(part)?.s3BucketName);
      if (b) out.add(b);
    }
  }
  return out;
}

/** What a call takes away from logging or detection, or null when it is not counted. */
export function evasionEffect(c: Pick<EvasionCandidate, 'eventSource' | 'eventName' | 'record'>, trailBuckets: ReadonlySet<string>): string | null {
  const name = c.eventName ?? '';
  const rp = asObj(c.record?.requestParameters);
  if (c.eventSource === 's3.amazonaws.com' && TRAIL_BUCKET_CALLS.has(name)) {
    const bucket = str(rp?.bucketName);
    return bucket && trailBuckets.has(bucket) ? `trail bucket ${bucket}` : null;
  }
  if (sensitiveCategory(c.eventSource, c.eventName) !== 'defence-evasion') return null;
  if (name === 'PutEventSelectors') return rp ? selectorReduction(rp) : null;
  if (name === 'UpdateTrail') {
    const narrowed = rp ? trailSettingReduction(rp) : null;
    if (narrowed) return narrowed;
    const bucket = str(rp?.s3BucketName);
    return bucket && !trailBuckets.has(bucket) ? `logs now delivered to bucket ${bucket}, outside the evidence` : null;
  }
  return name;
}

/** The counted calls among the candidates, split by outcome (oldest first, as given). */
export function splitEvasion(candidates: readonly EvasionCandidate[], trailBuckets: ReadonlySet<string>): { succeeded: EvasionCall[]; failed: EvasionCall[] } {
  const succeeded: EvasionCall[] = [];
  const failed: EvasionCall[] = [];
  for (const c of candidates) {
    const effect = evasionEffect(c, trailBuckets);
    if (!effect) continue;
    const error = failureOf(c.errorCode, c.errorMessage);
    const call: EvasionCall = { eventId: c.eventId, eventTime: c.eventTime, eventName: c.eventName, eventSource: c.eventSource, awsRegion: c.awsRegion, effect, errorCode: error };
    (error === null ? succeeded : failed).push(call);
  }
  return { succeeded, failed };
}

function listed(calls: readonly EvasionCall[], withError: boolean): string {
  const seen = new Map<string, number>();
  for (const c of calls) {
    const what = c.effect === c.eventName ? c.effect : `${c.eventName} (${c.effect})`;
    const key = withError && c.errorCode ? `${what}: ${c.errorCode}` : what;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
}

/** The defence-evasion finding: high when anything succeeded, the catalog's alternate level when every call failed. */
export function defenceEvasionFinding(split: { succeeded: EvasionCall[]; failed: EvasionCall[] }): InvestigationFinding | null {
  const { succeeded, failed } = split;
  if (!succeeded.length && !failed.length) return null;
  const parts: string[] = [];
  if (succeeded.length) parts.push(`succeeded: ${listed(succeeded, false)}`);
  if (failed.length) parts.push(`failed: ${listed(failed, true)}`);
  const eventIds = [...succeeded, ...failed].sort((a, b) => (a.eventTime ?? '').localeCompare(b.eventTime ?? '')).map((c) => c.eventId);
  return finding('defence-evasion', { message: `logging/defence changes ${parts.join('; ')}`, eventIds, succeeded, failed }, { alternate: succeeded.length === 0 });
}
