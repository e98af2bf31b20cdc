// `investigate access-key`: everything a key did, everything it minted or created (recursively, across accounts
// where the evidence has both sides), what those did, and how it all compares with the owner's usual activity.

import type { Db } from '../index/open.js';
import { activityOf, keySample } from '../index/principal-activity.js';
import { findEvents } from '../index/search.js';
import { byTime, type EventRow, type RowShape } from '../index/event-rows.js';

import { caseCoverage } from '../index/query-coverage.js';
import { isoUtc } from '../model/time.js';
import { InvestigationInputError } from '../model/errors.js';
import { agentFamily, BASELINE_MINIMUM_TEXT, describeBaseline, isIpAddress, marksFor, type Baseline, type BaselineStrength, type Confidence, type NoveltyMarks } from './baseline.js';
import { deniedBursts, type DeniedBurst } from './bursts.js';
import { suspectWindow } from './suspect-window.js';
import { caseLineageSource, caseMintLookup, withBodies } from './case-source.js';
import {
  accountOfArn,
  createdAccessKey,
  traceLineage,
  type EventWithBody,
} from './credentials.js';
import {
  cite,
  coverageJson,
  describeFilter,
  passes,
  trustFor,
  type CitedEvent,
  type CoverageJson,
  type InvestigationFinding,
  type InvestigationOptions,
} from './common.js';
import { bySeverity, finding } from './finding.js';
import { attributeActor, type AssumingIdentity } from './identity.js';
import { instanceLinkOfKey, type InstanceLink } from './instance-sessions.js';
import { sensitiveCategory, type SensitiveCategory } from './sensitive-actions.js';
import { sensitiveActionsOf, type SensitiveGroup } from './sensitive-rows.js';
import { defenceEvasionFinding } from './defence-evasion.js';
import { withOutcomes } from './outcome.js';
import { callReverts, withReverts } from './finding-reverts.js';
import { responsePlan, type ResponseCommand, type ResponseSkipped } from './response.js';
import { createdKeyRevert, findExposures, lineageGone, type CreatedKeyRevert, type Exposure } from './exposures.js';
import type { DerivedCredential, Owner } from './key-report-types.js';

export type { DerivedCredential, Owner };

/** What the timeline reads of each event signed by the key or a credential it minted. */
const TIMELINE: RowShape = {
  columns: ['eventName', 'eventSource', 'awsRegion', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'identityType', 'arn', 'accessKeyId', 'errorCode', 'errorMessage'],
};

export interface AccessKeyOptions extends InvestigationOptions {
  /** Start of the suspect window; default: the first anomaly found. */
  since?: number | null;
  /** Days of owner activity before the window that form the baseline (default 30). */
  baselineDays?: number;
  /** Deepest level of lineage followed (default 64). */
  maxDepth?: number;
}

const ACCESS_KEY_RE = /^A[A-Z0-9]{3}[A-Z0-9]{12,124}$/;

function checkAccessKeyId(key: string): void {
  if (!ACCESS_KEY_RE.test(key)) {
    throw new InvestigationInputError(
      `access key ID "${key}" is malformed: expected 16 to 128 upper-case letters and digits starting with A, such as AKIAIOSFODNN7EXAMPLE (long-term key, AKIA…) or ASIA… (temporary credentials)`,
    );
  }
}


export interface KeyEvent extends CitedEvent, Partial<NoveltyMarks> {
  /** Which credential signed it: the investigated key, a derived (temporary) one, a key it created, or the other account's copy of a call. */
  credential: 'investigated' | 'derived' | 'created' | 'linked';
  /** Lineage depth of the signing credential (0 = the investigated key). */
  depth: number;
  /** Sensitive-action category, if any. */
  category: SensitiveCategory | null;
  inSuspectWindow: boolean;
}


export interface CreatedAccessKey {
  accessKeyId: string;
  userName: string | null;
  accountId: string | null;
  parentAccessKeyId: string;
  eventId: string | null;
  eventTime: string | null;
  used: boolean;
  eventCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Deleted (DeleteAccessKey, or its user deleted) or deactivated (UpdateAccessKey Inactive) later in the evidence. */
  revert: CreatedKeyRevert;
}

export interface Counted {
  value: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  new: boolean | null;
}

export interface AccessKeyReport {
  investigation: 'access-key';
  accessKeyId: string;
  keyType: 'long-term' | 'temporary' | 'other';
  found: boolean;
  /** What the case covers (only when the key was not found). */
  coverage?: CoverageJson;
  filter: ReturnType<typeof describeFilter>;
  tz: string;
  owner: Owner | null;
  /** Who created the key (CreateAccessKey), when the evidence holds it. */
  createdBy: { arn: string | null; eventId: string; eventTime: string | null } | null;
  /** For a temporary key: the calls that minted it, up to the first long-term identity. */
  mintedBy: AssumingIdentity[];
  /** For an instance-profile session (ASIA… issued by EC2): the instance, its own addresses, use elsewhere. */
  instanceLink: InstanceLink | null;
  derivedCredentials: DerivedCredential[];
  createdAccessKeys: CreatedAccessKey[];
  /** Persistence and exposure changes the lineage made that succeeded, oldest first, each with its revert state. */
  exposures: Exposure[];
  lineageTruncated: boolean;
  events: KeyEvent[];
  firstSeen: string | null;
  lastSeen: string | null;
  sourceIps: Array<{ ip: string; count: number; firstSeen: string | null; lastSeen: string | null; new: boolean | null }>;
  /** User-agent families (model/user-agent.ts userAgentFamily), each with the number of distinct full strings in it. */
  userAgents: Array<Counted & { variants: number }>;
  regions: Counted[];
  services: Counted[];
  eventNames: Array<{ eventName: string; count: number }>;
  errors: Array<{ errorCode: string; count: number; firstSeen: string | null; lastSeen: string | null }>;
  accessDeniedBursts: DeniedBurst[];
  newRegions: string[];
  newServices: string[];
  newUserAgents: string[];
  newSourceIps: string[];
  suspectWindow: {
    start: string | null;
    end: string | null;
    /**
     * since: given with --since; first-anomaly: found by the tool on agreeing signals; thin-baseline: the history is
     * too thin to compare with, the window covers the addresses with attack signals; none: nothing found.
     */
    source: 'since' | 'first-anomaly' | 'thin-baseline' | 'none';
    firstAnomalyEventId: string | null;
    reasons: string[];
    /** How sure the tool is of a window it found (high|medium|low); null for since and none. */
    confidence: Confidence | null;
  };
  baseline: {
    /** First and last event of the baseline. */
    start: string | null;
    end: string | null;
    /** --baseline-days: the owner's most recent active days (days with events) before the window. */
    days: number;
    /** Days (UTC) with events the baseline actually holds. */
    activeDays: number;
    eventCount: number;
    /** none | thin (below the minimum: nothing is marked new, no anomaly found from it) | usable. */
    strength: BaselineStrength;
    /** What the baseline rests on, in words ("412 events over 3.2 days on 4 active days"; "too thin: …"). */
    summary: string;
    /** Local hours (in tz) the owner usually works, or null when the baseline is too small. */
    usualHours: number[] | null;
  };
  /** Sensitive calls by category, each with its outcome, errorCode and decisive parameters (sensitive-rows.ts). */
  sensitiveActions: SensitiveGroup[];
  findings: InvestigationFinding[];
  response: ResponseCommand[];
  /** What the plan needs no command for: already deleted or undone in the evidence. */
  responseSkipped: ResponseSkipped[];
}

function keyType(key: string): AccessKeyReport['keyType'] {
  return key.startsWith('AKIA') ? 'long-term' : key.startsWith('ASIA') ? 'temporary' : 'other';
}

export function investigateAccessKey(db: Db, accessKeyId: string, opts: AccessKeyOptions): AccessKeyReport {
  const key = accessKeyId.trim();
  checkAccessKeyId(key);
  const baselineDays = opts.baselineDays ?? 30;
  const tz = opts.tz;

  // 1. Who owns it: events signed with it, else the call that created it.
  const sample = keySample(db, key);
  const ownerRow = sample.owner;
  const creation = withBodies(
    db,
    findEvents(db, { resourceNames: [key], resourceTypes: ['AWS::IAM::AccessKey'] }).filter((r) => r.eventName === 'CreateAccessKey' && !r.errorCode),
  ).find((e) => createdAccessKey(e.record)?.accessKeyId === key);
  let owner: Owner | null = null;
  if (ownerRow) {
    owner = { userName: ownerRow.userName, arn: ownerRow.arn, accountId: ownerRow.accountId ?? accountOfArn(ownerRow.arn), type: ownerRow.identityType, source: 'events' };
  } else if (creation) {
    const ck = createdAccessKey(creation.record)!;
    const acct = ck.accountId ?? creation.row.recipientAccountId;
    owner = {
      userName: ck.userName,
      arn: ck.userName && acct ? `arn:aws:iam::${acct}:user/${ck.userName}` : null,
      accountId: acct,
      type: 'IAMUser',
      source: 'CreateAccessKey',
    };
  }

  // 2. For a temporary key, the calls that minted it.
  const lookup = caseMintLookup(db);
  const firstOwn = sample.first ? withBodies(db, [sample.first])[0] : null;
  const mintedBy = firstOwn ? attributeActor(firstOwn, lookup).assumedByChain : [];
  const mintedSelf = !firstOwn && key.startsWith('ASIA') ? lookup.mintEventFor(key, null) : null;
  if (mintedSelf) {
    mintedBy.push({
      arn: mintedSelf.row.arn,
      type: mintedSelf.row.identityType,
      accountId: mintedSelf.row.accountId,
      accessKeyId: mintedSelf.row.accessKeyId,
      via: mintedSelf.row.eventName,
      eventId: mintedSelf.row.eventId,
      eventTime: isoUtc(mintedSelf.row.eventTime),
      sourceIPAddress: mintedSelf.row.sourceIPAddress,
    });
  }

  const found = !!sample.first || !!creation || mintedBy.length > 0;
  const base = {
    investigation: 'access-key' as const,
    accessKeyId: key,
    keyType: keyType(key),
    filter: describeFilter(opts.filter),
    tz,
  };
  if (!found) return emptyReport(base, coverageJson(caseCoverage(db)), baselineDays);

  // 3. Lineage over the whole case (credentials cross accounts and time windows); filters apply to what is shown.
  const lineage = traceLineage(caseLineageSource(db), key, owner?.accountId ?? null, opts.maxDepth ?? 64);
  const nodeByKey = new Map(lineage.nodes.map((n) => [n.accessKeyId, n]));
  // Only the columns a cited event, the baseline and the anomalies read: a key's timeline can be tens of thousands of events.
  const allRows = findEvents(db, { accessKeys: lineage.nodes.map((n) => n.accessKeyId) }, TIMELINE);
  const linkedIds = new Set(lineage.linkedEvents.map((l) => l.row.id));
  const rowsById = new Map<number, EventRow>();
  for (const r of allRows) rowsById.set(r.id, r);
  for (const l of lineage.linkedEvents) if (!rowsById.has(l.row.id)) rowsById.set(l.row.id, l.row);
  const everything = [...rowsById.values()].sort(byTime);

  // 4. Baseline and suspect window. The owner's history: events by the owner's ARN or signed by the key.
  const baselineArns = [owner?.arn, mintedBy.length ? mintedBy[mintedBy.length - 1].arn : null].filter((x): x is string => !!x && x.startsWith('arn:'));
  // Events signed by the key itself are in allRows already; the owner's other activity (console sessions, other
  // keys) is read slim.
  const history = [...allRows.filter((r) => r.accessKeyId === key), ...activityOf(db, baselineArns, [key])].sort(byTime);
  const candidates = everything.filter((r) => r.eventTime != null && !linkedIds.has(r.id));
  const shown = everything.filter((r) => passes(r, opts.filter));
  const sw = suspectWindow({ history, candidates, shown, bursts: deniedBursts(candidates), since: opts.since ?? null, endMs: opts.filter.endMs ?? null, activeDays: baselineDays, tz });
  const windowStart = sw.window.start;
  const windowEnd = sw.window.end;
  const windowSource = sw.window.source;
  const anomalyEventId = sw.window.firstAnomalyEventId;
  const reasons = sw.window.reasons;
  // Events are compared with the baseline only when there is a window and the baseline is usable.
  const baseline: Baseline | null = sw.compare ? sw.baseline : null;

  // 5. Events, marked.
  const trust = trustFor(db, opts,
    shown.map((r) => r.id),
  );
  const events: KeyEvent[] = shown.map((r) => {
    const node = r.accessKeyId ? nodeByKey.get(r.accessKeyId) : undefined;
    const credential: KeyEvent['credential'] = linkedIds.has(r.id) && !node ? 'linked' : !node || node.kind === 'investigated' ? 'investigated' : node.kind === 'temporary' ? 'derived' : 'created';
    const afterStart = windowStart != null && r.eventTime != null && r.eventTime >= windowStart;
    const inWindow = afterStart && (windowEnd == null || r.eventTime! <= windowEnd);
    const ev = cite(r, trust) as KeyEvent;
    ev.credential = credential;
    ev.depth = node?.depth ?? 0;
    ev.category = sensitiveCategory(r.eventSource, r.eventName);
    ev.inSuspectWindow = inWindow;
    if (afterStart && baseline) Object.assign(ev, marksFor(r, baseline, tz));
    return ev;
  });

  // 6. Summaries.
  const inWindowRows = shown.filter((r) => windowStart != null && r.eventTime != null && r.eventTime >= windowStart && !linkedIds.has(r.id));
  const isNew = (set: Set<string> | undefined, v: string): boolean | null => (baseline && set ? !set.has(v) : null);
  const counted = (get: (r: EventRow) => string | null, set: (b: Baseline) => Set<string>): Counted[] => {
    const m = new Map<string, { count: number; first: number | null; last: number | null }>();
    for (const r of shown) {
      if (linkedIds.has(r.id)) continue;
      const v = get(r);
      if (!v) continue;
      const c = m.get(v);
      if (!c) m.set(v, { count: 1, first: r.eventTime, last: r.eventTime });
      else {
        c.count++;
        c.last = r.eventTime;
      }
    }
    return [...m]
      .map(([value, c]) => ({ value, count: c.count, firstSeen: isoUtc(c.first), lastSeen: isoUtc(c.last), new: isNew(baseline ? set(baseline) : undefined, value) }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  const ips = counted((r) => r.sourceIPAddress, (b) => b.ips);
  const variants = new Map<string, Set<string>>();
  for (const r of shown) {
    const fam = linkedIds.has(r.id) ? null : agentFamily(r.userAgent);
    if (!fam) continue;
    let v = variants.get(fam);
    if (!v) variants.set(fam, (v = new Set()));
    v.add(r.userAgent!);
  }
  const userAgents = counted((r) => agentFamily(r.userAgent), (b) => b.userAgents).map((c) => ({ ...c, variants: variants.get(c.value)?.size ?? 0 }));
  const regions = counted((r) => r.awsRegion, (b) => b.regions);
  const services = counted((r) => r.eventSource, (b) => b.services);
  const newOf = (get: (r: EventRow) => string | null, set: (b: Baseline) => Set<string>): string[] => {
    if (!baseline) return [];
    const out = new Set<string>();
    for (const r of inWindowRows) {
      const v = get(r);
      if (v && !set(baseline).has(v)) out.add(v);
    }
    return [...out].sort();
  };
  const nameCounts = new Map<string, number>();
  for (const r of shown) if (r.eventName && !linkedIds.has(r.id)) nameCounts.set(r.eventName, (nameCounts.get(r.eventName) ?? 0) + 1);
  const errors = new Map<string, { errorCode: string; count: number; first: number | null; last: number | null }>();
  for (const r of shown) {
    if (!r.errorCode || linkedIds.has(r.id)) continue;
    const e = errors.get(r.errorCode);
    if (!e) errors.set(r.errorCode, { errorCode: r.errorCode, count: 1, first: r.eventTime, last: r.eventTime });
    else {
      e.count++;
      e.last = r.eventTime;
    }
  }

  // 7. Lineage tables with usage.
  const usage = new Map<string, { count: number; first: number | null; last: number | null }>();
  for (const r of allRows) {
    if (!r.accessKeyId) continue;
    let u = usage.get(r.accessKeyId);
    if (!u) usage.set(r.accessKeyId, (u = { count: 0, first: r.eventTime, last: r.eventTime }));
    u.count++;
    u.last = r.eventTime;
  }
  const derivedCredentials: DerivedCredential[] = lineage.nodes
    .filter((n) => n.kind === 'temporary')
    .map((n) => {
      const u = usage.get(n.accessKeyId);
      return {
        accessKeyId: n.accessKeyId,
        parentAccessKeyId: n.parentAccessKeyId!,
        via: n.via,
        eventId: n.eventId,
        eventTime: n.eventTime,
        depth: n.depth,
        roleArn: n.roleArn,
        roleSessionName: n.roleSessionName,
        sessionArn: n.sessionArn,
        accountId: n.accountId,
        crossAccount: n.crossAccount,
        linkedBy: n.linkedBy,
        linkedEventIds: n.linkedEventIds,
        expiration: n.expiration,
        eventCount: u?.count ?? 0,
        firstSeen: isoUtc(u?.first ?? null),
        lastSeen: isoUtc(u?.last ?? null),
      };
    });
  const exposures = findExposures(db, allRows);
  const createdAccessKeys: CreatedAccessKey[] = lineage.nodes
    .filter((n) => n.kind === 'created')
    .map((n) => {
      const u = usage.get(n.accessKeyId);
      return {
        accessKeyId: n.accessKeyId,
        userName: n.userName,
        accountId: n.accountId,
        parentAccessKeyId: n.parentAccessKeyId!,
        eventId: n.eventId,
        eventTime: n.eventTime,
        used: (u?.count ?? 0) > 0,
        eventCount: u?.count ?? 0,
        firstSeen: isoUtc(u?.first ?? null),
        lastSeen: isoUtc(u?.last ?? null),
        revert: createdKeyRevert(exposures, n.accessKeyId),
      };
    });

  // 8. Sensitive actions, AccessDenied bursts, findings.
  const placed = sensitiveActionsOf(db, shown.map((row, i) => ({ row, category: events[i].credential === 'linked' ? null : events[i].category })));
  shown.forEach((row, i) => {
    const moved = placed.recategorised.get(row.id);
    if (moved) events[i].category = moved;
  });
  const sensitiveActions = placed.groups;
  // Each sensitive change says whether it was undone later (one pass over all rows).
  const rowReverts = callReverts(db, sensitiveActions.flatMap((g) => g.events.map((e) => e.eventId)), new Map(shown.map((r) => [r.eventId, r])));
  for (const g of sensitiveActions) for (const e of g.events) e.revert = rowReverts.get(e.eventId) ?? { state: 'not-applicable', eventId: null, eventName: null, eventTime: null, by: null };
  const bursts = deniedBursts(shown.filter((r) => !linkedIds.has(r.id)));

  const findings: InvestigationFinding[] = [];
  if (windowSource === 'first-anomaly' && anomalyEventId) {
    const confidence = sw.window.confidence;
    findings.push(finding('first-anomaly', { message: `first departure from the owner's usual activity (confidence ${confidence}): ${reasons.join('; ')}`, eventIds: [anomalyEventId] }, { alternate: confidence !== 'high' }));
  }
  if (windowSource === 'thin-baseline') {
    const first = candidates.find((r) => r.eventTime === windowStart);
    findings.push(finding('thin-baseline', { message: `${reasons.join('; ')}; suspect window set to that activity (confidence low)`, eventIds: first ? [first.eventId] : [] }));
  }
  for (const c of createdAccessKeys) {
    findings.push(
      finding('persistence-access-key', {
        message: createdKeyMessage(c),
        // The creation only: the finding's principal and addresses are the creator's, not the administrator's who
        // cleaned up (the undoing call is in createdAccessKeys[].revert and undoneBy).
        eventIds: c.eventId ? [c.eventId] : [],
        undoneBy: c.revert.eventId,
      }),
    );
  }
  const cross = derivedCredentials.filter((d) => d.crossAccount);
  if (cross.length) {
    findings.push(
      finding('cross-account-credentials', {
        message: `minted credentials in other accounts: ${[...new Set(cross.map((d) => `${d.roleArn ?? d.sessionArn ?? d.accessKeyId}`))].join(', ')}`,
        eventIds: cross.map((d) => d.eventId).filter((x): x is string => !!x),
      }),
    );
  }
  for (const b of bursts) {
    findings.push(finding('access-denied-burst', { message: `${b.count} denied calls between ${b.start} and ${b.end} (${b.family === 'discovery' ? 'reconnaissance' : b.family})`, eventIds: b.eventIds }));
  }
  const evasion = defenceEvasionFinding(placed.evasion);
  if (evasion) findings.push(evasion);
  if (lineage.truncated) findings.push(finding('lineage-truncated', { message: `lineage deeper than ${opts.maxDepth ?? 64} levels was not followed`, eventIds: [] }));

  const offHours = events.filter((e) => e.outsideUsualHours === true);
  if (offHours.length) {
    findings.push(finding('outside-usual-hours', { message: `${offHours.length} events outside the owner's usual hours (${tz})`, eventIds: offHours.slice(0, 50).map((e) => e.eventId) }));
  }
  // An instance's role session: its link to the instance and any use outside it (src/scenarios/instance-sessions.ts).
  const instance = instanceLinkOfKey(db, key, firstOwn, lookup);
  if (instance?.finding) findings.push(instance.finding);
  findings.sort(bySeverity);
  const shownById = new Map(shown.map((r) => [r.eventId, r]));
  withOutcomes(db, findings, shownById);
  withReverts(db, findings, shownById);

  return {
    ...base,
    found: true,
    owner,
    createdBy: creation ? { arn: creation.row.arn, eventId: creation.row.eventId, eventTime: isoUtc(creation.row.eventTime) } : null,
    mintedBy,
    instanceLink: instance?.link ?? null,
    derivedCredentials,
    createdAccessKeys,
    exposures,
    lineageTruncated: lineage.truncated,
    events,
    firstSeen: isoUtc(shown.find((r) => !linkedIds.has(r.id))?.eventTime ?? null),
    lastSeen: isoUtc([...shown].reverse().find((r) => !linkedIds.has(r.id))?.eventTime ?? null),
    sourceIps: ips.map((c) => ({ ip: c.value, count: c.count, firstSeen: c.firstSeen, lastSeen: c.lastSeen, new: isIpAddress(c.value) ? c.new : c.new === null ? null : false })),
    userAgents,
    regions,
    services,
    eventNames: [...nameCounts].map(([eventName, count]) => ({ eventName, count })).sort((a, b) => b.count - a.count || a.eventName.localeCompare(b.eventName)),
    errors: [...errors.values()].sort((a, b) => b.count - a.count).map((e) => ({ errorCode: e.errorCode, count: e.count, firstSeen: isoUtc(e.first), lastSeen: isoUtc(e.last) })),
    accessDeniedBursts: bursts,
    newRegions: newOf((r) => r.awsRegion, (b) => b.regions),
    newServices: newOf((r) => r.eventSource, (b) => b.services),
    newUserAgents: newOf((r) => agentFamily(r.userAgent), (b) => b.userAgents),
    newSourceIps: newOf((r) => (isIpAddress(r.sourceIPAddress) ? r.sourceIPAddress : null), (b) => b.ips),
    suspectWindow: { start: isoUtc(windowStart), end: isoUtc(windowEnd), source: windowSource, firstAnomalyEventId: anomalyEventId, reasons, confidence: sw.window.confidence },
    baseline: baselineJson(sw.baseline, baselineDays, windowStart != null),
    sensitiveActions,
    findings,
    ...responseFields(
      responsePlan({
        accessKeyId: key,
        owner,
        derived: derivedCredentials,
        exposures,
        ...lineageGone(db, key, owner?.accountId ?? null, derivedCredentials),
        now: opts.now ?? Date.now(),
      }),
    ),
  };
}

function responseFields(plan: ReturnType<typeof responsePlan>): Pick<AccessKeyReport, 'response' | 'responseSkipped'> {
  return { response: plan.commands, responseSkipped: plan.skipped };
}

/** The persistence-access-key finding's words: how much the key was used and whether it was deleted or deactivated. */
function createdKeyMessage(c: CreatedAccessKey): string {
  const made = `created access key ${c.accessKeyId} for user ${c.userName ?? '?'}`;
  const use = c.used ? `used ${c.eventCount} times (last ${c.lastSeen})` : 'not used in the evidence';
  if (c.revert.state === 'not-reverted') return `${made}, ${use}`;
  const minutes = c.eventTime && c.revert.eventTime ? Math.round((Date.parse(c.revert.eventTime) - Date.parse(c.eventTime)) / 60_000) : null;
  const after = minutes === null ? ' later' : minutes < 1 ? ' within a minute' : ` ${minutes} minute${minutes === 1 ? '' : 's'} later`;
  return `${made}, ${c.revert.state}${after} by ${c.revert.by ?? '?'} (${c.revert.eventName}); ${c.used ? `used ${c.eventCount} times before that` : 'not used before that'}`;
}

function emptyReport(
  base: Pick<AccessKeyReport, 'investigation' | 'accessKeyId' | 'keyType' | 'filter' | 'tz'>,
  coverage: CoverageJson,
  baselineDays: number,
): AccessKeyReport {
  return {
    ...base,
    found: false,
    coverage,
    owner: null,
    createdBy: null,
    mintedBy: [],
    instanceLink: null,
    derivedCredentials: [],
    createdAccessKeys: [],
    exposures: [],
    lineageTruncated: false,
    events: [],
    firstSeen: null,
    lastSeen: null,
    sourceIps: [],
    userAgents: [],
    regions: [],
    services: [],
    eventNames: [],
    errors: [],
    accessDeniedBursts: [],
    newRegions: [],
    newServices: [],
    newUserAgents: [],
    newSourceIps: [],
    suspectWindow: { start: null, end: null, source: 'none', firstAnomalyEventId: null, reasons: [], confidence: null },
    baseline: { start: null, end: null, days: baselineDays, activeDays: 0, eventCount: 0, strength: 'none', summary: 'no events', usualHours: null },
    sensitiveActions: [],
    findings: [],
    response: [],
    responseSkipped: [],
  };
}

/** The report's baseline: what it holds, its strength in words, and whether it came before a window. */
function baselineJson(b: Baseline, days: number, beforeWindow: boolean): AccessKeyReport['baseline'] {
  const what = `${describeBaseline(b)}${beforeWindow ? ' before the suspect window' : ''}`;
  return {
    start: isoUtc(b.start),
    end: isoUtc(b.end),
    days,
    activeDays: b.activeDays,
    eventCount: b.eventCount,
    strength: b.strength,
    summary: b.strength === 'usable' ? what : `too thin: ${what} (needs ${BASELINE_MINIMUM_TEXT})`,
    usualHours: b.usualHours ? [...b.usualHours].sort((a, c) => a - c) : null,
  };
}

export type { EventWithBody };
