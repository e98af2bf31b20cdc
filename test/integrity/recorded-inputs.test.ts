// `verify --db` with the key lists and digest metadata that ingest recorded from the evidence (issue 12 item 9):
// used when no --public-keys / --digest-metadata is given, refused (with a warning naming the file) when their
// bytes changed since ingest, turned off by --no-recorded-inputs; explicit options win kind by kind.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyCase } from '../helpers/cases.js';
import { sampleDir } from '../helpers/paths.js';
import { buildChain, scenario } from './vectors.js';

const NOTE = 'trailhound: using the inputs recorded at ingest (--no-recorded-inputs: do not): ';
const c = buildChain({ count: 4 });
const head = c.digests[3];

/** A clean chain whose key list and digest metadata sit inside the evidence folder, ingested into a case. */
function ingestedCase(tag: string): { db: string; evidence: string; keyFile: string; metaFile: string; dir: string } {
  const s = scenario(tag, [c], { metaFor: [head], keyFileName: path.join('evidence', 'keys-us-east-1.json') });
  const metaFile = path.join(s.evidence, 'digest-metadata.json');
  fs.renameSync(s.digestMetadata[0], metaFile);
  const db = path.join(s.dir, 'case.db');
  const r = runCli(['ingest', s.evidence, '--db', db, '--json']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).files.byKind).toMatchObject({ 'public-keys': 1, 'digest-metadata': 1 });
  return { db, evidence: s.evidence, keyFile: s.publicKeys[0], metaFile, dir: s.dir };
}

const statuses = (stdout: string): string[] => (JSON.parse(stdout) as { digests: Array<{ status: string }> }).digests.map((d) => d.status);

describe('verify --db uses the inputs recorded at ingest', () => {
  it('with no key options: the recorded key list and metadata prove the chain (exit 0) and one line names them', () => {
    const k = ingestedCase('rec-used');
    expect(k.keyFile.startsWith(k.evidence)).toBe(true);
    const r = runCli(['verify', '--db', k.db, '--json']);
    expect(r.stderr).toBe(`${NOTE}public keys ${k.keyFile}; digest metadata ${k.metaFile}\ntrailhound: stored verify run 1 in ${k.db}\n`);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(statuses(r.stdout)).toEqual(Array(4).fill('valid'));
    expect(j.inputs.keyFiles.map((f: { file: string; region: string | null }) => [f.file, f.region])).toEqual([[k.keyFile, 'us-east-1']]);
    expect(j.inputs.metadataFiles).toEqual([k.metaFile]);
  });

  it('--no-recorded-inputs restores the old behaviour: no keys, no signatures, exit 5, no note', () => {
    const k = ingestedCase('rec-off');
    const r = runCli(['verify', '--db', k.db, '--no-recorded-inputs', '--json']);
    expect(r.stderr).toBe(`trailhound: stored verify run 1 in ${k.db}\n`);
    expect(r.code).toBe(5);
    expect(statuses(r.stdout)).toEqual([...Array(3).fill('unverifiable_key_not_found'), 'unverifiable_no_signature']);
    expect(JSON.parse(r.stdout).inputs.keyFiles).toEqual([]);
  });

  it('an explicit --public-keys wins over the recorded lists; the recorded metadata is still used', () => {
    const k = ingestedCase('rec-explicit');
    const own = path.join(k.dir, 'my-keys.json');
    fs.copyFileSync(k.keyFile, own);
    const r = runCli(['verify', '--db', k.db, '--public-keys', `us-east-1=${own}`, '--json']);
    expect(r.stderr).toBe(`${NOTE}digest metadata ${k.metaFile}\ntrailhound: stored verify run 1 in ${k.db}\n`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs.keyFiles.map((f: { file: string }) => f.file)).toEqual([own]);
  });

  it('a key list edited after ingest is refused with a warning naming it (never used silently)', () => {
    const k = ingestedCase('rec-edited');
    const before = fs.readFileSync(k.keyFile);
    // Same keys, other bytes: still refused, since what was ingested is not what is on disk now.
    fs.writeFileSync(k.keyFile, JSON.stringify(JSON.parse(before.toString('utf8'))));
    const r = runCli(['verify', '--db', k.db, '--json']);
    const now = (JSON.parse(r.stdout).warnings as Array<{ file: string; code: string; message: string }>).find((w) => w.code === 'recorded_input_changed');
    expect(now?.file).toBe(k.keyFile);
    expect(now?.message).toMatch(/^public key list recorded at ingest has changed \(SHA-256 now [0-9a-f]{64}, [0-9a-f]{64} at ingest\): not used; give it with --public-keys to use it as it is now$/);
    expect(r.stderr.split('\n')).toEqual([
      `${NOTE}digest metadata ${k.metaFile}`,
      `trailhound: warning: ${k.keyFile}: ${now?.message}`,
      `trailhound: stored verify run 1 in ${k.db}`,
      '',
    ]);
    expect(r.code).toBe(5);
    expect(statuses(r.stdout)).toEqual(Array(4).fill('unverifiable_key_not_found'));
  });

  it('recorded files that are gone are refused by name; with nothing left there is no note', () => {
    const k = ingestedCase('rec-gone');
    const ingested = crypto.createHash('sha256').update(fs.readFileSync(k.metaFile)).digest('hex');
    fs.rmSync(k.keyFile);
    fs.writeFileSync(k.metaFile, '{}');
    const r = runCli(['verify', '--db', k.db]);
    expect(r.stderr).toBe(
      [
        `trailhound: warning: ${k.keyFile}: public key list recorded at ingest is gone or unreadable: not used; give it with --public-keys to use it as it is now`,
        `trailhound: warning: ${k.metaFile}: digest metadata file recorded at ingest has changed (SHA-256 now 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a, ${ingested} at ingest): not used; give it with --digest-metadata to use it as it is now`,
        `trailhound: stored verify run 1 in ${k.db}`,
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(5);
  });

  it('--no-recorded-inputs without --db is a usage error', () => {
    const r = runCli(['verify', '.', '--no-recorded-inputs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailhound: --no-recorded-inputs needs --db \(without a case nothing was recorded\)\n/);
  });
});

describe('the committed sample, ingested, then `verify --db` with no key options', () => {
  it('verifies every signature with the recorded lists (no KEY_NOT_FOUND); exit 5 for the planted gaps only', () => {
    const db = copyCase('sample');
    const e = path.join(sampleDir, 'evidence');
    const r = runCli(['verify', '--db', db, '--json']);
    expect(r.code).toBe(5);
    expect(r.stderr.split('\n')[0]).toBe(
      `${NOTE}public keys ${path.join(e, 'keys/list-public-keys.json')}, ${path.join(e, 'keys/list-public-keys.v1.json')}; digest metadata ${path.join(e, 'digest-metadata.json')}`,
    );
    const j = JSON.parse(r.stdout);
    expect(statuses(r.stdout)).not.toContain('unverifiable_key_not_found');
    expect(j.summary.digests.valid).toBe(j.summary.digests.total);
    expect(j.summary.logs.valid).toBe(j.summary.logs.total);
    expect(j.summary.failures).toBe(0);
    expect(j.chains.flatMap((ch: { findings: Array<{ kind: string }> }) => ch.findings.map((f) => f.kind))).toEqual(['gap', 'gap', 'gap']);
    const info = runCli(['info', '--db', db]);
    expect(info.stdout).toMatch(new RegExp(`^integrity {4}verified \\S+ \\(exit 5\\): log files ${j.summary.logs.total} proven, 0 provisional, 0 unverified$`, 'm'));
  });
});
