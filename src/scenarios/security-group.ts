// `investigate security-group`: every rule change of a group (or of every group), one row per rule, failed attempts
// apart, and the rule set at a time reconstructed from the evidence.

import type { Db } from '../index/open.js';
import { findEvents } from '../index/search.js';
import { byTime, type EventRow } from '../index/event-rows.js';
import { caseCoverage } from '../index/query-coverage.js';
import { isoUtc } from '../model/time.js';
import { InvestigationInputError } from '../model/errors.js';
import { withBodies } from './case-source.js';
import type { EventWithBody } from './credentials.js';
import {
  coverageJson,
  describeFilter,
  passes,
  trustFor,
  type CoverageJson,
  type InvestigationFinding,
  type InvestigationOptions,
} from './common.js';
import { finding } from './finding.js';
import {
  canonicalSource,
  groupOf,
  parseSgEvent,
  replayRules,
  ruleKey,
  rulesFromResponse,
  SG_EVENT_NAMES,
  sortRules,
  sourceExposure,
  worldOpenSensitivePorts,
  type AppliedChange,
  type SgRule,
  type SgRuleChange,
} from './sg-rules.js';
import type { CidrExposure } from './cidr.js';
import { PREFIX_LIST_EVENT_NAMES, prefixListIndex, type PrefixListIndex } from './prefix-lists.js';
import { withOutcomes } from './outcome.js';
import { withReverts, type HeldEvents } from './finding-reverts.js';

const SG_ID_RE = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;

function checkGroupId(id: string): void {
  if (!SG_ID_RE.test(id)) {
    throw new InvestigationInputError(`security group ID "${id}" is malformed: expected sg- followed by 8 or 17 hexadecimal digits, such as sg-0123456789abcdef0`);
  }
}

export interface SecurityGroupOptions extends InvestigationOptions {
  /** Time of the reconstructed rule set (default: the end of the filter, else the last change). */
  at?: number | null;
}

export interface SgChangeRow {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  groupId: string | null;
  groupName: string | null;
  action: SgRuleChange['action'];
  direction: SgRuleChange['direction'];
  protocol: string | null;
  fromPort: number | null;
  toPort: number | null;
  source: string | null;
  sourceType: string | null;
  description: string | null;
  /** sgr-…: from the response of an authorize, the request of a revoke/modify by id, or earlier evidence. */
  ruleId: string | null;
  /** The source in canonical form (CIDR network/prefix; `10.1.2.3/0` → `0.0.0.0/0`), null when there is no rule. */
  sourceCanonical: string | null;
  /** A referenced group's or a prefix list's name, when the evidence gives it. */
  sourceName: string | null;
  /** The account owning a referenced group (`userId`). */
  sourceAccount: string | null;
  /** `world` (any /0, or a prefix list holding one), `wide` (a public /1-/8, IPv6 /1-/16) or null. */
  exposure: CidrExposure;
  /** For modify: the rule before, when earlier evidence described it. */
  previous: SgRule | null;
  actorArn: string | null;
  accessKeyId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  /** Sensitive ports this change opens to the world (any /0, IPv4 or IPv6, or a prefix list holding one). */
  worldOpenSensitivePorts: string[];
  errorCode: string | null;
  errorMessage: string | null;
  note: string | null;
  trust?: string;
}

export interface RulesAt {
  time: string | null;
  /** True only when the group's creation is in the evidence (and nothing made the replay uncertain). */
  complete: boolean;
  created: boolean;
  deleted: boolean;
  gaps: string[];
  rules: Array<SgRule & { exposure: CidrExposure; worldOpenSensitivePorts: string[] }>;
}

export interface GroupReport {
  groupId: string;
  groupNames: string[];
  changes: SgChangeRow[];
  failedAttempts: SgChangeRow[];
  /** Rule changes in other groups that name this group as their source. */
  referencedBy: SgChangeRow[];
  rulesAt: RulesAt;
  findings: InvestigationFinding[];
}

export interface SecurityGroupReport extends GroupReport {
  investigation: 'security-group';
  found: boolean;
  coverage?: CoverageJson;
  filter: ReturnType<typeof describeFilter>;
}

export interface AllGroupsReport {
  investigation: 'security-groups';
  filter: ReturnType<typeof describeFilter>;
  groups: GroupReport[];
  findings: InvestigationFinding[];
}

/** What the evidence says about the things rules name: group names by id, prefix lists. */
interface SourceNames {
  groupNames: ReadonlyMap<string, string>;
  prefixLists: PrefixListIndex;
}

/** Group names from CreateSecurityGroup and prefix lists from their own calls, over the whole case (indexed). */
function sourceNames(db: Db): SourceNames {
  const events = withBodies(db, findEvents(db, { eventNames: ['CreateSecurityGroup', ...PREFIX_LIST_EVENT_NAMES] }));
  const groupNames = new Map<string, string>();
  for (const e of events) {
    if (e.row.eventName !== 'CreateSecurityGroup' || e.row.errorCode || !e.record) continue;
    const { groupId, groupName } = groupOf(e.record);
    if (groupId && groupName) groupNames.set(groupId, groupName);
  }
  const prefixLists = prefixListIndex(events.filter((e) => e.row.eventName !== 'CreateSecurityGroup').map((e) => ({ record: e.record, failed: !!e.row.errorCode })));
  return { groupNames, prefixLists };
}

/** sourceNames, read on first use only: most groups name neither another group nor a prefix list. */
function lazySourceNames(db: Db): { get: () => SourceNames; prefixListsIfUsed: (parsed: ReturnType<typeof parseAll>) => PrefixListIndex } {
  let names: SourceNames | undefined;
  const get = (): SourceNames => (names ??= sourceNames(db));
  const usesPrefixList = (parsed: ReturnType<typeof parseAll>): boolean => parsed.some(({ changes }) => changes.some((c) => c.rule?.sourceType === 'prefix-list'));
  return { get, prefixListsIfUsed: (parsed) => (usesPrefixList(parsed) ? get().prefixLists : new Map()) };
}

/**
 * Parse SG events oldest first, resolving rule ids through what earlier events said: by id for revokes and modifies
 * that name one, by group and rule for revokes that describe the rule instead.
 */
function parseAll(events: readonly EventWithBody[], names: () => SourceNames): Array<{ e: EventWithBody; changes: SgRuleChange[] }> {
  const known = new Map<string, SgRule>();
  const idByRule = new Map<string, string>(); // groupId|ruleKey → rule id
  const out: Array<{ e: EventWithBody; changes: SgRuleChange[] }> = [];
  for (const e of events) {
    const rec = e.record ?? { eventName: e.row.eventName };
    const changes = parseSgEvent(rec, known);
    if (!e.record) for (const c of changes) c.note = 'event body not available: rule unknown';
    for (const c of changes) {
      const r = c.rule;
      if (!r) continue;
      if (r.sourceType === 'security-group' && !r.sourceName) r.sourceName = names().groupNames.get(r.source) ?? null;
      if (r.sourceType === 'prefix-list' && !r.sourceName) r.sourceName = names().prefixLists.get(r.source)?.name ?? null;
      if (c.action === 'revoke' && !r.ruleId && r.sourceType !== 'unknown') r.ruleId = idByRule.get(`${c.groupId}|${ruleKey(r)}`) ?? null;
    }
    if (!e.row.errorCode) {
      for (const r of rulesFromResponse((rec.responseElements as Record<string, unknown> | undefined) ?? null)) if (r.ruleId) known.set(r.ruleId, r);
      for (const c of changes) {
        if (!c.rule?.ruleId || c.rule.sourceType === 'unknown') continue;
        known.set(c.rule.ruleId, c.rule);
        if (c.action === 'authorize' || c.action === 'modify') idByRule.set(`${c.groupId}|${ruleKey(c.rule)}`, c.rule.ruleId);
      }
    }
    out.push({ e, changes });
  }
  return out;
}

function toRow(e: EventWithBody, c: SgRuleChange, prefixLists: PrefixListIndex): SgChangeRow {
  const r = c.rule;
  return {
    eventId: e.row.eventId,
    eventTime: isoUtc(e.row.eventTime),
    eventName: e.row.eventName,
    groupId: c.groupId,
    groupName: c.groupName,
    action: c.action,
    direction: c.direction,
    protocol: r?.protocol ?? null,
    fromPort: r?.fromPort ?? null,
    toPort: r?.toPort ?? null,
    source: r?.source ?? null,
    sourceType: r?.sourceType ?? null,
    description: r?.description ?? null,
    ruleId: r?.ruleId ?? null,
    sourceCanonical: r && r.sourceType !== 'unknown' ? canonicalSource(r) : null,
    sourceName: r?.sourceName ?? null,
    sourceAccount: r?.sourceAccount ?? null,
    exposure: r ? sourceExposure(r, prefixLists) : null,
    previous: c.previous ?? null,
    actorArn: e.row.arn,
    accessKeyId: e.row.accessKeyId,
    sourceIPAddress: e.row.sourceIPAddress,
    userAgent: e.row.userAgent,
    awsRegion: e.row.awsRegion,
    recipientAccountId: e.row.recipientAccountId,
    worldOpenSensitivePorts: r && (c.action === 'authorize' || c.action === 'modify') ? worldOpenSensitivePorts(r, prefixLists) : [],
    errorCode: e.row.errorCode,
    errorMessage: e.row.errorMessage,
    note: c.note ?? null,
  };
}

/** Map (account, region, group name) → group ids, from CreateSecurityGroup calls. */
function nameIndex(parsed: Array<{ e: EventWithBody; changes: SgRuleChange[] }>): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const { e, changes } of parsed) {
    for (const c of changes) {
      if (c.action !== 'create' || !c.groupId || !c.groupName || e.row.errorCode) continue;
      const k = `${e.row.recipientAccountId}|${e.row.awsRegion}|${c.groupName}`;
      let s = m.get(k);
      if (!s) m.set(k, (s = new Set()));
      s.add(c.groupId);
    }
  }
  return m;
}

/** A world-open source as the finding names it: as written, with the canonical block or the list's name beside it. */
function describeSource(ch: SgChangeRow): string {
  if (ch.sourceType === 'prefix-list') return `prefix list ${ch.source} (${ch.sourceName ? `${ch.sourceName}; ` : ''}holds a /0)`;
  return ch.sourceCanonical && ch.sourceCanonical !== ch.source ? `${ch.source} (= ${ch.sourceCanonical})` : (ch.source ?? '?');
}

/** Every parsed event's row and body: all the calls that could revoke or delete what a group's findings cite. */
function heldEvents(parsed: ReadonlyArray<{ e: EventWithBody }>): HeldEvents {
  return { all: parsed.map(({ e }) => e.row), records: new Map(parsed.flatMap(({ e }) => (e.record ? [[e.row.id, e.record] as const] : []))) };
}

function buildGroup(
  db: Db,
  groupId: string,
  parsed: Array<{ e: EventWithBody; changes: SgRuleChange[] }>,
  names: Map<string, Set<string>>,
  prefixLists: PrefixListIndex,
  held: HeldEvents,
  opts: SecurityGroupOptions,
): GroupReport {
  const mine: Array<{ e: EventWithBody; c: SgRuleChange }> = [];
  const refs: Array<{ e: EventWithBody; c: SgRuleChange }> = [];
  const groupNames = new Set<string>();
  for (const { e, changes } of parsed) {
    for (const c of changes) {
      let id = c.groupId;
      if (!id && c.groupName) {
        const ids = names.get(`${e.row.recipientAccountId}|${e.row.awsRegion}|${c.groupName}`);
        if (ids?.size === 1) id = [...ids][0];
        else if (ids && ids.has(groupId)) {
          id = groupId;
          c.note = `${c.note ? `${c.note}; ` : ''}named only by group name "${c.groupName}", which more than one group has had`;
        }
        if (id === groupId && !c.note) c.note = `named only by group name "${c.groupName}"`;
      }
      if (id === groupId) {
        mine.push({ e, c });
        if (c.groupName) groupNames.add(c.groupName);
      } else if (c.rule?.source === groupId || c.rule?.source.endsWith(`/${groupId}`)) refs.push({ e, c });
    }
  }
  const applied: AppliedChange[] = mine.map(({ e, c }) => ({ time: e.row.eventTime, change: c, failed: !!e.row.errorCode }));
  const lastTime = mine.length ? mine[mine.length - 1].e.row.eventTime : null;
  const at = opts.at ?? opts.filter.endMs ?? lastTime;
  const state = replayRules(applied, at);
  const shown = mine.filter(({ e }) => passes(e.row, opts.filter));
  const trust = trustFor(db, opts,
    [...shown, ...refs].map(({ e }) => e.row.id),
  );
  const withTrust = (e: EventWithBody, row: SgChangeRow): SgChangeRow => {
    const t = trust?.get(e.row.id);
    return t ? { ...row, trust: t } : row;
  };
  const changes = shown.filter(({ e }) => !e.row.errorCode).map(({ e, c }) => withTrust(e, toRow(e, c, prefixLists)));
  const failedAttempts = shown.filter(({ e }) => e.row.errorCode).map(({ e, c }) => withTrust(e, toRow(e, c, prefixLists)));
  const referencedBy = refs.filter(({ e }) => passes(e.row, opts.filter)).map(({ e, c }) => withTrust(e, toRow(e, c, prefixLists)));

  const findings: InvestigationFinding[] = [];
  for (const ch of changes) {
    if (!ch.worldOpenSensitivePorts.length) continue;
    // Was it closed again, and when: a revoke of the same rule, or a modify of the same rule id to another source.
    const closed = changes.find(
      (o) =>
        o !== ch &&
        !!o.eventTime &&
        !!ch.eventTime &&
        o.eventTime >= ch.eventTime &&
        ((o.action === 'revoke' &&
          ((ch.ruleId != null && o.ruleId === ch.ruleId) ||
            (o.direction === ch.direction && o.sourceCanonical === ch.sourceCanonical && o.protocol === ch.protocol && o.fromPort === ch.fromPort && o.toPort === ch.toPort))) ||
          (o.action === 'modify' && ch.ruleId != null && o.ruleId === ch.ruleId && o.sourceCanonical !== ch.sourceCanonical)),
    );
    findings.push(
      finding('world-open-sensitive-port', {
        message: `${ch.eventName} opened ${ch.worldOpenSensitivePorts.join(', ')} to ${describeSource(ch)} on ${groupId}${ch.direction == null ? ' (direction not in the evidence; taken as ingress)' : ''}${closed ? `; closed by ${closed.eventName} at ${closed.eventTime}` : '; not closed in the evidence'}`,
        eventIds: closed ? [ch.eventId, closed.eventId] : [ch.eventId],
        actorArn: ch.actorArn,
        openedAt: ch.eventTime,
        closedAt: closed?.eventTime ?? null,
      }),
    );
  }
  if (failedAttempts.length) {
    findings.push(finding('failed-attempts', { message: `${failedAttempts.length} failed rule changes (${[...new Set(failedAttempts.map((f) => f.errorCode))].join(', ')})`, eventIds: failedAttempts.map((f) => f.eventId) }));
  }
  const rowsById = new Map(mine.map(({ e }) => [e.row.eventId, e.row]));
  return {
    groupId,
    groupNames: [...groupNames],
    changes,
    failedAttempts,
    referencedBy,
    rulesAt: {
      time: isoUtc(at),
      complete: state.created && state.gaps.length === 0,
      created: state.created,
      deleted: state.deleted,
      gaps: state.gaps,
      rules: sortRules(state.rules.values()).map((r) => ({ ...r, exposure: sourceExposure(r, prefixLists), worldOpenSensitivePorts: worldOpenSensitivePorts(r, prefixLists) })),
    },
    findings: withReverts(db, withOutcomes(db, findings, rowsById), rowsById, held),
  };
}

export function investigateSecurityGroup(db: Db, groupId: string, opts: SecurityGroupOptions): SecurityGroupReport {
  const id = groupId.trim();
  checkGroupId(id);
  // Events naming the group by id, then by the names its creation gave it.
  const byId = findEvents(db, { resourceNames: [id] }).filter((r) => r.eventName && SG_EVENT_NAMES.includes(r.eventName));
  const creations = withBodies(
    db,
    byId.filter((r) => r.eventName === 'CreateSecurityGroup'),
  );
  const names = new Set(creations.map((c) => groupOf(c.record ?? {}).groupName).filter((x): x is string => !!x));
  const rows = new Map<number, EventRow>(byId.map((r) => [r.id, r]));
  for (const n of names) {
    for (const r of findEvents(db, { resourceNames: [n], resourceTypes: ['AWS::EC2::SecurityGroup'] })) if (r.eventName && SG_EVENT_NAMES.includes(r.eventName)) rows.set(r.id, r);
  }
  const events = withBodies(db, [...rows.values()].sort(byTime));
  const sources = lazySourceNames(db);
  const parsed = parseAll(events, sources.get);
  const report = buildGroup(db, id, parsed, nameIndex(parsed), sources.prefixListsIfUsed(parsed), heldEvents(parsed), opts);
  const found = events.length > 0;
  return {
    investigation: 'security-group',
    found,
    ...(found ? {} : { coverage: coverageJson(caseCoverage(db)) }),
    filter: describeFilter(opts.filter),
    ...report,
  };
}

export function investigateAllSecurityGroups(db: Db, opts: SecurityGroupOptions): AllGroupsReport {
  const events = withBodies(db, findEvents(db, { eventNames: [...SG_EVENT_NAMES] }));
  const sources = lazySourceNames(db);
  const parsed = parseAll(events, sources.get);
  const prefixLists = sources.prefixListsIfUsed(parsed);
  const names = nameIndex(parsed);
  const ids = new Set<string>();
  for (const { e, changes } of parsed) {
    if (!passes(e.row, opts.filter)) continue;
    for (const c of changes) {
      if (c.groupId) ids.add(c.groupId);
      else if (c.groupName) {
        const found = names.get(`${e.row.recipientAccountId}|${e.row.awsRegion}|${c.groupName}`);
        if (found?.size === 1) ids.add([...found][0]);
      }
    }
  }
  // Every security-group event's row and body is in hand: the reverts of each group's findings read none again.
  const held = heldEvents(parsed);
  const groups = [...ids].sort().map((id) => buildGroup(db, id, parsed, names, prefixLists, held, opts));
  // Calls that name a group only by a name no creation explains are listed under that name.
  const unresolved = new Map<string, Array<{ e: EventWithBody; c: SgRuleChange }>>();
  for (const { e, changes } of parsed) {
    if (!passes(e.row, opts.filter)) continue;
    for (const c of changes) {
      if (c.groupId || !c.groupName) continue;
      const found = names.get(`${e.row.recipientAccountId}|${e.row.awsRegion}|${c.groupName}`);
      if (found?.size === 1) continue;
      let l = unresolved.get(c.groupName);
      if (!l) unresolved.set(c.groupName, (l = []));
      l.push({ e, c: { ...c, note: `named only by group name "${c.groupName}"; its id is not in the evidence` } });
    }
  }
  for (const [name, list] of unresolved) {
    const rows = list.map(({ e, c }) => toRow(e, c, prefixLists));
    groups.push({
      groupId: `(name) ${name}`,
      groupNames: [name],
      changes: rows.filter((r) => !r.errorCode),
      failedAttempts: rows.filter((r) => r.errorCode),
      referencedBy: [],
      rulesAt: { time: null, complete: false, created: false, deleted: false, gaps: ['group id unknown'], rules: [] },
      findings: [],
    });
  }
  return {
    investigation: 'security-groups',
    filter: describeFilter(opts.filter),
    groups,
    findings: groups.flatMap((g) => g.findings.map((f) => ({ ...f, groupId: g.groupId }))),
  };
}
