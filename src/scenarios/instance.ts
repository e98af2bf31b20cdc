// `investigate instance`: every event that names the instance, oldest first, with the actor fully attributed
// (role, session, and who assumed it), lifecycle actions highlighted and service-initiated actions labelled; and the
// instance's role sessions with what they did and whether they were used elsewhere (src/scenarios/instance-sessions.ts).

import type { Db } from '../index/open.js';
import { findEvents } from '../index/search.js';
import { caseCoverage } from '../index/query-coverage.js';
import { isoUtc } from '../model/time.js';
import { InvestigationInputError } from '../model/errors.js';
import { caseMintLookup, withBodies } from './case-source.js';
import {
  coverageJson,
  describeFilter,
  trustFor,
  type CoverageJson,
  type InvestigationFinding,
  type InvestigationOptions,
} from './common.js';
import { finding } from './finding.js';
import { instanceCredentials, instanceCredentialsFinding, type InstanceCredentials } from './instance-sessions.js';
import { actorLabel, attributeActor, type Actor } from './identity.js';
import { INSTANCE_ID_RE } from './instance-credentials.js';
import { items, path, pick, str, type Obj } from './record.js';
import { withOutcomes } from './outcome.js';
import { withReverts } from './finding-reverts.js';


function checkInstanceId(id: string): void {
  if (!INSTANCE_ID_RE.test(id)) {
    throw new InvestigationInputError(`instance ID "${id}" is malformed: expected i- followed by 8 or 17 hexadecimal digits, such as i-1234567890abcdef0`);
  }
}

const LIFECYCLE = /^(RunInstances|StartInstances|StopInstances|RebootInstances|TerminateInstances|Modify\w*|AssociateIamInstanceProfile|ReplaceIamInstanceProfileAssociation|DisassociateIamInstanceProfile|MonitorInstances|UnmonitorInstances|SendCommand|StartSession)$/;

export interface InstanceEvent {
  eventId: string;
  eventTime: string | null;
  eventName: string | null;
  eventSource: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  /** Run/Start/Stop/Reboot/Terminate/Modify* and other actions that change the instance itself. */
  lifecycle: boolean;
  /** State change the response reports for this instance (stopping → stopped...). */
  stateChange: { from: string | null; to: string | null } | null;
  actor: Actor;
  /** The actor in one line (table output). */
  actorLabel: string;
  sourceIPAddress: string | null;
  userAgent: string | null;
  accessKeyId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  trust?: string;
}

export interface InstanceReport {
  investigation: 'instance';
  instanceId: string;
  found: boolean;
  coverage?: CoverageJson;
  filter: ReturnType<typeof describeFilter>;
  events: InstanceEvent[];
  /** Who launched, started, stopped, rebooted and terminated it (successful calls). */
  lifecycle: Array<{ eventName: string; eventTime: string | null; eventId: string; actorArn: string | null; assumedBy: string | null; originArn: string | null; serviceInitiated: boolean }>;
  /**
   * The instance-profile sessions EC2 issued to the instance (session name = the instance id): each session, the
   * instance's own addresses, the addresses used elsewhere and the sessions' activity; null when the case has none.
   */
  roleSessions: InstanceCredentials | null;
  findings: InvestigationFinding[];
}

function stateChangeOf(rec: Obj | null, instanceId: string): InstanceEvent['stateChange'] {
  const set = path(rec, 'responseElements', 'instancesSet');
  for (const it of items(set)) {
    if (str(pick(it, 'instanceId')) !== instanceId) continue;
    const from = str(path(it, 'previousState', 'name'));
    const to = str(path(it, 'currentState', 'name')) ?? str(path(it, 'instanceState', 'name'));
    if (from || to) return { from, to };
  }
  return null;
}

export function investigateInstance(db: Db, instanceId: string, opts: InvestigationOptions): InstanceReport {
  const id = instanceId.trim();
  checkInstanceId(id);
  const rows = findEvents(db, { ...opts.filter, resourceNames: [id] });
  const base = { investigation: 'instance' as const, instanceId: id, filter: describeFilter(opts.filter) };
  const roleSessions = instanceCredentials(db, id, { filter: opts.filter });
  const sessionFinding = roleSessions ? instanceCredentialsFinding(db, roleSessions) : null;
  if (rows.length === 0 && roleSessions) {
    return { ...base, found: true, events: [], lifecycle: [], roleSessions, findings: sessionFinding ? [sessionFinding] : [] };
  }
  if (rows.length === 0) {
    const anyTime = opts.filter.startMs != null || opts.filter.endMs != null || opts.filter.accounts?.length || opts.filter.regions?.length ? findEvents(db, { resourceNames: [id] }).length : 0;
    return {
      ...base,
      found: false,
      coverage: coverageJson(caseCoverage(db)),
      events: [],
      lifecycle: [],
      roleSessions: null,
      findings: anyTime
        ? withReverts(db, withOutcomes(db, [finding('outside-filter', { message: `${anyTime} events name ${id} outside the time range, accounts or regions asked for`, eventIds: [] })]))
        : [],
    };
  }
  const events = withBodies(db, rows);
  const lookup = caseMintLookup(db);
  const trust = trustFor(db, opts,
    rows.map((r) => r.id),
  );
  const out: InstanceEvent[] = events.map((e) => {
    const actor = attributeActor(e, lookup);
    const ev: InstanceEvent = {
      eventId: e.row.eventId,
      eventTime: isoUtc(e.row.eventTime),
      eventName: e.row.eventName,
      eventSource: e.row.eventSource,
      awsRegion: e.row.awsRegion,
      recipientAccountId: e.row.recipientAccountId,
      lifecycle: !!e.row.eventName && LIFECYCLE.test(e.row.eventName),
      stateChange: stateChangeOf(e.record, id),
      actor,
      actorLabel: actorLabel(actor),
      sourceIPAddress: e.row.sourceIPAddress,
      userAgent: e.row.userAgent,
      accessKeyId: e.row.accessKeyId,
      errorCode: e.row.errorCode,
      errorMessage: e.row.errorMessage,
    };
    const t = trust?.get(e.row.id);
    if (t) ev.trust = t;
    return ev;
  });
  const lifecycle = out
    .filter((e) => e.lifecycle && !e.errorCode && /^(Run|Start|Stop|Reboot|Terminate)Instances$/.test(e.eventName ?? ''))
    .map((e) => ({
      eventName: e.eventName!,
      eventTime: e.eventTime,
      eventId: e.eventId,
      actorArn: e.actor.arn,
      assumedBy: e.actor.assumedBy,
      originArn: e.actor.originArn,
      serviceInitiated: e.actor.serviceInitiated,
    }));
  const findings: InvestigationFinding[] = [];
  for (const e of out) {
    if (!e.lifecycle || e.errorCode || !/^(Stop|Terminate)Instances$/.test(e.eventName ?? '')) continue;
    const fields = { message: `${e.eventName} by ${e.actorLabel} from ${e.sourceIPAddress ?? '?'}`, eventIds: [e.eventId] };
    const byService = { alternate: e.actor.serviceInitiated };
    findings.push(e.eventName === 'TerminateInstances' ? finding('terminated', fields, byService) : finding('stopped', fields, byService));
  }
  const denied = out.filter((e) => e.errorCode);
  if (denied.length) findings.push(finding('failed-calls', { message: `${denied.length} failed calls name the instance`, eventIds: denied.map((e) => e.eventId) }));
  // Stolen credentials first: the others are about the instance's lifecycle.
  if (sessionFinding) findings.unshift(sessionFinding);
  const byId = new Map(rows.map((r) => [r.eventId, r]));
  withOutcomes(db, findings, byId);
  withReverts(db, findings, byId);
  return { ...base, found: true, events: out, lifecycle, roleSessions, findings };
}
