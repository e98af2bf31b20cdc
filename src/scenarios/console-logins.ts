// `investigate console-logins`: successes and failures, root logins, logins without MFA, failure bursts by source
// IP, and logins from IPs new for that user.

import type { Db } from '../index/open.js';
import { principalSeenBefore } from '../index/principal-activity.js';
import { findEvents } from '../index/search.js';
import type { EventRow } from '../index/event-rows.js';
import { isoUtc } from '../model/time.js';
import { isIpAddress } from './baseline.js';
import { withBodies } from './case-source.js';
import { describeFilter, trustFor, type InvestigationFinding, type InvestigationOptions } from './common.js';
import { bySeverity, finding } from './finding.js';
import { path, str, type Obj } from './record.js';
import { withOutcomes } from './outcome.js';
import { withReverts } from './finding-reverts.js';

export interface ConsoleLoginOptions extends InvestigationOptions {
  /** Failures from one IP within this many minutes of each other form a burst (default 10). */
  burstMinutes?: number;
  /** Failures needed for a burst (default 3). */
  burstMin?: number;
}

export interface ConsoleLogin {
  eventId: string;
  eventTime: string | null;
  /** userIdentity.arn; for failed IAM-user logins AWS often omits it. */
  userArn: string | null;
  userName: string | null;
  identityType: string | null;
  accountId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  result: 'success' | 'failure' | 'unknown';
  errorMessage: string | null;
  /** additionalEventData.MFAUsed: true / false, null when the event does not say. */
  mfaUsed: boolean | null;
  root: boolean;
  /** The source IP is not in the user's earlier activity in the case (null: no earlier activity to compare). */
  new: boolean | null;
  trust?: string;
}

export interface ConsoleLoginReport {
  investigation: 'console-logins';
  filter: ReturnType<typeof describeFilter>;
  logins: ConsoleLogin[];
  summary: { successes: number; failures: number; rootLogins: number; withoutMfa: number; users: number; sourceIps: number };
  failureBursts: Array<{ sourceIPAddress: string; count: number; start: string | null; end: string | null; users: string[]; followedBySuccess: boolean; eventIds: string[] }>;
  findings: InvestigationFinding[];
}

function resultOf(rec: Obj | null, row: EventRow): ConsoleLogin['result'] {
  const r = str(path(rec, 'responseElements', 'ConsoleLogin'));
  if (r) return r.toLowerCase() === 'success' ? 'success' : 'failure';
  if (row.errorCode || row.errorMessage) return 'failure';
  return 'unknown';
}

function mfaOf(rec: Obj | null): boolean | null {
  const v = path(rec, 'additionalEventData', 'MFAUsed');
  if (typeof v === 'boolean') return v;
  const s = str(v)?.toLowerCase();
  return s === 'yes' || s === 'true' ? true : s === 'no' || s === 'false' ? false : null;
}

export function investigateConsoleLogins(db: Db, opts: ConsoleLoginOptions): ConsoleLoginReport {
  const rows = findEvents(db, { ...opts.filter, eventNames: ['ConsoleLogin'] });
  const events = withBodies(db, rows);
  // Earlier activity per user: the IPs each user came from before each login.
  // Failed sign-ins do not make an IP known.
  const allLogins = opts.filter.startMs == null && opts.filter.endMs == null && !opts.filter.accounts?.length && !opts.filter.regions?.length ? events : withBodies(db, findEvents(db, { eventNames: ['ConsoleLogin'] }));
  const failed = allLogins.filter((e) => resultOf(e.record, e.row) !== 'success').map((e) => e.row.id);
  const trust = trustFor(db, opts,
    rows.map((r) => r.id),
  );
  const logins: ConsoleLogin[] = events.map(({ row, record }) => {
    let isNew: boolean | null = null;
    if (row.arn && row.eventTime != null && isIpAddress(row.sourceIPAddress) && principalSeenBefore(db, row.arn, row.eventTime, null, failed)) {
      isNew = !principalSeenBefore(db, row.arn, row.eventTime, row.sourceIPAddress, failed);
    }
    const userName =
      row.userName ?? str(path(record, 'userIdentity', 'userName')) ?? (row.identityType === 'Root' ? 'root' : row.username);
    const l: ConsoleLogin = {
      eventId: row.eventId,
      eventTime: isoUtc(row.eventTime),
      userArn: row.arn,
      userName,
      identityType: row.identityType,
      accountId: row.accountId ?? row.recipientAccountId,
      sourceIPAddress: row.sourceIPAddress,
      userAgent: row.userAgent,
      result: resultOf(record, row),
      errorMessage: row.errorMessage,
      mfaUsed: mfaOf(record),
      root: row.identityType === 'Root',
      new: isNew,
    };
    const t = trust?.get(row.id);
    if (t) l.trust = t;
    return l;
  });

  // Failure bursts per source IP.
  const gap = (opts.burstMinutes ?? 10) * 60_000;
  const min = opts.burstMin ?? 3;
  const bursts: ConsoleLoginReport['failureBursts'] = [];
  const byIp = new Map<string, ConsoleLogin[]>();
  for (const l of logins) {
    if (!l.sourceIPAddress) continue;
    let list = byIp.get(l.sourceIPAddress);
    if (!list) byIp.set(l.sourceIPAddress, (list = []));
    list.push(l);
  }
  for (const [ip, list] of byIp) {
    let run: ConsoleLogin[] = [];
    const flush = (next: ConsoleLogin | undefined) => {
      if (run.length >= min) {
        const last = Date.parse(run[run.length - 1].eventTime ?? '');
        const success = next && next.result === 'success' && Date.parse(next.eventTime ?? '') - last <= gap ? next : undefined;
        bursts.push({
          sourceIPAddress: ip,
          count: run.length,
          start: run[0].eventTime,
          end: run[run.length - 1].eventTime,
          users: [...new Set(run.map((r) => r.userName ?? r.userArn ?? '?'))],
          followedBySuccess: !!success,
          eventIds: [...run.map((r) => r.eventId), ...(success ? [success.eventId] : [])],
        });
      }
      run = [];
    };
    for (let i = 0; i < list.length; i++) {
      const l = list[i];
      if (l.result !== 'failure') {
        flush(l);
        continue;
      }
      const t = Date.parse(l.eventTime ?? '');
      if (run.length && t - Date.parse(run[run.length - 1].eventTime ?? '') > gap) flush(undefined);
      run.push(l);
    }
    flush(undefined);
  }
  bursts.sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));

  const findings: InvestigationFinding[] = [];
  for (const l of logins) {
    if (l.root && l.result === 'success') {
      findings.push(finding('root-login', { message: `root signed in to the console from ${l.sourceIPAddress ?? '?'}${l.mfaUsed === false ? ' without MFA' : ''}${l.new ? ' (new IP)' : ''}`, eventIds: [l.eventId] }));
    } else if (l.root && l.result === 'failure') {
      findings.push(finding('root-login-failed', { message: `failed root console login from ${l.sourceIPAddress ?? '?'}`, eventIds: [l.eventId] }));
    }
    if (!l.root && l.result === 'success' && l.mfaUsed === false) {
      findings.push(finding('login-without-mfa', { message: `${l.userArn ?? l.userName ?? '?'} signed in without MFA from ${l.sourceIPAddress ?? '?'}`, eventIds: [l.eventId] }));
    }
    if (l.result === 'success' && l.new) {
      findings.push(finding('login-from-new-ip', { message: `${l.userArn ?? l.userName ?? '?'} signed in from ${l.sourceIPAddress}, an IP not in the user's earlier activity`, eventIds: [l.eventId] }));
    }
  }
  for (const b of bursts) {
    const fields = {
      message: `${b.count} failed logins from ${b.sourceIPAddress} between ${b.start} and ${b.end} (users: ${b.users.join(', ')})${b.followedBySuccess ? ', then a success' : ''}`,
      eventIds: b.eventIds,
    };
    findings.push(b.followedBySuccess ? finding('failure-burst-then-success', fields) : finding('failure-burst', fields));
  }
  findings.sort(bySeverity);
  const byId = new Map(rows.map((r) => [r.eventId, r]));
  withOutcomes(db, findings, byId);
  withReverts(db, findings, byId);

  return {
    investigation: 'console-logins',
    filter: describeFilter(opts.filter),
    logins,
    summary: {
      successes: logins.filter((l) => l.result === 'success').length,
      failures: logins.filter((l) => l.result === 'failure').length,
      rootLogins: logins.filter((l) => l.root).length,
      withoutMfa: logins.filter((l) => l.result === 'success' && l.mfaUsed === false).length,
      users: new Set(logins.map((l) => l.userArn ?? l.userName)).size,
      sourceIps: byIp.size,
    },
    failureBursts: bursts,
    findings,
  };
}
