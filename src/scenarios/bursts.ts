// Bursts of denied calls: what someone probing a key's permissions leaves behind. A burst is one technique: calls of
// one action family (every read-only call — Get/List/Describe… of any service — is one `discovery` family, a
// reconnaissance sweep crossing services; changes are grouped per service), each denied and within BURST_GAP_MS of
// the family's previous denied call, at least BURST_MIN of them. Families interleave without merging, so four
// techniques tried over a few minutes are four bursts, not one. Pure.

import { isoUtc } from '../model/time.js';

export interface BurstRow {
  eventId: string;
  eventTime: number | null;
  eventSource: string | null;
  eventName: string | null;
  sourceIPAddress: string | null;
  errorCode: string | null;
}

export interface DeniedBurst {
  start: string | null;
  end: string | null;
  count: number;
  /** `discovery` (read-only calls of any service) or `<service> changes` (e.g. `cloudtrail.amazonaws.com changes`). */
  family: string;
  eventNames: string[];
  sourceIps: string[];
  eventIds: string[];
}

const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden|NotAuthorized/i;
/** A longer pause between two denied calls of one family ends its burst. */
export const BURST_GAP_MS = 2 * 60_000;
/** Fewer denied calls than this are not a burst. */
export const BURST_MIN = 5;
const READ_ONLY = /^(Get|List|Describe|Head|Search|Lookup|Scan|Query|BatchGet|Check|View|Select|Test|Simulate|Estimate|Preview|Validate)/;

export function isDenied(errorCode: string | null): boolean {
  return !!errorCode && DENIED.test(errorCode);
}

/** The action family of a call: `discovery` for read-only names, else `<service> changes`. */
export function actionFamily(eventSource: string | null, eventName: string | null): string {
  return eventName && READ_ONLY.test(eventName) ? 'discovery' : `${eventSource ?? '?'} changes`;
}

/** The denied-call bursts of `rows` (sorted by time), oldest first. */
export function deniedBursts(rows: readonly BurstRow[]): DeniedBurst[] {
  const out: Array<{ at: number; burst: DeniedBurst }> = [];
  const open = new Map<string, BurstRow[]>();
  const flush = (family: string, run: BurstRow[]) => {
    if (run.length < BURST_MIN) return;
    out.push({
      at: run[0].eventTime!,
      burst: {
        start: isoUtc(run[0].eventTime),
        end: isoUtc(run[run.length - 1].eventTime),
        count: run.length,
        family,
        eventNames: [...new Set(run.map((r) => r.eventName).filter((x): x is string => !!x))],
        sourceIps: [...new Set(run.map((r) => r.sourceIPAddress).filter((x): x is string => !!x))],
        eventIds: run.map((r) => r.eventId),
      },
    });
  };
  for (const r of rows) {
    if (!isDenied(r.errorCode) || r.eventTime == null) continue;
    const family = actionFamily(r.eventSource, r.eventName);
    const run = open.get(family);
    if (run && r.eventTime - run[run.length - 1].eventTime! > BURST_GAP_MS) {
      flush(family, run);
      open.set(family, [r]);
    } else if (run) run.push(r);
    else open.set(family, [r]);
  }
  for (const [family, run] of open) flush(family, run);
  return out.sort((a, b) => a.at - b.at).map((x) => x.burst);
}
