// Attacker-controlled text never reaches the analyst's terminal raw. A small case from hand-made evidence whose
// fields hold terminal escapes (title change, clear screen, OSC 52 clipboard write), a one-byte C1 CSI and bidi
// override/isolate characters; every command's stdout and stderr is checked with findRawControl, human output must
// show the escapes visibly, and JSON output must parse back to the exact original strings (docs/output-formats.md,
// "Control characters"). Also: an event stored at the end of the Date range (+275760-09-13) in other zones.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { setStoredEventTime } from '../helpers/older-case.js';
import { runCliInProcess, type CliResult } from '../helpers/cli.js';
import { event, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';
import { buildChain, scenario } from '../integrity/vectors.js';

const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';
const OSC52 = '\u001b]52;c;ZXZpbA==\u0007';
const CSI1 = '\u009b31m';
const RLO = '\u202e';
const LRI = '\u2066';
const H = `x${TITLE}${CLEAR}${OSC52}${CSI1}${RLO}${LRI}y`;
/** What human output shows for H. */
const H_SHOWN = 'x\\e]0;pwned\\x07\\e[2J\\e]52;c;ZXZpbA==\\x07\\x9b31m\\u202e\\u2066y';
/** H_SHOWN in a Markdown table: its backslashes and brackets are Markdown-escaped on top. */
const H_MD = H_SHOWN.replace(/\\/g, '\\\\').replace(/([[\]])/g, '\\$1');
/** The same, for file names (no '/'). */
const NAME_H = `${CLEAR}${CSI1}${RLO}${LRI}${TITLE}`;

const KEY = 'AKIAEXAMPLEHOSTILE01';
const INSTANCE = 'i-0123456789abcdef0';
const ACCOUNT = '111122223333';
const FAR = '+275760-09-13T00:00:00Z';

let dir = '';
let db = '';
let evidence = '';
let chainRoot = '';
let keys = '';
let metadata = '';
let hostileTrail = '';
let ingest: CliResult;

function clean(r: CliResult, what: string): void {
  expect(findRawControl(r.stdout), `${what}: stdout`).toBeNull();
  expect(findRawControl(r.stderr), `${what}: stderr`).toBeNull();
  expect(r.stderr, `${what}: no crash`).not.toMatch(/fatal|Invalid time value/);
}

const cli = async (what: string, args: string[], codes: number[] = [0]): Promise<CliResult> => {
  const r = await runCliInProcess(args);
  clean(r, what);
  expect(codes, `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  return r;
};

beforeAll(async () => {
  dir = tmpDir('trailhound-ctl-');
  evidence = path.join(dir, 'evidence');
  const identity = { type: 'IAMUser', principalId: 'AIDAHOSTILE', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, accountId: ACCOUNT, accessKeyId: KEY, userName: 'mallory' };
  writeLog(evidence, [
    event({
      eventID: 'evt-hostile',
      eventTime: '2024-02-17T10:00:00Z',
      userIdentity: identity,
      recipientAccountId: `${ACCOUNT}${H}`,
      awsRegion: `us-east-1${H}`,
      eventCategory: `Management${H}`,
      userAgent: H,
      errorCode: 'AccessDenied',
      errorMessage: H,
      requestParameters: { k: H, [`key${H}`]: [H] },
    }),
    event({ eventID: 'evt-far', eventTime: FAR, userIdentity: identity }),
    event({
      eventID: 'evt-iam',
      eventTime: '2024-02-17T10:05:00Z',
      userIdentity: identity,
      eventSource: 'iam.amazonaws.com',
      eventName: 'PutUserPolicy',
      readOnly: false,
      requestParameters: { userName: `bob${H}`, policyName: `p${H}`, policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Sid: H }] }) },
      userAgent: H,
    }),
    // A snapshot shared with a hostile "account": the decisive parameters of the sensitive-action row carry it.
    event({
      eventID: 'evt-share',
      eventTime: '2024-02-17T10:06:00Z',
      userIdentity: identity,
      eventSource: 'ec2.amazonaws.com',
      eventName: 'ModifySnapshotAttribute',
      readOnly: false,
      requestParameters: { snapshotId: `snap-${H}`, attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ userId: `9999${H}` }] } } },
    }),
    // An instance-profile session (session name = the instance id) used from a public address with a hostile agent.
    ...[0, 1].map((i) =>
      event({
        eventID: `evt-instance-${i}`,
        eventTime: `2024-02-17T10:1${i}:00Z`,
        userIdentity: {
          type: 'AssumedRole',
          principalId: `AROAHOSTILE:${INSTANCE}`,
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app${H}/${INSTANCE}`,
          accountId: ACCOUNT,
          accessKeyId: 'ASIAEXAMPLEHOSTILE1',
          sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/app${H}`, userName: `app${H}` }, ec2RoleDelivery: '2.0' },
        },
        eventName: 'GetCallerIdentity',
        eventSource: 'sts.amazonaws.com',
        sourceIPAddress: i === 0 ? '10.0.0.5' : '203.0.113.99',
        userAgent: i === 0 ? 'aws-sdk-java/1.12.0 Linux' : H,
      }),
    ),
  ]);
  // A file whose name holds the sequences, that ingest cannot read: it is named in ingest's messages and --json.
  fs.writeFileSync(path.join(evidence, `notes-${NAME_H}.json`), 'not json {');

  // A signed digest chain whose trail name (in every digest file name, so in chain ids and URIs) holds them, and
  // whose digest lists a log file with a hostile key that is not in the evidence.
  hostileTrail = `trail${NAME_H}`;
  const c = buildChain({
    count: 2,
    trail: hostileTrail,
    mutate: (i, d) => {
      if (i === 1) (d.logFiles as Array<Record<string, unknown>>).push({ s3Bucket: 'trail-bucket', s3Object: `AWSLogs/123456789012/CloudTrail/us-east-1/2015/08/17/gone${NAME_H}.json.gz`, hashValue: '00'.repeat(32), hashAlgorithm: 'SHA-256', newestEventTime: null, oldestEventTime: null });
    },
  });
  const s = scenario('ctl', [c], { metaFor: [c.digests[1]] });
  chainRoot = s.evidence;
  keys = s.publicKeys[0];
  metadata = s.digestMetadata[0];

  db = path.join(dir, 'case.db');
  ingest = await runCliInProcess(['ingest', evidence, chainRoot, '--db', db, '--json']);
  // Today's ingest refuses the far time (a problem, the event kept without a time); an older case holds it:
  setStoredEventTime(db, 'evt-far', Date.parse(FAR));
});

describe('no raw control character reaches the terminal', () => {
  it('ingest --json: exit 4 (the unreadable file), safe, and the file name parses back exactly', async () => {
    clean(ingest, 'ingest --json');
    expect(ingest.code).toBe(4);
    const j = JSON.parse(ingest.stdout);
    expect(j.problems.map((p: { file: string }) => p.file)).toContain(`notes-${NAME_H}.json`);
    expect(ingest.stdout).toContain('\\u009b');
    expect(ingest.stdout).toContain('\\u202e');
    // ingest's text messages (stderr) escape the name too
    const again = await runCliInProcess(['ingest', evidence, '--db', path.join(dir, 'case2.db')]);
    clean(again, 'ingest');
    expect(again.stderr).toContain('notes-\\e[2J\\x9b31m\\u202e\\u2066\\e]0;pwned\\x07.json');
  });

  it('info: text shows the escapes; --json keeps the exact strings', async () => {
    const text = await cli('info', ['info', '--db', db]);
    expect(text.stdout).toContain(`${ACCOUNT}${H_SHOWN}`);
    expect(text.stdout).toContain(`us-east-1${H_SHOWN}`);
    expect(text.stdout).toContain(`Management${H_SHOWN}`);
    expect(text.stdout).toContain(`.. ${FAR}`);
    const json = await cli('info --json', ['info', '--db', db, '--json']);
    const j = JSON.parse(json.stdout);
    expect(j.accounts).toContain(`${ACCOUNT}${H}`);
    expect(j.regions).toContain(`us-east-1${H}`);
    expect(Object.keys(j.categories)).toContain(`Management${H}`);
    expect(j.timeRange.end).toBe(FAR);
  });

  it.each(['table', 'json', 'jsonl', 'csv', 'md'])('search --format %s', async (format) => {
    const r = await cli(`search --format ${format}`, ['search', '--db', db, '--format', format, '--fields', 'eventID,eventTime,userAgent,errorMessage,awsRegion,recipientAccountId,eventCategory', '--limit', '0']);
    if (format === 'json') {
      const events = JSON.parse(r.stdout).events as Array<Record<string, string>>;
      const e = events.find((x) => x.eventID === 'evt-hostile')!;
      expect([e.userAgent, e.errorMessage, e.awsRegion, e.recipientAccountId, e.eventCategory]).toEqual([H, H, `us-east-1${H}`, `${ACCOUNT}${H}`, `Management${H}`]);
      expect(events.find((x) => x.eventID === 'evt-far')!.eventTime).toBe(FAR);
    } else if (format === 'jsonl') {
      const e = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)).find((x) => x.eventID === 'evt-hostile');
      expect(e.userAgent).toBe(H);
    } else {
      expect(r.stdout).toContain(format === 'md' ? H_MD : H_SHOWN);
    }
  });

  it('search in other zones with an event at the end of the Date range (was: fatal: Invalid time value)', async () => {
    const seoul = await cli('search --tz Asia/Seoul', ['search', '--db', db, '--tz', 'Asia/Seoul']);
    expect(seoul.stdout).toContain(FAR);
    expect(seoul.stdout).toContain('2024-02-17T19:00:00+09:00');
    const plus14 = await cli('search --tz +14:00 --format csv', ['search', '--db', db, '--tz', '+14:00', '--format', 'csv']);
    expect(plus14.stdout).toContain(FAR);
  });

  it('show <id>: text and --format json', async () => {
    const text = await cli('show', ['show', 'evt-hostile', '--db', db]);
    expect(text.stdout).toContain('"userAgent": "x\\u001b]0;pwned\\u0007\\u001b[2J');
    expect(text.stdout).toContain('\\u009b31m\\u202e\\u2066y"');
    const json = await cli('show --format json', ['show', 'evt-hostile', '--db', db, '--format', 'json']);
    const j = JSON.parse(json.stdout);
    expect(j.event.requestParameters).toEqual({ k: H, [`key${H}`]: [H] });
    expect(JSON.parse(j.original).userAgent).toBe(H);
    (await cli('show (far)', ['show', 'evt-far', '--db', db]));
  });

  it.each(['json', 'text', 'table'])('lookup-events --output %s', async (output) => {
    const r = await cli(`lookup-events --output ${output}`, ['lookup-events', '--db', db, '--output', output, '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${KEY}`]);
    if (output === 'json') {
      const events = JSON.parse(r.stdout).Events as Array<{ EventId: string; CloudTrailEvent: string }>;
      const e = JSON.parse(events.find((x) => x.EventId === 'evt-hostile')!.CloudTrailEvent);
      expect(e.userAgent).toBe(H);
      expect(e.requestParameters.k).toBe(H);
    } else {
      expect(r.stdout).toContain('pwned');
    }
    // in other zones too
    (await cli(`lookup-events --output ${output} --tz +14:00`, ['lookup-events', '--db', db, '--output', output, '--tz', '+14:00']));
  });

  it.each(['table', 'md', 'json'])('investigate access-key and iam --format %s (also --tz +14:00)', async (format) => {
    const key = await cli(`investigate access-key --format ${format}`, ['investigate', 'access-key', KEY, '--db', db, '--format', format, '--all-events']);
    const far = await cli(`investigate access-key --tz +14:00 --format ${format}`, ['investigate', 'access-key', KEY, '--db', db, '--format', format, '--tz', '+14:00', '--all-events']);
    const iam = await cli(`investigate iam --format ${format}`, ['investigate', 'iam', '--db', db, '--format', format]);
    if (format === 'json') {
      expect(JSON.stringify(JSON.parse(key.stdout))).toContain(JSON.stringify(H).slice(1, -1));
      expect(JSON.stringify(JSON.parse(iam.stdout))).toContain(JSON.stringify(`bob${H}`));
    } else {
      expect(key.stdout).toContain(format === 'md' ? H_MD : H_SHOWN);
      expect(iam.stdout).toContain(format === 'md' ? '\\\\e\\]0;pwned' : '\\e]0;pwned');
    }
    expect(far.stdout).toContain(FAR);
  });

  it.each(['table', 'md', 'json'])('the decisive parameters of a sensitive row and an instance\'s role sessions --format %s', async (format) => {
    const key = await cli(`investigate access-key --format ${format}`, ['investigate', 'access-key', KEY, '--db', db, '--format', format]);
    const inst = await cli(`investigate instance --format ${format}`, ['investigate', 'instance', INSTANCE, '--db', db, '--format', format]);
    if (format === 'json') {
      const rows = (JSON.parse(key.stdout) as { sensitiveActions: Array<{ events: Array<{ eventId: string; detail: string }> }> }).sensitiveActions.flatMap((g) => g.events);
      expect(rows.find((e) => e.eventId === 'evt-share')?.detail).toContain(`9999${H}`);
      const sessions = (JSON.parse(inst.stdout) as { roleSessions: { usedElsewhere: Array<{ sourceIPAddress: string }> } }).roleSessions;
      expect(sessions.usedElsewhere.map((u) => u.sourceIPAddress)).toContain('203.0.113.99');
      expect(JSON.stringify(JSON.parse(inst.stdout))).toContain(JSON.stringify(`app${H}`).slice(1, -1));
    } else {
      expect(key.stdout).toContain(`9999${format === 'md' ? H_MD : H_SHOWN}`);
      expect(inst.stdout).toContain('203.0.113.99');
      expect(inst.stdout).toContain(format === 'md' ? H_MD : H_SHOWN);
    }
  });

  it.each([[[]], [['--json']], [['--aws-cli-format']], [['--aws-cli-format', '--verbose']]])('verify <evidence> --db %j', async (extra) => {
    const r = await cli(`verify ${extra.join(' ')}`, ['verify', chainRoot, '--db', db, '--public-keys', keys, '--digest-metadata', metadata, ...extra], [3]);
    const out = r.stdout + r.stderr;
    if (extra[0] === '--json') {
      const j = JSON.parse(r.stdout);
      expect(j.chains.map((c: { trailName: string }) => c.trailName)).toEqual([hostileTrail]);
      expect(j.logs.some((l: { key: string; status: string }) => l.key.includes(`gone${NAME_H}`) && l.status === 'missing')).toBe(true);
    } else {
      expect(out).toContain('trail\\e[2J\\x9b31m\\u202e\\u2066\\e]0;pwned\\x07');
      expect(out).toContain('gone\\e[2J\\x9b31m\\u202e\\u2066\\e]0;pwned\\x07.json.gz');
    }
  });
});
