// `trailhound verify` through the real CLI (bin → dist): line format, exit codes, --json, --aws-cli-format,
// --db, usage errors, and the committed sample (fixtures/sample) verified clean apart from its planted gap.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { sampleDir } from '../helpers/paths.js';
import { buildChain, scenario } from './vectors.js';

const c = buildChain({ count: 4 });
const head = c.digests[3];
const uri = (k: string) => `s3://trail-bucket/${k}`;

describe('trailhound verify (CLI)', () => {
  it('exit 0 and a PROVEN summary on a clean copy', () => {
    const s = scenario('cli-ok', [c], { metaFor: [head] });
    const r = runCli(['verify', s.evidence, '--public-keys', s.publicKeys[0], '--digest-metadata', s.digestMetadata[0]]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Summary: PROVEN: every digest and log file in range verified; no gaps');
    expect(r.stdout).toContain('  Digest files: 4: 4 valid\n  Log files: 8: 8 valid\n');
  });

  it('one greppable line per problem, exit 3', () => {
    const mod = c.digests[1].logs[0];
    const s = scenario('cli-bad', [c], {
      metaFor: [head],
      mutate: (ev) => {
        ev.files.set(`trail-bucket/${mod}`, zlib.gzipSync('{"Records":[]}'));
        ev.files.delete(`trail-bucket/${c.digests[2].key}`);
      },
    });
    const r = runCli(['verify', s.evidence, '--public-keys', s.publicKeys[0], '--digest-metadata', s.digestMetadata[0]]);
    expect(r.code).toBe(3);
    const problems = r.stdout.split('\n\n')[0].split('\n');
    expect(problems.map((l) => l.split('\t').slice(0, 2).concat(l.split('\t')[2].split(':')[0]))).toEqual([
      ['Digest file', uri(c.digests[1].key), 'UNVERIFIABLE_NO_SIGNATURE'],
      ['Digest file', uri(c.digests[2].key), 'MISSING'],
      ['Log file', uri(mod), 'HASH_MISMATCH_UNAUTHENTICATED'],
      ['Log file', uri(c.digests[2].logs[0]), 'NOT_COVERED'],
      ['Log file', uri(c.digests[2].logs[1]), 'NOT_COVERED'],
      ['Chain', '123456789012/us-east-1/main-trail@us-east-1', 'MISSING_LINK'],
    ]);
    expect(r.stdout).toMatch(/^Summary: INTEGRITY FAILURE: /m);
  });

  it('--json follows the documented contract; exit 5 without keys (never invalid)', () => {
    const s = scenario('cli-json', [c], { metaFor: [head] });
    const r = runCli(['verify', s.evidence, '--json']);
    expect(r.code).toBe(5);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['tool', 'generatedAt', 'inputs', 'trustNotice', 'digests', 'logs', 'chains', 'otherFiles', 'warnings', 'summary']);
    expect(j.generatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(j.digests.map((d: { status: string }) => d.status)).toEqual([...Array(3).fill('unverifiable_key_not_found'), 'unverifiable_no_signature']);
    expect(j.logs.every((l: { status: string; trust: string }) => l.status === 'valid_unauthenticated' && l.trust === 'provisional')).toBe(true);
    expect(j.summary.exitCode).toBe(5);
    expect(j.summary.failures).toBe(0);
  });

  it('--aws-cli-format prints aws-cli lines for the statuses it has', () => {
    const mod = c.digests[0].logs[1];
    const s = scenario('cli-aws', [c], {
      metaFor: [head],
      mutate: (ev) => {
        ev.files.set(`trail-bucket/${mod}`, zlib.gzipSync('{"Records":[]}'));
        ev.files.delete(`trail-bucket/${c.digests[0].logs[0]}`);
      },
    });
    const r = runCli(['verify', s.evidence, '--public-keys', s.publicKeys[0], '--digest-metadata', s.digestMetadata[0], '--aws-cli-format', '--start-time', '2015-08-17T13:00:00Z', '--end-time', '2015-08-17T18:00:00Z']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`Log file\t${uri(c.digests[0].logs[0])}\tINVALID: not found\n\nLog file\t${uri(mod)}\tINVALID: hash value doesn't match\n\n`);
    expect(r.stdout).toBe(
      [
        'Validating log files for trail arn:aws:cloudtrail:us-east-1:123456789012:trail/main-trail between 2015-08-17T13:00:00Z and 2015-08-17T18:00:00Z',
        '',
        'Results requested for 2015-08-17T13:00:00Z to 2015-08-17T18:00:00Z',
        'Results found for 2015-08-17T13:01:31Z to 2015-08-17T17:01:31Z:',
        '',
        '4/4 digest files valid',
        '',
        '6/8 log files valid, 2/8 log files INVALID',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--aws-cli-format without keys or metadata: nothing is INVALID, exit 5', () => {
    const s = scenario('cli-aws-nokeys', [c]);
    const r = runCli(['verify', s.evidence, '--aws-cli-format']);
    expect(r.code).toBe(5);
    expect(r.stderr).not.toContain('INVALID');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('Digest file')).map((l) => l.split('\t')[2].split(':')[0])).toEqual([
      'UNVERIFIABLE_KEY_NOT_FOUND',
      'UNVERIFIABLE_KEY_NOT_FOUND',
      'UNVERIFIABLE_KEY_NOT_FOUND',
      'UNVERIFIABLE_NO_SIGNATURE',
    ]);
    expect(r.stdout).toContain('No valid digests found in range\n\n0/4 digest files valid\n\n0/8 log files valid\n');
  });

  it('--db stores the run; usage errors exit 2', () => {
    const s = scenario('cli-db', [c], { metaFor: [head] });
    const db = path.join(s.dir, 'case.db');
    expect(runCli(['ingest', s.evidence, '--db', db, '-q']).code).toBe(0);
    const r = runCli(['verify', '--db', db, '--public-keys', s.publicKeys[0], '--digest-metadata', s.digestMetadata[0]]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`trailhound: stored verify run 1 in ${db}\n`);
    expect(r.stdout).toContain('reused 8 hash(es) recorded at ingest');
    expect(runCli(['verify']).stderr).toMatch(/^trailhound: name at least one evidence folder/);
    expect(runCli(['verify']).code).toBe(2);
    expect(runCli(['verify', s.evidence, '--rehash']).code).toBe(2);
    expect(runCli(['verify', s.evidence, '--json', '--aws-cli-format']).stderr).toMatch(/--json and --aws-cli-format cannot be combined/);
    expect(runCli(['verify', s.evidence, '--expected-end', 'yesterday-ish']).stderr).toMatch(/^trailhound: --expected-end: cannot read time "yesterday-ish"/);
    expect(runCli(['verify', s.evidence, '--db', path.join(s.dir, 'nope.db')]).code).toBe(2);
  });
});

describe('the committed sample', () => {
  it('verifies with zero false findings: only the planted stop/restart gaps', () => {
    const e = path.join(sampleDir, 'evidence');
    const truth = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
    const r = runCli(['verify', path.join(e, 'org-trail-bucket'), path.join(e, 'acct-trail-bucket'), '--public-keys', `us-east-1=${path.join(e, 'keys/list-public-keys.json')}`, '--digest-metadata', path.join(e, 'digest-metadata.json'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(5);
    const j = JSON.parse(r.stdout);
    expect(j.summary.failures).toBe(0);
    expect(j.summary.digests.valid).toBe(j.summary.digests.total);
    expect(j.summary.logs.valid).toBe(j.summary.logs.total);
    expect(j.summary.logs.total).toBe(truth.counts.logFiles);
    const findings = j.chains.flatMap((ch: { findings: Array<{ kind: string; start: string; end: string }> }) => ch.findings);
    expect(findings.map((f: { kind: string }) => f.kind)).toEqual(['gap', 'gap', 'gap']);
    for (const f of findings) {
      expect(f.start >= truth.chainGap.after).toBe(true);
      expect(f.end >= truth.chainGap.before).toBe(true);
    }
  });
});
