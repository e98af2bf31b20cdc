// A loopback-only stand-in of CloudTrail's LookupEvents API, for running the real aws-cli against a case's events.
// It answers the JSON 1.1 protocol aws-cli speaks (POST /, X-Amz-Target: ...CloudTrail_20131101.LookupEvents,
// body {LookupAttributes, StartTime, EndTime, MaxResults, NextToken}) with {"Events": [...], "NextToken": ...},
// paging MaxResults (default 50) events at a time as AWS does. Filtering is its own, independent of trailhound's.
// It binds 127.0.0.1 on a random port, in a child process; stop() ends it. Signatures are not checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'aws-stand-in-server.mjs');
const MANY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'aws-cli-many.py');

/** An event as AWS's API returns it (aws-cli's Event shape; EventTime as ISO text, sent as epoch seconds). */
export interface StandInEvent {
  EventId: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime: string;
  EventSource?: string;
  Username?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent?: string;
}

export interface StandInRequest {
  target: string | undefined;
  body: Record<string, unknown>;
}

export interface StandIn {
  url: string;
  readonly requests: StandInRequest[];
  stop(): Promise<void>;
}

/**
 * Serve `events` (newest first, as Event history lists them). The server runs in a child process
 * (test/helpers/aws-stand-in-server.mjs): test/setup/no-network.ts traps dns.lookup, which listen() uses, in the test
 * process. stop() ends that child and returns once it has exited.
 */
export async function startStandIn(events: StandInEvent[]): Promise<StandIn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-stand-in-'));
  const eventsFile = path.join(dir, 'events.json');
  const log = path.join(dir, 'requests.ndjson');
  fs.writeFileSync(eventsFile, JSON.stringify(events));
  const child = spawn(process.execPath, [SERVER, eventsFile, log], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}) before listening: ${out}`)));
  });
  const readRequests = (): StandInRequest[] =>
    fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as StandInRequest) : [];
  return {
    url,
    get requests() {
      return readRequests();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const AWS_BIN = '/usr/bin/aws';

/** The environment aws-cli runs in: no config, no credentials lookup, no pager, no retries, UTF-8, UTC. */
function awsEnv(): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/bin:/bin',
    HOME: process.env.HOME,
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    NO_PROXY: '127.0.0.1',
  };
}

export interface AwsResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `aws cloudtrail lookup-events` against the stand-in, with `args` after it. */
const lookupArgv = (url: string, args: string[]): string[] => ['cloudtrail', 'lookup-events', '--endpoint-url', url, '--region', 'us-east-1', ...args];

/** Run the real aws-cli (asynchronously: the stand-in answers from this process) against the stand-in. */
export function runAws(url: string, args: string[]): Promise<AwsResult> {
  return new Promise((resolve) => {
    execFile(AWS_BIN, lookupArgv(url, args), { env: awsEnv(), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Run many aws-cli commands against the stand-in in one Python process (test/helpers/aws-cli-many.py): the entry
 * point /usr/bin/aws calls, a fresh driver per command, each with its own stdout and stderr. aws-cli's start-up
 * (about 0.6 s of CPU) is paid once instead of once per command. The interpreter is the one /usr/bin/aws names.
 */
export function runAwsMany(url: string, argsList: string[][]): Promise<AwsResult[]> {
  const python = /^#!(\S+)/.exec(fs.readFileSync(AWS_BIN, 'utf8'))?.[1] ?? '/usr/bin/python3';
  return new Promise((resolve, reject) => {
    const child = execFile(python, [MANY], { env: awsEnv(), maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`aws-cli-many.py failed (${String(err.code ?? err.signal)}): ${stderr}`));
      const results = JSON.parse(stdout) as AwsResult[];
      if (results.length !== argsList.length) return reject(new Error(`aws-cli-many.py answered ${results.length} of ${argsList.length} commands`));
      resolve(results);
    });
    child.stdin?.end(JSON.stringify(argsList.map((a) => lookupArgv(url, a))));
  });
}
