// Investigation results laid out for people: titled sections of rows (the CLI draws them as tables or Markdown with
// src/report/). Pure; JSON output does not go through here (it is the result object itself).

import { isoInZone } from '../model/time.js';
import { PRIORITY, type TableColumn } from '../model/report-view.js';
import type { Cell, ReportView, ViewColumn, ViewSection } from '../model/report-view.js';
import type { AccessKeyReport } from './access-key.js';
import type { CoverageJson, InvestigationFinding } from './common.js';
import type { ConsoleLoginReport } from './console-logins.js';
import type { IamReport } from './iam.js';
import type { InstanceReport } from './instance.js';
import type { SqlScenarioResult, Scenario } from './registry.js';
import type { AllGroupsReport, GroupReport, SecurityGroupReport, SgChangeRow } from './security-group.js';
import { canonicalCidr } from './cidr.js';
import { diffSummary, type PolicyDiff } from './policy-diff.js';

type Layout = Omit<TableColumn, 'key' | 'header'>;
const col = (key: string, header: string, layout: Layout = {}): ViewColumn => ({ key, header, ...layout });

// Column layouts (docs/output-formats.md "Table"): times and event IDs are never cut; names and principals keep a
// readable width (ARNs keep their tail); short facts next; free text gives way first.
const KEY: Layout = { priority: PRIORITY.key };
const MARK: Layout = { priority: PRIORITY.key }; // one-character markers the section title explains
const NAME: Layout = { priority: PRIORITY.essential, minWidth: 16 };
const ARN: Layout = { priority: PRIORITY.essential, minWidth: 18, cut: 'start' };
const FACT: Layout = { priority: PRIORITY.normal };
const IP: Layout = { priority: PRIORITY.normal, minWidth: 15 };
/** succeeded / failed / mixed, never cut. */
const OUTCOME: Layout = { priority: PRIORITY.normal, minWidth: 9 };
const ERROR: Layout = { priority: PRIORITY.normal, minWidth: 12 };
const NUM: Layout = { priority: PRIORITY.normal, align: 'right' };
const MINOR: Layout = { priority: PRIORITY.secondary };
const TEXT: Layout = { priority: PRIORITY.text, minWidth: 12 };
const timeCol = (key: string, header: string): ViewColumn => col(key, header, KEY);
const idCol = (): ViewColumn => col('eventId', 'Event ID', KEY);

function t(iso: string | null | undefined, tz: string): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  // Not a time (e.g. `invalid-time(…)` from the results): shown as it is.
  return Number.isNaN(ms) ? iso : isoInZone(ms, tz);
}

function yn(v: boolean | null | undefined): string | null {
  return v == null ? null : v ? 'yes' : 'no';
}

function findingsSection(findings: readonly InvestigationFinding[]): ViewSection {
  return {
    title: 'Findings',
    // Detail and the event IDs wrap (one ID per line when narrow) rather than being cut: a finding is read whole.
    columns: [
      col('severity', 'Severity', KEY),
      col('type', 'Finding', { priority: PRIORITY.essential, minWidth: 10, wrap: true }),
      col('message', 'Detail', { priority: PRIORITY.essential, minWidth: 20, wrap: true }),
      // Shrinks before the Detail does (to one 36-character ID per line), so the Detail gets the room.
      col('events', 'Events', { priority: PRIORITY.normal, minWidth: 36, wrap: true }),
    ],
    rows: findings.map((f) => ({
      severity: f.severity.toUpperCase(),
      // The outcome rides with the type (no room for its own column at 80): `defence-evasion (mixed)`.
      type: f.outcome ? `${f.type} (${f.outcome})` : f.type,
      message: f.message,
      events: f.eventIds.length > 3 ? `${f.eventIds.slice(0, 3).join(' ')} +${f.eventIds.length - 3}` : f.eventIds.join(' '),
    })),
    empty: 'No findings.',
  };
}

/** The "not found" explanation: what the case covers. */
function coverageFacts(c: CoverageJson): Array<[string, string]> {
  return [
    ['Case covers', `${c.eventCount} events from ${c.firstEventTime ?? '?'} to ${c.lastEventTime ?? '?'}`],
    ['Accounts', c.accounts.join(', ') || '(none)'],
    ['Regions', c.regions.join(', ') || '(none)'],
  ];
}

export function accessKeyView(r: AccessKeyReport, tz: string, options: { allEvents?: boolean } = {}): ReportView {
  const facts: Array<[string, string]> = [['Access key', `${r.accessKeyId} (${r.keyType})`]];
  if (!r.found) {
    return { title: `Access key ${r.accessKeyId}`, facts: [...facts, ['Result', 'the case has no event signed with, creating or minting this key'], ...coverageFacts(r.coverage!)], sections: [], notes: [] };
  }
  if (r.owner) facts.push(['Owner', `${r.owner.arn ?? r.owner.userName ?? '?'} (account ${r.owner.accountId ?? '?'}, from ${r.owner.source})`]);
  if (r.createdBy) facts.push(['Created by', `${r.createdBy.arn ?? '?'} at ${t(r.createdBy.eventTime, tz)} (${r.createdBy.eventId})`]);
  for (const m of r.mintedBy) facts.push(['Minted by', `${m.via} by ${m.arn ?? '?'} at ${t(m.eventTime, tz)} from ${m.sourceIPAddress ?? '?'} (${m.eventId})`]);
  const il = r.instanceLink;
  if (il) {
    facts.push(['Instance', `${il.instanceId} (instance-profile session, linked by ${il.linkedBy.join(' and ')}; ${il.sessionCount} sessions in the case)`]);
    facts.push(['Instance addresses', `${il.ownAddresses.join(', ') || '(none)'}${il.usedElsewhere.length ? `; this key also from ${il.usedElsewhere.map((u) => u.sourceIPAddress).join(', ')}` : ''}`]);
  }
  facts.push(['First / last seen', `${t(r.firstSeen, tz) ?? '-'} / ${t(r.lastSeen, tz) ?? '-'}`]);
  const sw = r.suspectWindow;
  facts.push([
    'Suspect window',
    sw.start
      ? `${t(sw.start, tz)} → ${t(sw.end, tz) ?? '…'} (${sw.source}${sw.confidence ? `, confidence ${sw.confidence}` : ''}${sw.reasons.length ? `: ${sw.reasons.join('; ')}` : ''})`
      : `none found (${r.baseline.strength === 'usable' ? 'no departure from the baseline on agreeing signals' : 'baseline too thin and no attack signals'}; use --since)`,
  ]);
  facts.push([
    'Baseline',
    // summary starts with "too thin: " when the baseline is not usable.
    `${r.baseline.strength === 'usable' ? 'usable: ' : ''}${r.baseline.summary}${r.baseline.eventCount ? `; ${t(r.baseline.start, tz)} → ${t(r.baseline.end, tz)}` : ''}${r.baseline.usualHours ? `; usual hours (${tz}): ${r.baseline.usualHours.join(',')}` : ''}`,
  ]);
  if (r.newRegions.length) facts.push(['New regions', r.newRegions.join(', ')]);
  if (r.newServices.length) facts.push(['New services', r.newServices.join(', ')]);
  const sections: ViewSection[] = [findingsSection(r.findings)];
  sections.push({
    title: 'Credential lineage',
    columns: [col('depth', 'Depth', NUM), col('accessKeyId', 'Credential', { priority: PRIORITY.essential, minWidth: 20 }), col('parent', 'Minted/created by', { priority: PRIORITY.normal, minWidth: 20 }), col('via', 'Via', TEXT), col('what', 'Role / user', ARN), col('account', 'Account', MINOR), col('used', 'Events', NUM), timeCol('time', 'When')],
    rows: [
      ...r.derivedCredentials.map((d) => ({ depth: d.depth, accessKeyId: d.accessKeyId, parent: d.parentAccessKeyId, via: `${d.via}${d.linkedBy !== 'signature' ? ` (${d.linkedBy})` : ''}`, what: d.sessionArn ?? d.roleArn, account: `${d.accountId ?? '?'}${d.crossAccount ? ' (cross-account)' : ''}`, used: d.eventCount, time: t(d.eventTime, tz) })),
      ...r.createdAccessKeys.map((c) => ({ depth: 1, accessKeyId: c.accessKeyId, parent: c.parentAccessKeyId, via: `CreateAccessKey (persistence${c.revert.state === 'not-reverted' ? '' : `; ${c.revert.state} ${t(c.revert.eventTime, tz) ?? ''}`.trimEnd()})`, what: `user ${c.userName ?? '?'}`, account: c.accountId, used: c.eventCount, time: t(c.eventTime, tz) })),
    ],
    empty: 'The key minted and created no credentials in the evidence.',
  });
  if (r.exposures.length) sections.push(exposuresSection(r.exposures, tz));
  sections.push({
    title: 'Source IPs',
    columns: [col('ip', 'Source IP', NAME), col('count', 'Events', NUM), timeCol('first', 'First seen'), timeCol('last', 'Last seen'), col('new', 'New', FACT)],
    rows: r.sourceIps.map((s) => ({ ip: s.ip, count: s.count, first: t(s.firstSeen, tz), last: t(s.lastSeen, tz), new: yn(s.new) })),
  });
  const counts = (title: string, rows: Array<{ value: string; count: number; new: boolean | null }>): ViewSection => ({
    title,
    // User agents are free text: wrapped, not cut.
    columns: [col('value', title, { ...NAME, wrap: true, minWidth: 24 }), col('count', 'Events', NUM), col('new', 'New', FACT)],
    rows: rows.map((x) => ({ value: x.value, count: x.count, new: yn(x.new) })),
  });
  sections.push(counts('Regions', r.regions), counts('Services', r.services), {
    title: 'User agents',
    columns: [col('value', 'User-agent family', { ...NAME, wrap: true, minWidth: 24 }), col('variants', 'Variants', NUM), col('count', 'Events', NUM), col('new', 'New', FACT)],
    rows: r.userAgents.map((x) => ({ value: x.value, variants: x.variants, count: x.count, new: yn(x.new) })),
  });
  sections.push({ title: 'Errors', columns: [col('code', 'Error code', NAME), col('count', 'Events', NUM), timeCol('first', 'First'), timeCol('last', 'Last')], rows: r.errors.map((e) => ({ code: e.errorCode, count: e.count, first: t(e.firstSeen, tz), last: t(e.lastSeen, tz) })), empty: 'No failed calls.' });
  // A table of every event is unreadable for a busy key: by default show the suspect window (when there is one).
  const windowOnly = !options.allEvents && r.suspectWindow.start != null;
  const inWindow = (time: string | null) => !!time && time >= r.suspectWindow.start! && (!r.suspectWindow.end || time <= r.suspectWindow.end);
  for (const s of r.sensitiveActions) {
    const shown = windowOnly ? s.events.filter((e) => inWindow(e.eventTime)) : s.events;
    if (shown.length === 0) continue;
    sections.push({
      title: `Sensitive: ${s.title}${shown.length < s.events.length ? ` (${shown.length} in the suspect window of ${s.events.length})` : ''}`,
      // The decisive parameters (who a snapshot went to, what a policy grants) wrap rather than being cut: they are why
      // the row is here.
      columns: [timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('outcome', 'Outcome', OUTCOME), col('detail', 'Parameters', { priority: PRIORITY.normal, minWidth: 24, wrap: true }), col('region', 'Region', MINOR), col('key', 'Access key', MINOR), col('error', 'Error', ERROR), idCol()],
      rows: shown.map((e) => ({ time: t(e.eventTime, tz), eventName: e.eventName, outcome: e.outcome, detail: e.detail, region: e.awsRegion, key: e.accessKeyId, error: e.errorCode, eventId: e.eventId })),
    });
  }
  const listed = windowOnly ? r.events.filter((e) => e.inSuspectWindow) : r.events;
  sections.push({
    title: windowOnly
      ? `Events in the suspect window (${listed.length} of ${r.events.length}; --all-events for every one, --format json for all fields)`
      : 'Events (oldest first; * = in the suspect window)',
    columns: [
      col('w', '', MARK), timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('source', 'Service', MINOR), col('region', 'Region', FACT), col('ip', 'Source IP', IP),
      col('key', 'Access key', { priority: PRIORITY.normal, minWidth: 20 }), col('error', 'Error', ERROR), col('new', 'New', MINOR), col('hours', 'Off-hours', MINOR), col('trust', 'Trust', MINOR), idCol(),
    ],
    rows: listed.map((e) => ({
      w: e.inSuspectWindow ? '*' : '',
      time: t(e.eventTime, tz),
      eventName: e.eventName,
      source: e.eventSource?.replace('.amazonaws.com', '') ?? null,
      region: e.awsRegion,
      ip: e.sourceIPAddress,
      key: e.credential === 'investigated' ? e.accessKeyId : `${e.accessKeyId ?? '(other account)'} (${e.credential})`,
      error: e.errorCode,
      new: e.new == null ? null : [e.newIp && 'ip', e.newRegion && 'region', e.newService && 'service', e.newUserAgent && 'agent'].filter(Boolean).join(',') || 'no',
      hours: yn(e.outsideUsualHours),
      trust: e.trust ?? null,
      eventId: e.eventId,
    })),
  });
  const notes = r.response.length
    ? ['Response (run these yourself; trailhound never calls AWS):', ...r.response.flatMap((c) => [`  # ${c.description}${c.accountId ? ` — in account ${c.accountId}` : ''}`, `  ${c.command}`])]
    : [];
  if (r.responseSkipped.length) notes.push(`Already undone in the evidence, no command: ${r.responseSkipped.map((x) => x.description).join('; ')}`);
  return { title: `Access key ${r.accessKeyId}`, facts, sections, notes };
}

/** Persistence and exposure changes of an access-key report, with what undid them. */
function exposuresSection(list: AccessKeyReport['exposures'], tz: string): ViewSection {
  const reverted = list.filter((e) => e.revert.state === 'reverted').length;
  return {
    title: `Persistence and exposure (${list.length - reverted} still in place, ${reverted} undone later)`,
    columns: [
      timeCol('time', 'Time'), col('kind', 'Kind', { priority: PRIORITY.essential, minWidth: 16 }), col('resource', 'Resource', ARN), col('on', 'On', { ...MINOR, minWidth: 16 }), col('grantees', 'Grants to', { ...TEXT, wrap: true }),
      col('state', 'State', KEY), col('undo', 'Undone by', { priority: PRIORITY.normal, minWidth: 34, wrap: true }), idCol(),
    ],
    rows: list.map((e) => ({
      time: t(e.eventTime, tz),
      kind: e.kind,
      resource: e.resource,
      on: e.principal ? `${e.principal.type} ${e.principal.name}` : null,
      grantees: e.grantees.join(', ') || null,
      state: e.revert.state === 'reverted' ? 'undone' : 'in place',
      // The undoing call's id is in the JSON; the table names the call, when, and who (the ARN's last part).
      undo: e.revert.state === 'reverted' ? `${e.revert.eventName} ${t(e.revert.eventTime, tz) ?? ''} by ${e.revert.by?.split(/[/:]/).pop() ?? '?'}` : null,
      eventId: e.eventId,
    })),
  };
}

/** The credential lineage of an access-key report as a tree (├─ └─), children under the key that minted them. */
export function accessKeyLineage(r: AccessKeyReport, tz: string): string[] {
  type Node = { key: string; label: string };
  const kids = new Map<string, Node[]>();
  const add = (parent: string, n: Node): void => {
    const list = kids.get(parent) ?? [];
    list.push(n);
    kids.set(parent, list);
  };
  const when = (iso: string | null): string => (iso ? (Number.isNaN(Date.parse(iso)) ? iso : isoInZone(Date.parse(iso), tz)) : '?');
  for (const d of r.derivedCredentials) {
    const who = d.sessionArn ?? d.roleArn ?? (d.via === 'GetSessionToken' ? `a session of ${r.owner?.arn ?? r.owner?.userName ?? 'the owner'}` : '?');
    add(d.parentAccessKeyId, { key: d.accessKeyId, label: `${d.accessKeyId}  ${d.via ?? '?'} → ${who}${d.crossAccount ? ' (cross-account)' : ''}  ${d.eventCount} events  ${when(d.eventTime)}` });
  }
  for (const c of r.createdAccessKeys) {
    const undone = c.revert.state === 'not-reverted' ? '' : `, ${c.revert.state} ${when(c.revert.eventTime)}`;
    add(c.parentAccessKeyId, { key: c.accessKeyId, label: `${c.accessKeyId}  CreateAccessKey for user ${c.userName ?? '?'} (persistence${undone})  ${c.eventCount} events  ${when(c.eventTime)}` });
  }
  const owner = r.owner ? `  owner ${r.owner.arn ?? r.owner.userName ?? '?'}` : '';
  const lines = [`${r.accessKeyId} (${r.keyType})${owner}`];
  const seen = new Set<string>([r.accessKeyId]);
  const walk = (key: string, prefix: string): void => {
    const list = kids.get(key) ?? [];
    list.forEach((n, i) => {
      const last = i === list.length - 1;
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${n.label}`);
      if (seen.has(n.key)) return;
      seen.add(n.key);
      walk(n.key, `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(r.accessKeyId, '');
  if (lines.length === 1) lines.push('└─ (minted and created no credentials in the evidence)');
  if (r.lineageTruncated) lines.push('   … lineage truncated (too deep)');
  return lines;
}

export function instanceView(r: InstanceReport, tz: string): ReportView {
  const facts: Array<[string, string]> = [['Instance', r.instanceId]];
  if (!r.found) return { title: `Instance ${r.instanceId}`, facts: [...facts, ['Result', 'no event in the case names this instance'], ...coverageFacts(r.coverage!)], sections: r.findings.length ? [findingsSection(r.findings)] : [], notes: [] };
  for (const l of r.lifecycle) facts.push([l.eventName, `${t(l.eventTime, tz)} by ${l.actorArn ?? '?'}${l.assumedBy ? ` (assumed by ${l.assumedBy})` : ''}${l.serviceInitiated ? ' [service]' : ''}`]);
  facts.push(...instanceSessionFacts(r));
  return {
    title: `Instance ${r.instanceId}`,
    facts,
    sections: [
      findingsSection(r.findings),
      ...instanceSessionSections(r, tz),
      {
        title: 'Events (oldest first; ! = lifecycle action)',
        columns: [col('l', '', MARK), timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('state', 'State', FACT), col('actor', 'Actor', ARN), col('ip', 'Source IP', IP), col('ua', 'User agent', TEXT), col('error', 'Error', ERROR), col('trust', 'Trust', MINOR), idCol()],
        rows: r.events.map((e) => ({
          l: e.lifecycle ? '!' : '',
          time: t(e.eventTime, tz),
          eventName: e.eventName,
          state: e.stateChange ? `${e.stateChange.from ?? '?'} → ${e.stateChange.to ?? '?'}` : null,
          actor: e.actorLabel,
          ip: e.sourceIPAddress,
          ua: e.userAgent,
          error: e.errorCode,
          trust: e.trust ?? null,
          eventId: e.eventId,
        })),
      },
    ],
    notes: [],
  };
}

/** The instance's role sessions in one line each of facts. */
function instanceSessionFacts(r: InstanceReport): Array<[string, string]> {
  const c = r.roleSessions;
  if (!c) return [['Role sessions', 'none in the case (no call by a session named after the instance)']];
  const roles = [...new Set(c.sessions.map((s) => s.roleArn ?? '?'))].join(', ');
  const own = c.baseline === 'first-address' ? `${c.ownAddresses.join(', ')} (the first address seen: nothing else to compare with)` : c.ownAddresses.join(', ') || '(none)';
  return [
    ['Role sessions', `${c.sessions.length} of ${roles}`],
    ['Own addresses', own],
    ['Own clients', c.ownUserAgentFamilies.join(', ') || '(none)'],
  ];
}

/** Role sessions, the addresses they were used from elsewhere, and their activity (InstanceReport.roleSessions). */
function instanceSessionSections(r: InstanceReport, tz: string): ViewSection[] {
  const c = r.roleSessions;
  if (!c) return [];
  const sections: ViewSection[] = [
    {
      title: 'Role sessions (instance-profile credentials EC2 issued; ! = used elsewhere)',
      columns: [
        col('w', '', MARK), col('key', 'Access key', { priority: PRIORITY.essential, minWidth: 20 }), timeCol('first', 'First seen'), timeCol('last', 'Last seen'), col('count', 'Events', NUM),
        col('ips', 'Source IPs', { ...FACT, wrap: true }), col('ua', 'Clients', { ...TEXT, wrap: true, minWidth: 30 }), col('delivery', 'IMDS', MINOR), col('mint', 'Minted by', MINOR),
      ],
      rows: c.sessions.map((s) => ({
        w: s.usedElsewhere ? '!' : '',
        key: s.accessKeyId,
        first: t(s.firstSeen, tz),
        last: t(s.lastSeen, tz),
        count: s.eventCount,
        ips: s.sourceIps.join(' '),
        ua: s.userAgentFamilies.join('; '),
        delivery: s.ec2RoleDelivery,
        mint: s.mintedBy ? `${s.mintedBy.invokedBy ?? s.mintedBy.sourceIPAddress ?? '?'} ${t(s.mintedBy.eventTime, tz)} (${s.mintedBy.eventId})` : null,
      })),
    },
    {
      title: 'Used elsewhere (addresses that are not the instance\'s)',
      columns: [
        col('ip', 'Source IP', IP), col('severity', 'Severity', KEY), col('outside', 'Outside AWS', FACT), col('ua', 'Clients', { ...TEXT, wrap: true, minWidth: 24 }), col('keys', 'Access keys', { ...FACT, wrap: true }),
        col('count', 'Events', NUM), timeCol('first', 'First seen'), timeCol('last', 'Last seen'), col('reasons', 'Reasons', { ...TEXT, wrap: true, minWidth: 24 }),
      ],
      rows: c.usedElsewhere.map((u) => ({
        ip: u.sourceIPAddress,
        severity: u.severity.toUpperCase(),
        outside: yn(u.outsideAws),
        ua: u.userAgentFamilies.join('; '),
        keys: u.accessKeyIds.join(' '),
        count: u.eventCount,
        first: t(u.firstSeen, tz),
        last: t(u.lastSeen, tz),
        reasons: u.reasons.join('; '),
      })),
      empty: 'Every call came from the instance\'s own addresses or from AWS services.',
    },
  ];
  const a = c.activity;
  if (a) {
    sections.push({
      title: a.truncated
        ? `Role session activity (${a.events.length} of ${a.total}: from elsewhere first, then the rest of those sessions, then the others; * = from elsewhere)`
        : 'Role session activity (oldest first; * = from elsewhere)',
      columns: [
        col('w', '', MARK), timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('source', 'Service', MINOR), col('region', 'Region', FACT), col('ip', 'Source IP', IP),
        col('key', 'Access key', { priority: PRIORITY.normal, minWidth: 20 }), col('ua', 'User agent', TEXT), col('error', 'Error', ERROR), idCol(),
      ],
      rows: a.events.map((e) => ({
        w: e.elsewhere ? '*' : '',
        time: t(e.eventTime, tz),
        eventName: e.eventName,
        source: e.eventSource?.replace('.amazonaws.com', '') ?? null,
        region: e.awsRegion,
        ip: e.sourceIPAddress,
        key: e.accessKeyId,
        ua: e.userAgent,
        error: e.errorCode,
        eventId: e.eventId,
      })),
      empty: 'No call of the role sessions in the time range, accounts or regions asked for.',
    });
  }
  return sections;
}

function sgRows(rows: readonly SgChangeRow[], tz: string): Record<string, Cell>[] {
  const ports = (r: SgChangeRow) => (r.protocol === 'all' ? 'all' : r.fromPort == null ? '' : r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`);
  return rows.map((r) => ({
    time: t(r.eventTime, tz),
    eventName: r.eventName,
    action: r.action,
    direction: r.direction,
    rule: r.action === 'create' || r.action === 'delete' ? (r.groupName ?? '') : `${r.protocol ?? '?'} ${ports(r)} ${sourceLabel(r)}`.replace(/\s+/g, ' ').trim(),
    ruleId: r.ruleId,
    previous: r.previous ? `${r.previous.protocol} ${r.previous.fromPort ?? ''} ${r.previous.source}`.replace(/\s+/g, ' ') : null,
    description: r.description,
    world: r.worldOpenSensitivePorts.join(',') || (r.action === 'authorize' || r.action === 'modify' ? r.exposure : null),
    actor: r.actorArn,
    error: r.errorCode,
    note: r.note,
    trust: r.trust ?? null,
    eventId: r.eventId,
  }));
}

/** A rule's source with what the evidence adds: the canonical block when written otherwise, a name, an owner account. */
function sourceLabel(r: Pick<SgChangeRow, 'source' | 'sourceCanonical' | 'sourceName' | 'sourceAccount' | 'sourceType'>): string {
  const src = r.source ?? '?';
  const canon = (r.sourceType === 'cidr-ipv4' || r.sourceType === 'cidr-ipv6') && r.sourceCanonical && r.sourceCanonical !== src ? ` (= ${r.sourceCanonical})` : '';
  const named = [r.sourceName, r.sourceAccount && !src.startsWith(`${r.sourceAccount}/`) ? `account ${r.sourceAccount}` : null].filter(Boolean).join(', ');
  return `${src}${canon}${named ? ` (${named})` : ''}`;
}

const SG_COLUMNS = [
  timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('action', 'Action', FACT), col('direction', 'Dir', FACT), col('rule', 'Rule', { priority: PRIORITY.normal, minWidth: 16 }),
  col('ruleId', 'Rule ID', MINOR), col('previous', 'Was', MINOR), col('description', 'Description', TEXT), col('world', 'World-open', FACT), col('actor', 'Actor', ARN), col('note', 'Note', TEXT), col('trust', 'Trust', MINOR), idCol(),
];

function groupSections(g: GroupReport, tz: string, prefix: string): ViewSection[] {
  const ra = g.rulesAt;
  return [
    { title: `${prefix}Rule changes`, columns: SG_COLUMNS, rows: sgRows(g.changes, tz), empty: 'No rule changes in the range.' },
    { title: `${prefix}Failed attempts`, columns: [...SG_COLUMNS.slice(0, 5), col('error', 'Error', ERROR), col('actor', 'Actor', ARN), idCol()], rows: sgRows(g.failedAttempts, tz), empty: 'No failed attempts.' },
    ...(g.referencedBy.length ? [{ title: `${prefix}Rules in other groups that reference this group`, columns: [timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('rule', 'Rule', { priority: PRIORITY.normal, minWidth: 16 }), col('actor', 'Actor', ARN), idCol()], rows: sgRows(g.referencedBy, tz) }] : []),
    {
      title: `${prefix}Rules at ${t(ra.time, tz) ?? '(no changes)'} — ${ra.complete ? 'complete (creation in the evidence)' : `INCOMPLETE: ${ra.created ? ra.gaps.join('; ') : 'the group was created before the evidence; only rules changed since are known'}`}${ra.deleted ? ' — group deleted' : ''}`,
      columns: [col('direction', 'Dir', FACT), col('protocol', 'Protocol', FACT), col('ports', 'Ports', FACT), col('source', 'Source', NAME), col('description', 'Description', TEXT), col('ruleId', 'Rule ID', MINOR), col('world', 'World-open', FACT)],
      rows: ra.rules.map((r) => ({
        direction: r.direction,
        protocol: r.protocol,
        ports: r.protocol === 'all' ? 'all' : r.fromPort === r.toPort ? String(r.fromPort ?? '') : `${r.fromPort}-${r.toPort}`,
        source: sourceLabel({ ...r, sourceCanonical: r.sourceType === 'cidr-ipv4' || r.sourceType === 'cidr-ipv6' ? canonicalCidr(r.source) : null, sourceName: r.sourceName ?? null, sourceAccount: r.sourceAccount ?? null }),
        description: r.description,
        ruleId: r.ruleId,
        world: r.worldOpenSensitivePorts.join(',') || r.exposure,
      })),
      empty: 'No rules known at that time.',
    },
  ];
}

export function securityGroupView(r: SecurityGroupReport, tz: string): ReportView {
  const facts: Array<[string, string]> = [['Security group', `${r.groupId}${r.groupNames.length ? ` (${r.groupNames.join(', ')})` : ''}`]];
  if (!r.found) return { title: `Security group ${r.groupId}`, facts: [...facts, ['Result', 'no security-group call in the case names this group'], ...coverageFacts(r.coverage!)], sections: [], notes: [] };
  return { title: `Security group ${r.groupId}`, facts, sections: [findingsSection(r.findings), ...groupSections(r, tz, '')], notes: [] };
}

export function allGroupsView(r: AllGroupsReport, tz: string): ReportView {
  return {
    title: 'Security groups',
    facts: [['Groups with changes', String(r.groups.length)]],
    sections: [findingsSection(r.findings), ...r.groups.flatMap((g) => groupSections(g, tz, `${g.groupId}: `))],
    notes: [],
  };
}

/** The semantic diff of a policy-replacing write in one line, or why there is none; null for other writes. */
function policyChangeLabel(d: Record<string, unknown>): string | null {
  const diff = d.trustDiff ?? d.policyDiff;
  if (typeof diff === 'string') return diff.replace(/^previous (trust )?policy( document)? not in the evidence$/, 'previous not in the evidence');
  return diff && typeof diff === 'object' && 'identical' in diff ? diffSummary(diff as PolicyDiff) : null;
}

export function iamView(r: IamReport, tz: string): ReportView {
  const facts: Array<[string, string]> = [
    ['IAM writes', `${r.changes.length} (${r.failedChanges} failed)`],
    ['Accounts in the case', r.accounts.join(', ') || '(none)'],
  ];
  if (r.principal) facts.push(['Principal', r.principal]);
  const detail = (d: Record<string, unknown>) => {
    const s = JSON.stringify(d);
    return s.length > 400 ? `${s.slice(0, 400)}…` : s;
  };
  return {
    title: 'IAM changes',
    facts,
    sections: [
      findingsSection(r.findings),
      {
        title: 'Changes (oldest first; ! = admin-equivalent)',
        columns: [
          col('a', '', MARK), timeCol('time', 'Time'), col('eventName', 'Event', NAME), col('target', 'Target', { ...ARN, minWidth: 16 }), col('actor', 'Actor', ARN), col('ip', 'Source IP', IP),
          col('error', 'Error', ERROR), col('diff', 'Policy change', { priority: PRIORITY.normal, minWidth: 24 }), col('detail', 'Detail', TEXT), col('trust', 'Trust', MINOR), idCol(),
        ],
        rows: r.changes.map((c) => ({ a: c.adminEquivalent.length ? '!' : '', time: t(c.eventTime, tz), eventName: c.eventName, target: c.target, actor: c.actorArn, ip: c.sourceIPAddress, error: c.errorCode, diff: policyChangeLabel(c.detail), detail: detail(c.detail), trust: c.trust ?? null, eventId: c.eventId })),
        empty: 'No IAM writes in the range.',
      },
    ],
    notes: [],
  };
}

export function consoleLoginsView(r: ConsoleLoginReport, tz: string): ReportView {
  const s = r.summary;
  return {
    title: 'Console sign-ins',
    facts: [
      ['Sign-ins', `${s.successes} succeeded, ${s.failures} failed; ${s.rootLogins} root; ${s.withoutMfa} without MFA`],
      ['Users / source IPs', `${s.users} / ${s.sourceIps}`],
    ],
    sections: [
      findingsSection(r.findings),
      {
        title: 'Sign-ins (oldest first)',
        columns: [timeCol('time', 'Time'), col('user', 'User', ARN), col('ip', 'Source IP', IP), col('result', 'Result', FACT), col('mfa', 'MFA', FACT), col('root', 'Root', FACT), col('new', 'New IP', MINOR), col('trust', 'Trust', MINOR), idCol()],
        rows: r.logins.map((l) => ({ time: t(l.eventTime, tz), user: l.userArn ?? l.userName, ip: l.sourceIPAddress, result: l.result, mfa: yn(l.mfaUsed), root: l.root ? 'ROOT' : '', new: yn(l.new), trust: l.trust ?? null, eventId: l.eventId })),
        empty: 'No console sign-ins in the range.',
      },
    ],
    notes: [],
  };
}

export function sqlScenarioView(r: SqlScenarioResult): ReportView {
  return {
    title: r.title,
    facts: Object.entries(r.parameters)
      .filter(([, v]) => v != null)
      .map(([k, v]) => [k, String(v)]),
    sections: [
      {
        title: `${r.rows.length} rows`,
        columns: r.columns.map((c) => col(c.name, c.name)),
        rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c.name, (row[c.name] ?? null) as Cell]))),
        empty: 'No rows.',
      },
    ],
    notes: [],
  };
}

export function scenarioListView(list: readonly Scenario[]): ReportView {
  return {
    title: 'Scenarios',
    facts: [],
    sections: [
      {
        title: `${list.length} scenarios`,
        columns: [col('id', 'ID', { priority: PRIORITY.key }), col('kind', 'Kind', MINOR), col('title', 'Title', { priority: PRIORITY.text, minWidth: 20, wrap: true }), col('run', 'Run with', NAME), col('parameters', 'Parameters', TEXT)],
        rows: list.map((s) => ({
          id: s.id,
          kind: s.kind === 'sql' ? 'query' : 'investigation',
          title: s.title,
          run: s.kind === 'sql' ? `investigate run ${s.id}` : s.command,
          parameters: (s.kind === 'code' ? s.parameters.filter((p) => !p.cliOnly) : s.parameters).map((p) => `${p.name}${p.required ? '' : '?'}:${p.type}`).join(' '),
        })),
      },
    ],
    notes: [],
  };
}
