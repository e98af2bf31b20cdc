// Query benchmark (issue 3 targets): median milliseconds per search filter on a large case, for every
// single-attribute filter returning ≤ 1,000 events (target ≤ 10 ms), for combinations (≤ 50 ms), and for the
// seed runbook's lookup-events commands end to end in-process: query, bodies, JMESPath, JSON text (≤ 100 ms).
// Called by bench/run.ts on a 1M-event case; also runnable alone: node dist/bench/query-bench.js CASE.db

import { openCase, type Db } from '../src/index/open.js';
import { searchEvents, type EventFilter } from '../src/index/search.js';
import { parseLookupAttributes } from '../src/scenarios/lookup-attributes.js';
import { lookupEvents, type LookupRequest } from '../src/scenarios/lookup-query.js';
import { awsLookupResponse } from '../src/report/aws-cli-events.js';
import { compileQuery } from '../src/report/aws-cli-query.js';
import { formatAwsJson } from '../src/report/aws-cli-format.js';
import { parseTime } from '../src/model/time.js';
import type { JSONValue } from '@jmespath-community/jmespath';

const RUNS = 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  fn(); // warm: statement cache, pages
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.round(median(xs) * 100) / 100;
}

/** A value of a string column whose count is the largest ≤ max (so the filter returns ≤ max events). */
function valueUpTo(db: Db, column: string, max = 1000): string | null {
  const row = db
    .prepare(
      `SELECT s.value FROM (SELECT ${column} AS v, count(*) AS n FROM events WHERE ${column} IS NOT NULL GROUP BY ${column} HAVING n <= ? ORDER BY n DESC LIMIT 1) x JOIN strings s ON s.id = x.v`,
    )
    .pluck()
    .get(max) as string | undefined;
  return row ?? null;
}

function resourceUpTo(db: Db, max = 1000): { type: string; name: string } | null {
  const row = db
    .prepare(
      `SELECT t.value AS type, n.value AS name FROM (SELECT name, min(type) AS type, count(*) AS c FROM event_resources GROUP BY name HAVING c <= ? ORDER BY c DESC LIMIT 1) x
       JOIN strings t ON t.id = x.type JOIN strings n ON n.id = x.name`,
    )
    .get(max) as { type: string; name: string } | undefined;
  return row ?? null;
}

const SEED_COMMANDS: { name: string; argv: string[] }[] = [
  { name: 'seed1 AccessKeyId', argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX'] },
  {
    name: 'seed2 AccessKeyId --query EC2',
    argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX', '--query', 'Events[?contains(EventName, `EC2`)].{Time:EventTime,Event:EventName,Source:SourceIPAddress,User:Username}'],
  },
  {
    name: 'seed3 AccessKeyId + time --query',
    argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=AccessKeyId,AttributeValue=AKIAXXXXXXXXXXXXXXXX', '--start-time', '2025-02-1T00:00:00Z', '--end-time', '2025-02-18T23:59:59Z', '--query', 'Events[*].{Time:EventTime,Name:EventName,Source:SourceIPAddress,UserName:Username}'],
  },
  {
    name: 'seed4 ResourceName instance --query',
    argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=ResourceName,AttributeValue=i-1234567890abcdef0', '--query', 'Events[*].{EventName:EventName,EventTime:EventTime,Username:Username}'],
  },
  { name: 'seed5 EventName AuthorizeSecurityGroupIngress', argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=AuthorizeSecurityGroupIngress'] },
  {
    name: 'seed6 EventSource iam + day',
    argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com', '--start-time', '2024-02-17T00:00:00Z', '--end-time', '2024-02-17T23:59:59Z'],
  },
  { name: 'seed7 Username', argv: ['--region', 'us-east-1', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=username'] },
  { name: 'seed8 time window only', argv: ['--start-time', '2024-02-17T00:00:00Z', '--end-time', '2024-02-17T23:59:59Z'] },
];

/** The seed's argv → what the lookup-events command does, in-process. */
function runSeed(db: Db, argv: string[]): { events: number } {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const attrs = argv.flatMap((a, i) => (argv[i - 1] === '--lookup-attributes' ? parseLookupAttributes(a) : []));
  const req: LookupRequest = {
    attributes: attrs,
    startMs: get('--start-time') ? parseTime(get('--start-time')!) : null,
    endMs: get('--end-time') ? parseTime(get('--end-time')!) : null,
    region: get('--region') ?? null,
    managementOnly: false,
    maxItems: null,
    startingToken: null,
  };
  const r = awsLookupResponse(lookupEvents(db, req), { strict: false, tz: 'UTC' });
  let out: JSONValue = r as unknown as JSONValue;
  const q = get('--query');
  if (q) out = compileQuery(q)(out);
  formatAwsJson(out);
  return { events: r.Events.length };
}

export async function runQueryBench(caseDb: string): Promise<Record<string, number>> {
  const db = openCase(caseDb, { readonly: true });
  const out: Record<string, number> = {};
  try {
    out.events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const first = db.prepare('SELECT min(event_time) FROM events').pluck().get() as number;
    const last = db.prepare('SELECT max(event_time) FROM events').pluck().get() as number;
    const pick = (col: string): string[] => {
      const v = valueUpTo(db, col);
      return v === null ? [] : [v];
    };
    const name = pick('event_name');
    const source = pick('event_source');
    const user = pick('username');
    const key = pick('access_key_id');
    const ip = pick('source_ip');
    const region = pick('aws_region');
    const account = pick('recipient_account_id');
    const arn = pick('arn');
    const ua = pick('user_agent');
    const err = pick('error_code');
    const res = resourceUpTo(db);
    const anyId = db.prepare('SELECT event_id FROM events WHERE id = (SELECT max(id) / 2 FROM events)').pluck().get();
    const { unpackId } = await import('../src/index/ids.js');
    const eventId = unpackId(anyId) ?? '';
    const dayStart = last - 86_400_000 * 3;
    const singles: [string, EventFilter][] = [
      ['event-name', { eventNames: name }],
      ['event-source', { eventSources: source }],
      ['user', { users: user }],
      ['access-key', { accessKeys: key }],
      ['event-id', { eventIds: [eventId] }],
      ['source-ip', { sourceIps: ip }],
      ['region', { regions: region }],
      ['account', { accounts: account }],
      ['principal-arn', { principalArns: arn }],
      ['user-agent (substring)', { userAgents: ua.map((u) => u.slice(0, 20)) }],
      ['error', { errors: err }],
      ['error any', { errors: 'any' }],
      ['resource-name', { resourceNames: res ? [res.name] : [] }],
      ['resource-type', { resourceTypes: res ? [res.type] : [] }],
      ['time range (1000 newest)', { startMs: first, endMs: last }],
      ['read-only false (1000 newest)', { readOnly: false }],
      ['category data (1000 newest)', { categories: ['data'] }],
    ];
    for (const [label, f] of singles) {
      let n = 0;
      const ms = time(() => (n = searchEvents(db, f, { limit: 1000 }).rows.length));
      out[`single ${label} ms`] = ms;
      out[`single ${label} rows`] = n;
    }
    const combos: [string, EventFilter][] = [
      ['event-name + region + 3 days', { eventNames: name, regions: region.length ? region : undefined, startMs: dayStart, endMs: last }],
      ['user + event-source + read-only', { users: user, eventSources: source, readOnly: false }],
      ['access-key + error any + source-ip /16', { accessKeys: key, errors: 'any', sourceIps: ip.map((x) => (/^\d+\.\d+\./.test(x) ? `${x.split('.').slice(0, 2).join('.')}.0.0/16` : x)) }],
      ['resource-name + event-name', { resourceNames: res ? [res.name] : [], eventNames: name }],
      ['region + account + category + 3 days', { regions: region, accounts: account, categories: ['management'], startMs: dayStart, endMs: last }],
      ['principal wildcard + 3 days', { principalArns: ['arn:aws:iam::*:user/*'], startMs: dayStart, endMs: last }],
    ];
    for (const [label, f] of combos) {
      let n = 0;
      const ms = time(() => (n = searchEvents(db, f, { limit: 1000 }).rows.length));
      out[`combo ${label} ms`] = ms;
      out[`combo ${label} rows`] = n;
    }
    for (const c of SEED_COMMANDS) {
      let n = 0;
      const ms = time(() => (n = runSeed(db, c.argv).events));
      out[`lookup-events ${c.name} ms`] = ms;
      out[`lookup-events ${c.name} events`] = n;
    }
  } finally {
    db.close();
  }
  return out;
}

if (process.argv[1] && /query-bench\.js$/.test(process.argv[1]) && process.argv[2]) {
  runQueryBench(process.argv[2]).then((r) => {
    for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(60)} ${v}\n`);
  });
}
