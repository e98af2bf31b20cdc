// The investigations' evidence at scale (`trailhound sql-for trino|athena investigate <name> …`): for each code
// investigation, the steps that find the events it reads, as Trino SQL over a target table (model/sql-targets.ts).
// The steps return a superset of what the investigation uses (every event that mentions an instance, not only the
// ones the investigation keeps); the result ingests into a local case, where `trailhound investigate` gives the exact
// answer with the same code as always. docs/scale.md lists the steps and what stays local (baselines, verdicts).

import { FINDING_COLUMNS, fieldSql, trinoString, type SqlTarget } from '../model/sql-targets.js';
import { InvestigationInputError } from '../model/errors.js';
import { RECORD_COLUMN } from '../model/export-schema.js';
import { PREFIX_LIST_EVENT_NAMES } from './prefix-lists.js';

export interface ScaleStep {
  id: string;
  description: string;
  /** WHERE over the table aliased `e` (may use the CTEs). */
  where: string;
}

export interface ScalePlan {
  /** Common table expressions the steps use (`name AS (…)`), in order; `recursive`: WITH RECURSIVE. */
  ctes: string[];
  recursive: boolean;
  steps: ScaleStep[];
}

/** STS calls whose response holds new credentials (credentials.accessKeyId). */
const MINTING_CALLS = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken'];

/**
 * How deep `access-key` follows minted credentials: Athena stops a recursive query at 10 levels, Trino by default too
 * (max_recursion_depth), so 8 leaves room. A deeper chain: run the steps again with a key from the last level.
 */
const MAX_LINEAGE_DEPTH = 8;

function col(target: SqlTarget, field: string): string {
  const f = fieldSql(target, field);
  if ('reason' in f) throw new Error(`at-scale: ${f.reason}`);
  return f.expr;
}

/** The event mentions `text` (an instance or group id) in its parameters, response or identity. */
function mentions(target: SqlTarget, text: string): string {
  const t = trinoString(text);
  if (target === 'parquet') return `COALESCE(strpos(e.${RECORD_COLUMN}, ${t}) > 0, FALSE)`;
  return `COALESCE(strpos(e.requestparameters, ${t}) > 0 OR strpos(e.responseelements, ${t}) > 0 OR strpos(e.useridentity.principalid, ${t}) > 0, FALSE)`;
}

type Params = Record<string, string | undefined>;

interface ScaleInvestigation {
  /** The positional subject (`access-key AKIA…`), if any. */
  subject?: { name: string; pattern: RegExp; describe: string };
  plan(target: SqlTarget, table: string, p: Params): ScalePlan;
}

const PLANS: Record<string, ScaleInvestigation> = {
  'access-key': {
    subject: { name: 'accessKeyId', pattern: /^A[A-Z0-9]{15,127}$/, describe: 'AKIA… or ASIA… key ID' },
    plan(target, table, p) {
      const key = trinoString(p.accessKeyId!);
      const keyCol = col(target, 'userIdentity.accessKeyId');
      const arnCol = col(target, 'userIdentity.arn');
      const response = (key: string) => `json_extract_scalar(${target === 'parquet' ? `e.${RECORD_COLUMN}` : 'e.responseelements'}, ${trinoString(target === 'parquet' ? `$.responseElements.${key}` : `$.${key}`)})`;
      const created = response('accessKey.accessKeyId');
      // STS credentials, or a long-term key the key created (CreateAccessKey), as the local lineage follows them.
      const minted = `coalesce(${response('credentials.accessKeyId')}, ${created})`;
      return {
        recursive: true,
        ctes: [
          `lineage (access_key, depth) AS (
    SELECT ${key}, 0
    UNION ALL
    SELECT ${minted}, l.depth + 1
    FROM ${table} e JOIN lineage l ON ${keyCol} = l.access_key
    WHERE ${col(target, 'eventName')} IN (${[...MINTING_CALLS, 'CreateAccessKey'].map(trinoString).join(', ')}) AND ${minted} IS NOT NULL AND l.depth < ${MAX_LINEAGE_DEPTH}
  )`,
          `owner (arn) AS (SELECT DISTINCT ${arnCol} FROM ${table} e WHERE ${keyCol} = ${key} AND ${arnCol} IS NOT NULL)`,
        ],
        steps: [
          { id: 'key-and-minted', description: `calls signed by the key and by every credential it minted (STS and CreateAccessKey, up to ${MAX_LINEAGE_DEPTH} deep)`, where: `${keyCol} IN (SELECT access_key FROM lineage)` },
          { id: 'key-created', description: 'the CreateAccessKey call that made the key', where: `${created} = ${key}` },
          { id: 'owner-activity', description: "the owner's other calls (its baseline; the local investigation picks the days)", where: `${arnCol} IN (SELECT arn FROM owner)` },
        ],
      };
    },
  },
  instance: {
    subject: { name: 'instanceId', pattern: /^i-[0-9a-f]{8}([0-9a-f]{9})?$/, describe: 'instance ID, i-…' },
    plan(target, _table, p) {
      return {
        recursive: false,
        ctes: [],
        steps: [{ id: 'mentions-instance', description: "calls that name the instance (stop, terminate, modify, its role's sessions)", where: mentions(target, p.instanceId!) }],
      };
    },
  },
  'security-group': {
    subject: { name: 'groupId', pattern: /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/, describe: 'security group ID, sg-…' },
    plan(target, table, p) {
      const ec2 = `${col(target, 'eventSource')} = 'ec2.amazonaws.com'`;
      const request = (key: string) => `json_extract_scalar(${target === 'parquet' ? `e.${RECORD_COLUMN}` : 'e.requestparameters'}, ${trinoString(target === 'parquet' ? `$.requestParameters.${key}` : `$.${key}`)})`;
      const response = (key: string) => `json_extract_scalar(${target === 'parquet' ? `e.${RECORD_COLUMN}` : 'e.responseelements'}, ${trinoString(target === 'parquet' ? `$.responseElements.${key}` : `$.${key}`)})`;
      return {
        recursive: false,
        ctes: [
          `group_names (name) AS (SELECT DISTINCT ${request('groupName')} FROM ${table} e WHERE ${col(target, 'eventName')} = 'CreateSecurityGroup' AND ${response('groupId')} = ${trinoString(p.groupId!)})`,
        ],
        steps: [
          { id: 'mentions-group', description: 'calls that name the group (create, authorize, revoke, modify, delete, attach)', where: `${ec2} AND ${mentions(target, p.groupId!)}` },
          { id: 'named-by-name', description: 'calls that name it by group name only (EC2-Classic and default-VPC forms)', where: `${ec2} AND ${request('groupName')} IN (SELECT name FROM group_names)` },
          {
            id: 'definitions',
            description: "every group's creation and every managed prefix list's calls (names for the groups and lists its rules refer to)",
            where: `${ec2} AND ${col(target, 'eventName')} IN (${['CreateSecurityGroup', ...PREFIX_LIST_EVENT_NAMES].map(trinoString).join(', ')})`,
          },
        ],
      };
    },
  },
  iam: {
    plan(target) {
      return {
        recursive: false,
        ctes: [],
        steps: [{ id: 'iam-changes', description: 'IAM calls that may change users, groups, roles and policies (every non-read-only IAM call)', where: `${col(target, 'eventSource')} = 'iam.amazonaws.com' AND COALESCE(${readOnly(target)} <> 'true', TRUE)` }],
      };
    },
  },
  'console-logins': {
    plan(target, table) {
      const arn = col(target, 'userIdentity.arn');
      const ip = col(target, 'sourceIPAddress');
      const name = col(target, 'eventName');
      const time = FINDING_COLUMNS[target].time;
      const signIn = `${col(target, 'eventSource')} IN ('signin.amazonaws.com', 'sso.amazonaws.com')`;
      return {
        recursive: false,
        ctes: [
          `signed_in (arn) AS (SELECT DISTINCT ${arn} FROM ${table} e WHERE ${name} = 'ConsoleLogin' AND ${arn} IS NOT NULL)`,
          // Each user's earliest other call, overall and from each address: what "new IP" is judged against.
          `first_seen (arn, ip, t) AS (
    SELECT ${arn}, ${ip}, min(${time}) FROM ${table} e
    WHERE ${arn} IN (SELECT arn FROM signed_in) AND ${name} <> 'ConsoleLogin'
    GROUP BY GROUPING SETS ((${arn}), (${arn}, ${ip}))
  )`,
        ],
        steps: [
          { id: 'sign-in', description: 'console sign-ins and federation (signin.amazonaws.com) and the SSO portal', where: signIn },
          {
            id: 'first-seen',
            description: "each signed-in user's earliest other call, overall and per source address (decides \"new IP\")",
            where: `EXISTS (SELECT 1 FROM first_seen f WHERE f.arn = ${arn} AND f.t = ${time} AND (f.ip IS NULL OR f.ip = ${ip}))`,
          },
        ],
      };
    },
  },
};

function readOnly(target: SqlTarget): string {
  return target === 'parquet' ? `CAST(e.read_only AS varchar)` : 'e.readonly';
}

/** The investigations that have steps at scale, with their subject. */
export function scaleInvestigations(): Array<{ name: string; subject: string | null }> {
  return Object.entries(PLANS).map(([name, s]) => ({ name, subject: s.subject?.describe ?? null }));
}

/** The plan of one investigation; throws InvestigationInputError for an unknown one or a malformed subject. */
export function scalePlan(name: string, subject: string | undefined, target: SqlTarget, table: string): ScalePlan {
  const inv = PLANS[name];
  if (!inv) throw new InvestigationInputError(`sql-for: "${name}" has no steps at scale; investigations that do: ${Object.keys(PLANS).join(', ')}`);
  const params: Params = {};
  if (inv.subject) {
    if (!subject) throw new InvestigationInputError(`sql-for investigate ${name}: give the ${inv.subject.describe}`);
    if (!inv.subject.pattern.test(subject)) throw new InvestigationInputError(`sql-for investigate ${name}: "${subject}" is not valid (expected: ${inv.subject.describe})`);
    params[inv.subject.name] = subject;
  } else if (subject) {
    throw new InvestigationInputError(`sql-for investigate ${name} takes no subject (got "${subject}")`);
  }
  return inv.plan(target, table, params);
}

/**
 * One statement that reads the table once and returns each step's events: step, event id, time, the evidence file,
 * and on Parquet the original record (`cloudtrailevent`, so the result ingests as an export).
 */
export function investigationSql(plan: ScalePlan, target: SqlTarget, table: string): string {
  const c = FINDING_COLUMNS[target];
  const values = plan.steps.map((s) => `(${trinoString(s.id)})`).join(', ');
  const where = plan.steps.map((s) => `  (s.step = ${trinoString(s.id)} AND ${s.where})`).join('\n  OR\n');
  const withClause = plan.ctes.length ? `WITH ${plan.recursive ? 'RECURSIVE ' : ''}${plan.ctes.join(',\n  ')}\n` : '';
  return [
    `${withClause}SELECT s.step, ${c.eventId} AS event_id, ${c.time} AS event_time, ${c.file} AS source_file${c.record ? `, ${c.record} AS cloudtrailevent` : ''}`,
    `FROM ${table} e CROSS JOIN (VALUES ${values}) AS s (step)`,
    'WHERE',
    where,
    'ORDER BY 3, 2, 1;',
  ].join('\n');
}
