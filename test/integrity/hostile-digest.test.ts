// A hostile digest is a finding, never the end of verification: names without seconds, invalid fields, key lists
// with times beyond the Date range. Every Date formatting path in integrity is total (model/time.ts isoUtc).

import { describe, expect, it } from 'vitest';
import { verify } from '../../src/integrity/verifier.js';
import { renderAwsCli, renderText } from '../../src/integrity/report.js';
import { renderJson } from '../../src/report/json.js';
import type { VerifyReport } from '../../src/model/integrity.js';
import { runCli } from '../helpers/cli.js';
import { KEY1, buildChain, scenario } from './vectors.js';
import type { BuiltChain } from './vectors.js';

type S = ReturnType<typeof scenario>;
const run = (s: S): Promise<VerifyReport> => verify({ evidence: [s.evidence], publicKeys: s.publicKeys, digestMetadata: s.digestMetadata, workers: 0 });
const noSeconds = (k: string): string => k.replace(/(T\d{4})\d{2}Z/, '$1Z');
const dig = (r: VerifyReport, key: string) => {
  const d = r.digests.find((x) => x.key === key);
  if (!d) throw new Error(`no digest result for ${key}`);
  return d;
};

/** Digest `idx` renamed to a file name without seconds (`…T1501Z`), with an invalid previousDigestSignature. */
function hostile(tag: string, idx: number, signature: unknown): { c: BuiltChain; s: S; badKey: string } {
  const c = buildChain({
    count: 3,
    mutate: (i, d) => {
      if (i !== idx) return;
      d.digestS3Object = noSeconds(d.digestS3Object as string);
      d.previousDigestSignature = signature;
    },
  });
  const bad = c.digests[idx];
  const s = scenario(tag, [c], {
    metaFor: [c.digests[2]],
    mutate: (ev) => {
      const from = `${c.bucket}/${bad.key}`;
      const bytes = ev.files.get(from)!;
      ev.files.delete(from);
      ev.files.set(`${c.bucket}/${noSeconds(bad.key)}`, bytes);
    },
  });
  return { c, s, badKey: noSeconds(bad.key) };
}

describe('a digest named without seconds, with an invalid previousDigestSignature', () => {
  it.each([
    ['the middle digest', 1],
    ['the newest digest', 2],
    ['the oldest digest', 0],
  ])('%s: reported as invalid_format + name_mismatch, the rest verified', async (_n, idx) => {
    const { c, s, badKey } = hostile(`nosec${idx}`, idx, 12345);
    const r = await run(s);
    const d = dig(r, badKey);
    expect(d.status).toBe('invalid_format');
    expect(d.reason).toBe('invalid format: field previousDigestSignature is not a string or null');
    expect(d.flags).toContain('name_mismatch');
    expect(d.flagReasons.name_mismatch).toMatch(/does not follow <account>_CloudTrail-Digest_/);
    expect(d.endTime).toBeNull();
    // verification of everything else went on
    for (let i = 0; i < 3; i++) if (i !== idx) expect(dig(r, c.digests[i].key).status).not.toBe('invalid_format');
    if (idx !== 2) expect(dig(r, c.digests[2].key).status).toBe('valid');
    expect(r.summary.exitCode).toBe(3);
    // and every renderer copes
    expect(renderText(r)).toContain(`Digest file\ts3://trail-bucket/${badKey}\tINVALID_FORMAT: invalid format: field previousDigestSignature is not a string or null`);
    expect(renderAwsCli(r).stderr).toContain(`Digest file\ts3://trail-bucket/${badKey}\tINVALID: invalid format`);
    expect(JSON.parse(renderJson(r)).summary.exitCode).toBe(3);
  });

  it('a signature that is not hex is invalid_signature of the digest it signs, never fatal', async () => {
    const { c, s, badKey } = hostile('nosec-str', 1, 'not-hex!!');
    const r = await run(s);
    expect(dig(r, c.digests[0].key).status).toBe('invalid_signature');
    expect(dig(r, c.digests[0].key).reason).toMatch(/the signature hex has an odd length|the signature is not hex/);
    expect(dig(r, badKey).flags).toContain('name_mismatch');
    expect(r.summary.exitCode).toBe(3);
  });

  it('through the CLI: text, --json and --aws-cli-format exit 3 (was: fatal: Invalid time value)', () => {
    const { s, badKey } = hostile('nosec-cli', 1, 12345);
    const args = ['verify', s.evidence, '--public-keys', s.publicKeys[0], '--digest-metadata', s.digestMetadata[0]];
    const text = runCli(args);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(`Digest file\ts3://trail-bucket/${badKey}\tINVALID_FORMAT:`);
    const json = runCli([...args, '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).digests.find((d: { key: string }) => d.key === badKey).status).toBe('invalid_format');
    const aws = runCli([...args, '--aws-cli-format']);
    expect(aws.code).toBe(3);
    expect(aws.stderr).toContain(`Digest file\ts3://trail-bucket/${badKey}\tINVALID: invalid format`);
  });
});

describe('key lists with times beyond the Date range', () => {
  it('key validity of 1e13 seconds: key_outside_validity with invalid-time(...), not a crash', async () => {
    const c = buildChain({ count: 2 });
    const s = scenario('farkey', [c], { metaFor: [c.digests[1]], keys: [{ priv: KEY1, start: 1e13, end: 2e13 }] });
    const r = await run(s);
    const d = dig(r, c.digests[1].key);
    expect(d.status).toBe('valid');
    expect(d.flagReasons.key_outside_validity).toContain('invalid-time(10000000000000000)');
    expect(r.inputs.keyFiles[0].keys[0].validityStart).toBe('invalid-time(10000000000000000)');
    expect(renderText(r)).toContain('KEY_OUTSIDE_VALIDITY: 2015-08-17T15:01:31Z is outside key');
  });
});
