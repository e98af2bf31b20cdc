// The integrity sentence of `info` and every trust summary (issue 12 item 9): "no digest files" when nothing can
// be proven, "run: trailhound verify --db" when digests wait for a run, counts after a run; never all zeros for a
// case with events. Plus `info --json`'s integrityStatus on the three kinds of case.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sharedCase } from '../helpers/cases.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';
import { integrityText } from '../../src/report/info.js';
import { shellWord } from '../../src/report/warnings.js';
import type { IntegritySummary } from '../../src/index/trust.js';

const integrityLine = (stdout: string): string | undefined => stdout.split('\n').find((l) => l.startsWith('integrity '));

describe('info on real cases', () => {
  it('evidence without digests: "not verified: no digest files in the evidence", state no_digests', () => {
    const db = path.join(tmpDir(), 'exports.db');
    expect(runCli(['ingest', path.join(sampleDir, 'exports'), '--db', db, '--quiet']).code).toBe(0);
    const j = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(j.events).toBeGreaterThan(0);
    expect(j.integrity).toBeNull();
    expect(j.integrityStatus).toEqual({ state: 'no_digests', digestFiles: 0, logFiles: 0, events: j.events });
    expect(integrityLine(runCli(['info', '--db', db]).stdout)).toBe(`integrity    not verified: no digest files in the evidence; all ${j.events} events are unverified`);
  });

  it('a bucket copy without digests, ingested and verified: still "no digest files", never zero counts', () => {
    const dir = tmpDir();
    // One log file of the account trail (the first of 2025-02-11): its record count is read from the file itself.
    const day = 'AWSLogs/444455556666/CloudTrail/us-east-1/2025/02/11';
    const key = `${day}/${fs.readdirSync(path.join(sampleDir, 'evidence', 'acct-trail-bucket', day)).sort()[0]}`;
    const records = (JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(sampleDir, 'evidence', 'acct-trail-bucket', key))).toString('utf8')) as { Records: unknown[] }).Records.length;
    fs.mkdirSync(path.join(dir, 'bucket', path.dirname(key)), { recursive: true });
    fs.copyFileSync(path.join(sampleDir, 'evidence', 'acct-trail-bucket', key), path.join(dir, 'bucket', key));
    const db = path.join(dir, 'case.db');
    expect(runCli(['ingest', path.join(dir, 'bucket'), '--db', db, '--quiet']).code).toBe(0);
    expect(runCli(['verify', '--db', db]).code).toBe(5);
    const j = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(j.integrity.digests).toEqual({});
    expect(j.integrityStatus).toEqual({ state: 'no_digests', digestFiles: 0, logFiles: 1, events: records });
    const line = integrityLine(runCli(['info', '--db', db]).stdout);
    expect(line).toBe(`integrity    not verified: no digest files in the evidence; all ${j.events} events are unverified`);
  });

  it('digests ingested but never verified: says how to verify, state not_verified', () => {
    const db = sharedCase('sample');
    const j = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(j.integrity).toBeNull();
    expect(j.integrityStatus.state).toBe('not_verified');
    expect(j.integrityStatus.digestFiles).toBeGreaterThan(10);
    expect(integrityLine(runCli(['info', '--db', db]).stdout)).toBe(`integrity    not verified (run: trailhound verify --db ${shellWord(db)})`);
  });

  it('verified: state verified and the log files by label', () => {
    const db = sharedCase('sampleVerified');
    const j = JSON.parse(runCli(['info', '--db', db, '--json']).stdout);
    expect(j.integrityStatus.state).toBe('verified');
    const s = j.integrity.sources;
    expect(s.proven + s.provisional + s.unverified).toBe(j.integrityStatus.logFiles);
    expect(integrityLine(runCli(['info', '--db', db]).stdout)).toBe(
      `integrity    verified ${j.integrity.finishedAt} (exit 5): log files ${s.proven} proven, ${s.provisional} provisional, ${s.unverified} unverified`,
    );
  });
});

describe('integrityText', () => {
  const run: IntegritySummary = {
    runId: 1,
    startedAt: '2024-02-18T00:00:00Z',
    finishedAt: '2024-02-18T00:00:05Z',
    exitCode: 5,
    digests: { valid: 2 },
    logs: {},
    findings: {},
    sources: { proven: 0, provisional: 0, unverified: 0 },
    verifiedFrom: null,
    verifiedTo: null,
  };

  it('a verified case whose events all come from exports never prints zero counts', () => {
    const t = integrityText({ state: 'verified', digestFiles: 0, logFiles: 0, events: 7 }, run, 'c.db');
    expect(t).toBe('verified 2024-02-18T00:00:05Z (exit 5): no CloudTrail log files in the case; its 7 events (from exports) cannot be proven');
    expect(t).not.toMatch(/\b0 proven/);
  });

  it('no digests wins over a stored run that found none; one event is said in the singular', () => {
    expect(integrityText({ state: 'no_digests', digestFiles: 0, logFiles: 3, events: 1 }, { ...run, digests: {} }, 'c.db')).toBe(
      'not verified: no digest files in the evidence; its one event is unverified',
    );
    expect(integrityText({ state: 'no_digests', digestFiles: 0, logFiles: 0, events: 0 }, null, 'c.db')).toBe('not verified: no digest files in the evidence');
  });

  it('quotes the case path in the verify hint', () => {
    expect(integrityText({ state: 'not_verified', digestFiles: 4, logFiles: 8, events: 9 }, null, 'my case.db')).toBe("not verified (run: trailhound verify --db 'my case.db')");
  });
});
