// The edge cases of spec §7.5, one test (or more) each, on deterministic chains signed with the TEST-ONLY keys.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verify } from '../../src/integrity/verifier.js';
import { signingString as srcSigning } from '../../src/integrity/signature.js';
import type { VerifyOptions } from '../../src/integrity/verifier.js';
import type { VerifyReport } from '../../src/model/integrity.js';
import { KEY1, KEY2, T0, buildChain, fingerprint, keyList, scenario, serialize, sha256, signingString } from './vectors.js';
import type { BuiltChain } from './vectors.js';

const DAY = 86400;
const key1 = { priv: KEY1, start: T0 / 1000 - DAY, end: T0 / 1000 + 29 * DAY };
const key2 = { priv: KEY2, start: T0 / 1000 + 2 * 3600 - DAY, end: T0 / 1000 + 30 * DAY };

type S = ReturnType<typeof scenario>;
async function run(s: S, extra: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  return verify({ evidence: [s.evidence], publicKeys: s.publicKeys, digestMetadata: s.digestMetadata, workers: 0, ...extra });
}
const dig = (r: VerifyReport, key: string) => {
  const d = r.digests.find((x) => x.key === key);
  if (!d) throw new Error(`no digest result for ${key}`);
  return d;
};
const log = (r: VerifyReport, key: string) => r.logs.filter((x) => x.key === key);
const head = (c: BuiltChain) => c.digests[c.digests.length - 1];
const rel = (c: BuiltChain, key: string) => `${c.bucket}/${key}`;
const statuses = (r: VerifyReport) => r.digests.map((d) => d.status);

describe('chain shape (§7.5 1–4)', () => {
  it('1. a happy chain of 6 digests across a key rotation, with an empty digest, is fully proven', async () => {
    const c = buildChain({ count: 6, empty: [2], keyFor: (i) => (i < 3 ? KEY1 : KEY2) });
    const s = scenario('happy', [c], { keys: [key1, key2], metaFor: [head(c)] });
    const r = await run(s);
    expect(statuses(r)).toEqual(Array(6).fill('valid'));
    expect(new Set(r.digests.map((d) => d.fingerprint))).toEqual(new Set([fingerprint(KEY1), fingerprint(KEY2)]));
    expect(r.digests.map((d) => d.sigSource)).toEqual(['successor', 'successor', 'successor', 'successor', 'successor', 's3_metadata']);
    expect(r.digests.find((d) => d.logFileCount === 0)).toBeDefined();
    expect(r.logs).toHaveLength(10);
    expect(r.logs.every((l) => l.status === 'valid' && l.trust === 'proven')).toBe(true);
    expect(r.chains).toHaveLength(1);
    expect(r.chains[0].findings).toEqual([]);
    expect(r.chains[0].coverage).toEqual([{ state: 'verified', start: '2015-08-17T13:01:31Z', end: '2015-08-17T19:01:31Z', digests: c.digests.map((d) => d.key) }]);
    expect(r.summary.exitCode).toBe(0);
    expect(r.summary.failures + r.summary.assuranceGaps).toBe(0);
  });

  it('2. a starting digest has null previous fields and its signing string ends in "null"', async () => {
    const c = buildChain({ count: 2 });
    expect(c.digests[0].signing.endsWith('\nnull')).toBe(true);
    expect(c.digests[1].signing.endsWith(`\n${c.digests[0].signature}`)).toBe(true);
    const r = await run(scenario('start', [c], { metaFor: [head(c)] }));
    expect(dig(r, c.digests[0].key).flags).toContain('chain_start');
    expect(dig(r, c.digests[0].key).status).toBe('valid');
  });

  it('3. stop and restart: a gap, not a failure', async () => {
    const c = buildChain({ count: 5, restarts: [3] });
    const r = await run(scenario('gap', [c], { metaFor: [c.digests[2], head(c)] }));
    expect(statuses(r)).toEqual(Array(5).fill('valid'));
    const f = r.chains[0].findings;
    expect(f.map((x) => x.kind)).toEqual(['gap']);
    expect(f[0].start).toBe('2015-08-17T16:01:31Z');
    expect(f[0].end).toBe('2015-08-17T19:01:31Z');
    expect(r.chains[0].coverage.map((x) => x.state)).toEqual(['verified', 'gap', 'verified']);
    expect(r.summary.failures).toBe(0);
    expect(r.summary.exitCode).toBe(5);
  });

  it('3b. the last digest before a restart without metadata is head_unverified', async () => {
    const c = buildChain({ count: 5, restarts: [3] });
    const r = await run(scenario('gap2', [c], { metaFor: [head(c)] }));
    expect(dig(r, c.digests[2].key).status).toBe('unverifiable_no_signature');
    expect(r.chains[0].findings.map((x) => x.kind).sort()).toEqual(['gap', 'head_unverified']);
    expect(log(r, c.digests[2].logs[0])[0].status).toBe('valid_unauthenticated');
    expect(log(r, c.digests[2].logs[0])[0].trust).toBe('provisional');
  });

  it('4. a window-continuity break inside a linked pair is window_irregular only', async () => {
    const c = buildChain({
      count: 4,
      mutate: (i, d) => {
        if (i === 2) d.digestStartTime = '2015-08-17T15:02:00Z';
      },
    });
    const r = await run(scenario('window', [c], { metaFor: [head(c)] }));
    expect(statuses(r)).toEqual(Array(4).fill('valid'));
    expect(dig(r, c.digests[2].key).flags).toContain('window_irregular');
    expect(r.summary.exitCode).toBe(0);
  });
});

describe('log files (§7.5 5–11)', () => {
  const c = buildChain({ count: 3 });
  const target = c.digests[1].logs[0];
  const content = c.logs.get(target) as Buffer;
  const withLog = (tag: string, bytes: Buffer | null) =>
    scenario(tag, [c], {
      metaFor: [head(c)],
      mutate: (ev) => {
        if (bytes === null) ev.files.delete(rel(c, target));
        else ev.files.set(rel(c, target), bytes);
      },
    });

  it('5. content modified and re-gzipped: hash_mismatch', async () => {
    const changed = Buffer.from(content.toString().replace('DescribeInstances', 'DescribeInstancez'));
    const r = await run(withLog('mod', zlib.gzipSync(changed)));
    const l = log(r, target)[0];
    expect(l.status).toBe('hash_mismatch');
    expect(l.trust).toBe('unverified');
    expect(l.contentSha256).toBe(sha256(changed));
    expect(r.summary.exitCode).toBe(3);
  });

  it('6. same content at another gzip level, mtime and OS byte: valid', async () => {
    const gz = zlib.gzipSync(content, { level: 1 });
    gz.writeUInt32LE(123456, 4); // mtime
    gz[9] = 0; // OS byte
    const r = await run(withLog('regz', gz));
    expect(log(r, target)[0].status).toBe('valid');
    expect(r.summary.exitCode).toBe(0);
  });

  it.each([
    ['second member', zlib.gzipSync(Buffer.from('{"Records":[{"eventName":"Fake"}]}')), 'a second gzip member'],
    ['NUL padding', Buffer.alloc(512), 'zero padding'],
    ['garbage', Buffer.from('garbage!'), 'non-gzip bytes'],
  ])('7. %s after the first member: trailing_data although the first member matches', async (_n, extra, what) => {
    const r = await run(withLog('trail', Buffer.concat([zlib.gzipSync(content), extra])));
    const l = log(r, target)[0];
    expect(l.status).toBe('trailing_data');
    expect(l.contentSha256).toBe(sha256(content));
    expect(l.reason).toContain(what);
    expect(r.summary.exitCode).toBe(3);
  });

  it.each([
    ['truncated', (g: Buffer) => g.subarray(0, g.length - 20)],
    ['CRC mismatch', (g: Buffer) => Buffer.concat([g.subarray(0, g.length - 8), Buffer.from([1, 2, 3, 4]), g.subarray(g.length - 4)])],
    ['ISIZE mismatch', (g: Buffer) => Buffer.concat([g.subarray(0, g.length - 4), Buffer.from([9, 9, 0, 0])])],
  ])('8. %s gzip: invalid_format', async (_n, f) => {
    const r = await run(withLog('bad', f(zlib.gzipSync(content))));
    expect(log(r, target)[0].status).toBe('invalid_format');
    expect(r.summary.exitCode).toBe(3);
  });

  it('9. deleted: missing', async () => {
    const r = await run(withLog('del', null));
    const l = log(r, target)[0];
    expect(l.status).toBe('missing');
    expect(l.file).toBeNull();
    expect(l.coveredBy[0].digestKey).toBe(c.digests[1].key);
    expect(r.summary.exitCode).toBe(3);
  });

  it('10. an extra log file that no digest lists: not_covered', async () => {
    const extra = target.replace(/_[A-Za-z]{16}\.json\.gz$/, '_INJECTEDINJECTED.json.gz');
    expect(extra).not.toBe(target);
    const s = scenario('inject', [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, extra), zlib.gzipSync(content)) });
    const r = await run(s);
    const l = log(r, extra)[0];
    expect(l.status).toBe('not_covered');
    expect(l.trust).toBe('unverified');
    expect(l.bucket).toBe('trail-bucket');
    expect(r.summary.failures).toBe(0);
    expect(r.summary.exitCode).toBe(5);
  });

  it('11. a .json.gz stored decompressed: hash matches, flagged stored_decompressed', async () => {
    const r = await run(withLog('plain', content));
    const l = log(r, target)[0];
    expect(l.status).toBe('valid');
    expect(l.flags).toContain('stored_decompressed');
  });

  it('36. CRLF-converted JSON: the hash fails and the reason points at line endings', async () => {
    const crlf = Buffer.from(JSON.stringify(JSON.parse(content.toString()), null, 1).replace(/\n/g, '\r\n'));
    const r = await run(withLog('crlf', zlib.gzipSync(crlf)));
    const l = log(r, target)[0];
    expect(l.status).toBe('hash_mismatch');
    expect(l.flags).toContain('line_endings');
    expect(l.reason).toMatch(/line-ending conversion/);
  });
});

describe('digest content and location (§7.5 12–15)', () => {
  const c = buildChain({ count: 4 });
  const d1 = c.digests[1];

  it('12. one byte of digest JSON changed: invalid_signature, and the successor link_mismatch', async () => {
    const changed = Buffer.from(d1.json.toString().replace(/"hashValue":"(.)/, (_m, ch) => `"hashValue":"${ch === 'a' ? 'b' : 'a'}`));
    const s = scenario('dmod', [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, d1.key), zlib.gzipSync(changed)) });
    const r = await run(s);
    expect(dig(r, d1.key).status).toBe('invalid_signature');
    expect(dig(r, c.digests[2].key).flags).toContain('link_mismatch');
    expect(dig(r, c.digests[2].key).status).toBe('valid');
    // the log whose listed hash was changed now only matches an invalid digest
    expect(r.summary.exitCode).toBe(3);
  });

  it.each([
    ['pretty-printed', (j: Buffer) => Buffer.from(JSON.stringify(JSON.parse(j.toString()), null, 2))],
    ['slashes unescaped', (j: Buffer) => Buffer.from(j.toString().replace(/\\\//g, '/'))],
  ])('13. digest re-serialised (%s): invalid_signature (no re-serialisation happens)', async (_n, f) => {
    const s = scenario('reser', [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, d1.key), zlib.gzipSync(f(d1.json))) });
    const r = await run(s);
    expect(dig(r, d1.key).status).toBe('invalid_signature');
  });

  it('14. digest re-gzipped at another level: valid', async () => {
    const s = scenario('dregz', [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, d1.key), zlib.gzipSync(d1.json, { level: 9 })) });
    const r = await run(s);
    expect(statuses(r)).toEqual(Array(4).fill('valid'));
  });

  it('15a. a genuine digest copied to another key (replay): location_mismatch on the copy', async () => {
    const fakeKey = d1.key.replace('T150131Z', 'T150132Z');
    const s = scenario('replay', [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, fakeKey), zlib.gzipSync(d1.json)) });
    const r = await run(s);
    const copy = dig(r, fakeKey);
    expect(copy.flags).toEqual(['location_mismatch']);
    expect(copy.reason).toMatch(/moved from its original location/);
    expect(dig(r, d1.key).status).toBe('valid');
    expect(r.summary.exitCode).toBe(3);
  });

  it('15b. two digests swapped: location_mismatch on both, chain still resolved by signed location', async () => {
    const d2 = c.digests[2];
    const s = scenario('swap', [c], {
      metaFor: [head(c)],
      mutate: (ev) => {
        ev.files.set(rel(c, d1.key), zlib.gzipSync(d2.json));
        ev.files.set(rel(c, d2.key), zlib.gzipSync(d1.json));
      },
    });
    const r = await run(s);
    expect(dig(r, d1.key).flags).toContain('location_mismatch');
    expect(dig(r, d2.key).flags).toContain('location_mismatch');
    expect(r.summary.exitCode).toBe(3);
  });
});

describe('missing digests and offline recovery (§7.5 16–20)', () => {
  const c = buildChain({ count: 6 });
  const without = (tag: string, idx: number[], meta = [head(c)]) =>
    scenario(tag, [c], { metaFor: meta, mutate: (ev) => idx.forEach((i) => ev.files.delete(rel(c, c.digests[i].key))) });

  it('16. one digest deleted in the middle', async () => {
    const r = await run(without('del1', [3]));
    expect(dig(r, c.digests[3].key).status).toBe('missing');
    expect(dig(r, c.digests[2].key).status).toBe('unverifiable_no_signature');
    expect(dig(r, c.digests[1].key).status).toBe('valid');
    expect(dig(r, c.digests[4].key).status).toBe('valid');
    const f = r.chains[0].findings;
    expect(f.map((x) => x.kind)).toEqual(['missing_link']);
    expect(f[0].estimatedMissing).toBe(1);
    for (const k of c.digests[3].logs) expect(log(r, k)[0].status).toBe('not_covered');
    for (const k of c.digests[2].logs) expect(log(r, k)[0].status).toBe('valid_unauthenticated');
    expect(r.chains[0].coverage.map((x) => x.state)).toEqual(['verified', 'unauthenticated', 'missing', 'verified']);
    expect(r.summary.exitCode).toBe(3);
  });

  it('17. two consecutive digests deleted: both windows are reported', async () => {
    const r = await run(without('del2', [2, 3]));
    const f = r.chains[0].findings.filter((x) => x.kind === 'missing_link');
    expect(f).toHaveLength(1);
    expect(f[0].estimatedMissing).toBe(2);
    expect(f[0].start).toBe('2015-08-17T15:01:31Z');
    expect(f[0].end).toBe('2015-08-17T17:01:31Z');
    for (const i of [2, 3]) for (const k of c.digests[i].logs) expect(log(r, k)[0].status).toBe('not_covered');
  });

  it('18. newest digest deleted: undetectable as a digest failure without an expected end; tail_uncovered with one', async () => {
    const s = without('delhead', [5], [c.digests[4]]);
    const r = await run(s);
    expect(r.digests.every((d) => d.status === 'valid')).toBe(true);
    expect(r.chains[0].findings).toEqual([]);
    // its log files are still present but no digest lists them any more
    for (const k of c.digests[5].logs) expect(log(r, k)[0].status).toBe('not_covered');
    expect(r.summary.exitCode).toBe(5);
    const r2 = await run(s, { expectedEnd: Date.parse('2015-08-17T20:01:31Z') });
    const t = r2.chains[0].findings.filter((x) => x.kind === 'tail_uncovered');
    expect(t).toHaveLength(1);
    expect(t[0].start).toBe('2015-08-17T18:01:31Z');
    expect(r2.chains[0].coverage[r2.chains[0].coverage.length - 1].state).toBe('tail_uncovered');
  });

  it('18b. an expected end within 1 h of the head is no finding', async () => {
    const r = await run(without('tailok', [], [head(c)]), { expectedEnd: Date.parse('2015-08-17T19:30:00Z') });
    expect(r.chains[0].findings).toEqual([]);
    expect(r.summary.exitCode).toBe(0);
  });

  it('19. head without metadata: unverifiable_no_signature + head_unverified; all older digests valid through successors', async () => {
    const r = await run(without('nometa', [], []));
    expect(statuses(r)).toEqual(['valid', 'valid', 'valid', 'valid', 'valid', 'unverifiable_no_signature']);
    expect(dig(r, head(c).key).flags).toContain('head');
    expect(r.chains[0].findings.map((x) => x.kind)).toEqual(['head_unverified']);
    expect(r.summary.exitCode).toBe(5);
  });

  it('19b. signatures only from metadata (no successors in the evidence) verify', async () => {
    const only = c.digests.filter((_d, i) => i % 2 === 0);
    const s = scenario('metaonly', [c], { metaFor: only, mutate: (ev) => [1, 3, 5].forEach((i) => ev.files.delete(rel(c, c.digests[i].key))) });
    const r = await run(s);
    for (const d of only) {
      expect(dig(r, d.key).status).toBe('valid');
      expect(dig(r, d.key).sigSource).toBe('s3_metadata');
    }
  });

  it('19c. signatures from both sources: sig_source both', async () => {
    const r = await run(without('both', [], c.digests));
    expect(r.digests.slice(0, 5).every((d) => d.sigSource === 'both')).toBe(true);
    expect(r.digests[5].sigSource).toBe('s3_metadata');
  });

  it('20. metadata signature differs from the successor previousDigestSignature: signature_conflict', async () => {
    const s = without('conflict', [], [head(c)]);
    const forged = { ...c.digests[2], signature: crypto.sign('sha256', Buffer.from('other'), KEY1).toString('hex') };
    fs.writeFileSync(s.digestMetadata[0], JSON.stringify({ [head(c).key]: { signature: head(c).signature, 'signature-algorithm': 'SHA256withRSA' }, [forged.key]: { signature: forged.signature, 'signature-algorithm': 'SHA256withRSA' } }));
    const r = await run(s);
    const d = dig(r, c.digests[2].key);
    expect(d.status).toBe('valid');
    expect(d.sigSource).toBe('successor');
    expect(d.flags).toContain('signature_conflict');
    expect(d.flagReasons.signature_conflict).toMatch(/the successor signature verifies/);
    expect(r.summary.exitCode).toBe(3);
  });
});

describe('signature format and algorithm (§7.5 21–23)', () => {
  const c = buildChain({ count: 2 });
  const withHeadMeta = (tag: string, meta: Record<string, string>) => {
    const s = scenario(tag, [c]);
    const f = path.join(s.dir, 'meta.json');
    fs.writeFileSync(f, JSON.stringify({ [head(c).key]: meta }));
    s.digestMetadata.push(f);
    return s;
  };

  it.each([
    ['odd length', 'abc', /odd length/],
    ['non-hex', 'zz'.repeat(256), /not hex/],
    ['wrong length', 'ab'.repeat(100), /100 bytes; the key needs 256/],
    ['empty', '', /empty/],
  ])('21. bad signature hex (%s): invalid_signature', async (_n, sig, why) => {
    const r = await run(withHeadMeta('hex', { signature: sig, 'signature-algorithm': 'SHA256withRSA' }));
    const d = dig(r, head(c).key);
    expect(d.status).toBe('invalid_signature');
    expect(d.reason).toMatch(why);
  });

  it('22a. metadata signature-algorithm other than SHA256withRSA: unsupported_algorithm', async () => {
    const r = await run(withHeadMeta('alg', { signature: head(c).signature, 'signature-algorithm': 'SHA1withRSA' }));
    expect(dig(r, head(c).key).status).toBe('unsupported_algorithm');
    expect(r.summary.exitCode).toBe(3);
  });

  it('22b. digestSignatureAlgorithm changed after signing: invalid_signature naming the algorithm', async () => {
    const d0 = c.digests[0];
    const changed = Buffer.from(d0.json.toString().replace('SHA256withRSA', 'SHA512withRSA'));
    const s = scenario('dalg', [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, d0.key), zlib.gzipSync(changed)) });
    const d = dig(await run(s), d0.key);
    expect(d.status).toBe('invalid_signature');
    expect(d.reason).toMatch(/digestSignatureAlgorithm is SHA512withRSA/);
  });

  it('22c. digestSignatureAlgorithm other than SHA256withRSA in a correctly signed digest: unsupported_algorithm', async () => {
    const c2 = buildChain({ count: 2, mutate: (_i, d) => (d.digestSignatureAlgorithm = 'SHA1withRSA') });
    const r = await run(scenario('dalg2', [c2], { metaFor: [head(c2)] }));
    expect(statuses(r)).toEqual(['unsupported_algorithm', 'unsupported_algorithm']);
  });

  it.each([
    ['SHA-1 PKCS#1 v1.5', (m: string, k: crypto.KeyObject) => crypto.sign('sha1', Buffer.from(m), k)],
    ['RSA-PSS SHA-256', (m: string, k: crypto.KeyObject) => crypto.sign('sha256', Buffer.from(m), { key: k, padding: crypto.constants.RSA_PKCS1_PSS_PADDING })],
  ])('23. signature made with %s over the right string: invalid_signature', async (_n, signer) => {
    const c2 = buildChain({ count: 2, sign: (_i, m, k) => signer(m, k) });
    const r = await run(scenario('sigalg', [c2], { metaFor: [head(c2)] }));
    expect(statuses(r)).toEqual(['invalid_signature', 'invalid_signature']);
  });
});

describe('keys (§7.5 24–27)', () => {
  const c = buildChain({ count: 3 });

  it('24a. fingerprint absent from the key list: unverifiable_key_not_found (never invalid)', async () => {
    const r = await run(scenario('nokey', [c], { keys: [key2], metaFor: [head(c)] }));
    expect(statuses(r)).toEqual(Array(3).fill('unverifiable_key_not_found'));
    expect(r.logs.every((l) => l.status === 'valid_unauthenticated')).toBe(true);
    expect(r.summary.exitCode).toBe(5);
  });

  it('24b. a key whose Fingerprint is not MD5(Value): key_list_inconsistent, key rejected', async () => {
    const s = scenario('incons', [c], { keys: [{ ...key1, der: crypto.createPublicKey(KEY2).export({ type: 'pkcs1', format: 'der' }), fingerprint: fingerprint(KEY1) }], metaFor: [head(c)] });
    const r = await run(s);
    expect(r.warnings.map((w) => w.code)).toContain('key_list_inconsistent');
    expect(statuses(r)).toEqual(Array(3).fill('unverifiable_key_not_found'));
    expect(r.digests[0].reason).toMatch(/key_list_inconsistent/);
  });

  it('24c. no key list at all: everything that needs no key is still checked; signatures unverifiable', async () => {
    const s = scenario('nokeys', [c], { metaFor: [head(c)] });
    const r = await run(s, { publicKeys: [] });
    expect(statuses(r)).toEqual(Array(3).fill('unverifiable_key_not_found'));
    expect(r.logs.every((l) => l.status === 'valid_unauthenticated')).toBe(true);
    expect(r.summary.failures).toBe(0);
    expect(r.summary.exitCode).toBe(5);
  });

  it('25a. SPKI key (as in the AWS docs sample) is accepted', async () => {
    const c2 = buildChain({ count: 2, mutate: (_i, d) => (d.digestPublicKeyFingerprint = fingerprint(KEY1, 'spki')) });
    const r = await run(scenario('spki', [c2], { keys: [{ ...key1, form: 'spki' }], metaFor: [head(c2)] }));
    expect(statuses(r)).toEqual(['valid', 'valid']);
    expect(r.digests[0].keyForm).toBe('spki');
  });

  it.each([
    ['garbage', Buffer.from('this is not a DER public key at all')],
    ['an EC key', crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' })],
  ])('25b. key given as %s: key_load_error', async (_n, der) => {
    const fp = crypto.createHash('md5').update(der).digest('hex');
    const c2 = buildChain({ count: 2, mutate: (_i, d) => (d.digestPublicKeyFingerprint = fp) });
    const r = await run(scenario('badkey', [c2], { keys: [{ ...key1, der }], metaFor: [head(c2)] }));
    expect(statuses(r)).toEqual(['key_load_error', 'key_load_error']);
    expect(r.summary.exitCode).toBe(5);
  });

  it.each(['v1', 'v2', 'docs'] as const)('26a. key list in the %s shape', async (style) => {
    const r = await run(scenario(`style-${style}`, [c], { keys: [key1], keyStyle: style, metaFor: [head(c)] }));
    expect(statuses(r)).toEqual(Array(3).fill('valid'));
    expect(r.inputs.keyFiles[0].keys[0].validityStart).toBe('2015-08-16T13:01:31Z');
  });

  it('26b. several key files, and a region tag that does not match: key_region_mismatch (informational)', async () => {
    const c2 = buildChain({ count: 4, keyFor: (i) => (i < 2 ? KEY1 : KEY2) });
    const s = scenario('multi', [c2], { keys: [key1], metaFor: [head(c2)] });
    const other = path.join(s.dir, 'eu-west-1-keys.json');
    fs.writeFileSync(other, keyList([key2], 'v2'));
    const r = await run(s, { publicKeys: [...s.publicKeys, other] });
    expect(statuses(r)).toEqual(Array(4).fill('valid'));
    expect(r.digests[0].flags).not.toContain('key_region_mismatch');
    expect(r.digests[3].flags).toContain('key_region_mismatch');
    expect(r.inputs.keyFiles.map((k) => k.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(r.summary.exitCode).toBe(0);
  });

  it('27. digest time outside the key validity window: key_outside_validity warning only', async () => {
    const r = await run(scenario('validity', [c], { keys: [{ ...key1, start: T0 / 1000 + 10 * DAY }], metaFor: [head(c)] }));
    expect(statuses(r)).toEqual(Array(3).fill('valid'));
    expect(r.digests[0].flags).toContain('key_outside_validity');
    expect(r.summary.exitCode).toBe(0);
  });
});

describe('layouts and naming (§7.5 28–31)', () => {
  it('28a. a prefix with several levels', async () => {
    const c = buildChain({ count: 3, prefix: 'a/b/c' });
    const r = await run(scenario('prefix', [c], { metaFor: [head(c)] }));
    expect(statuses(r)).toEqual(Array(3).fill('valid'));
    expect(r.logs.every((l) => l.status === 'valid')).toBe(true);
    expect(r.chains[0].prefix).toBe('a/b/c');
  });

  it('28b. organization trail with two member accounts: one chain each', async () => {
    const a = buildChain({ count: 3, orgId: 'o-abcdef1234', account: '111111111111', trail: 'OrgTrail' });
    const b = buildChain({ count: 3, orgId: 'o-abcdef1234', account: '222222222222', trail: 'OrgTrail' });
    const r = await run(scenario('org', [a, b], { metaFor: [head(a), head(b)] }));
    expect(r.chains.map((x) => x.id)).toEqual(['o-abcdef1234/111111111111/us-east-1/OrgTrail@us-east-1', 'o-abcdef1234/222222222222/us-east-1/OrgTrail@us-east-1']);
    expect(r.digests.every((d) => d.status === 'valid')).toBe(true);
    expect(r.summary.exitCode).toBe(0);
  });

  it('28c. multi-region trail (source region ≠ home region) with per-region key lists', async () => {
    const east = buildChain({ count: 2, region: 'us-east-1', homeRegion: 'us-west-2', trail: 'mr' });
    const tokyo = buildChain({ count: 2, region: 'ap-northeast-1', homeRegion: 'us-west-2', trail: 'mr', keyFor: () => KEY2 });
    const s = scenario('mr', [east, tokyo], { keys: [key1], metaFor: [head(east), head(tokyo)] });
    const k2 = path.join(s.dir, 'ap-northeast-1.json');
    fs.writeFileSync(k2, keyList([key2]));
    const r = await run(s, { publicKeys: [...s.publicKeys, k2] });
    expect(r.chains.map((x) => `${x.region}<-${x.homeRegion}`)).toEqual(['ap-northeast-1<-us-west-2', 'us-east-1<-us-west-2']);
    expect(r.digests.every((d) => d.status === 'valid' && !d.flags.includes('key_region_mismatch'))).toBe(true);
  });

  it.each(['my_trail.v2', 'audit_us-west-2_copy'])('29. trail name %s parses anchored on both sides', async (trail) => {
    const c = buildChain({ count: 2, trail, homeRegion: 'eu-central-1' });
    const r = await run(scenario('names', [c], { metaFor: [head(c)] }));
    expect(r.chains[0].trailName).toBe(trail);
    expect(r.chains[0].homeRegion).toBe('eu-central-1');
    expect(r.digests.every((d) => d.status === 'valid' && !d.flags.includes('name_mismatch'))).toBe(true);
  });

  it('30. two trails in the same bucket, region and account: separate chains, coverage is the union', async () => {
    const a = buildChain({ count: 2, trail: 'alpha' });
    const b = buildChain({ count: 2, trail: 'beta', start: T0 + 60_000 });
    const r = await run(scenario('two', [a, b], { metaFor: [head(a), head(b)] }));
    expect(r.chains.map((x) => x.trailName)).toEqual(['alpha', 'beta']);
    expect(r.logs).toHaveLength(8);
    expect(r.logs.every((l) => l.status === 'valid')).toBe(true);
  });

  it('31. bucket change mid-chain: previousDigestS3Bucket names another evidence root', async () => {
    const c = buildChain({ count: 4, bucketFor: (i) => (i < 2 ? 'old-bucket' : 'new-bucket') });
    const s = scenario('bucketchange', [c], { metaFor: [head(c)] });
    // each bucket in its own evidence root, each root being the bucket's top folder
    const r = await run(s, { evidence: [path.join(s.evidence, 'old-bucket'), path.join(s.evidence, 'new-bucket')] });
    expect(statuses(r)).toEqual(Array(4).fill('valid'));
    expect(r.inputs.evidence.map((e) => e.bucket)).toEqual(['old-bucket', 'new-bucket']);
    expect(r.logs.every((l) => l.status === 'valid')).toBe(true);
    expect(r.chains).toHaveLength(1);
  });

  it('a bucket folder not named after its bucket (renamed copy, nested folders) is learned from the digests', async () => {
    const c = buildChain({ count: 3 });
    const s = scenario('renamed', [c], { metaFor: [head(c)] });
    fs.mkdirSync(path.join(s.evidence, 'exports/2024'), { recursive: true });
    fs.renameSync(path.join(s.evidence, 'trail-bucket'), path.join(s.evidence, 'exports/2024/bucket-copy'));
    const r = await run(s);
    expect(statuses(r)).toEqual(Array(3).fill('valid'));
    expect(r.logs.map((l) => l.status)).toEqual(Array(6).fill('valid'));
    expect(r.logs[0].file?.path.startsWith('exports/2024/bucket-copy/AWSLogs/')).toBe(true);
    expect(r.summary.exitCode).toBe(0);
    // an injected file there is not_covered, with its bucket known
    const inj = path.join(s.evidence, 'exports/2024/bucket-copy', c.digests[0].logs[0].replace(/_[A-Za-z]{16}\.json\.gz$/, '_INJECTEDINJECTED.json.gz'));
    fs.writeFileSync(inj, zlib.gzipSync('{"Records":[]}'));
    const r2 = await run(s);
    const nc = r2.logs.filter((l) => l.status === 'not_covered');
    expect(nc.map((l) => l.uri)).toEqual([`s3://trail-bucket/${c.digests[0].logs[0].replace(/_[A-Za-z]{16}\.json\.gz$/, '_INJECTEDINJECTED.json.gz')}`]);
  });

  it('the evidence root may be the bucket folder itself, or hold no bucket folder at all', async () => {
    const c = buildChain({ count: 2 });
    const r = await run(scenario('flat', [c], { metaFor: [head(c)], bucketFolder: false }));
    expect(statuses(r)).toEqual(['valid', 'valid']);
    expect(r.inputs.evidence[0].bucket).toBe('trail-bucket');
    expect(r.summary.exitCode).toBe(0);
  });
});

describe('backfill (§7.5 32)', () => {
  const std = buildChain({ count: 2 });
  const bf = buildChain({ count: 2, backfill: true, start: T0 + 30 * 60_000, logsPerWindow: 1 });
  // the backfill digests list a log of the standard chain (same hash)
  const shared = std.digests[0].logs[0];

  function backfillWith(tag: string, hashFor: string, ts: boolean) {
    const b = buildChain({
      count: 2,
      backfill: true,
      start: T0 + 30 * 60_000,
      logsPerWindow: 1,
      mutate: (i, d) => {
        if (i === 0) (d.logFiles as Array<Record<string, unknown>>).push({ s3Bucket: 'trail-bucket', s3Object: shared, hashValue: hashFor, hashAlgorithm: 'SHA-256' });
      },
    });
    const s = scenario(tag, [std, b], { metaFor: [head(std)] });
    const f = path.join(s.dir, 'manifest.jsonl');
    fs.writeFileSync(
      f,
      b.digests
        .map((d) => JSON.stringify({ Bucket: 'trail-bucket', Key: d.key, Metadata: { signature: d.signature, 'signature-algorithm': 'SHA256withRSA', ...(ts ? { 'backfill-generation-timestamp': '2015-08-17T20:00:00Z' } : {}) } }))
        .join('\n'),
    );
    s.digestMetadata.push(f);
    return { s, b };
  }

  it('32a. backfill digests with their metadata timestamp verify as a separate chain', async () => {
    const r = await run(scenario('bf', [std, bf], { metaFor: [head(std), head(bf)] }));
    expect(r.chains.map((x) => x.kind)).toEqual(['standard', 'backfill']);
    expect(r.summary.digests.backfill).toBe(2);
    const { s } = backfillWith('bf-ts', sha256(std.logs.get(shared) as Buffer), true);
    const r2 = await run(s);
    expect(r2.digests.every((d) => d.status === 'valid')).toBe(true);
    const l = log(r2, shared)[0];
    expect(l.status).toBe('valid');
    expect(l.coveredBy).toHaveLength(2);
  });

  it('32b. backfill metadata without backfill-generation-timestamp: invalid_format', async () => {
    const { s, b } = backfillWith('bf-nots', sha256(std.logs.get(shared) as Buffer), false);
    const r = await run(s);
    expect(dig(r, b.digests[1].key).status).toBe('invalid_format');
    expect(dig(r, b.digests[1].key).reason).toMatch(/backfill-generation-timestamp/);
  });

  it('32c. a log listed by a standard and a backfill digest with different hashes: coverage_conflict', async () => {
    const { s } = backfillWith('bf-conf', 'f'.repeat(64), true);
    const r = await run(s);
    expect(log(r, shared)[0].status).toBe('coverage_conflict');
    expect(r.summary.exitCode).toBe(3);
  });
});

describe('robustness (§7.5 33–37)', () => {
  const c = buildChain({ count: 3 });
  const d1 = c.digests[1];
  const replaceDigest = (tag: string, bytes: Buffer) => scenario(tag, [c], { metaFor: [head(c)], mutate: (ev) => ev.files.set(rel(c, d1.key), bytes) });

  it('33a. a required field absent (previousDigestSignature missing, not null): invalid_format', async () => {
    const o = JSON.parse(d1.json.toString());
    delete o.previousDigestSignature;
    const r = await run(replaceDigest('nofield', zlib.gzipSync(serialize(o, true))));
    const d = dig(r, d1.key);
    expect(d.status).toBe('invalid_format');
    expect(d.reason).toMatch(/previousDigestSignature is missing/);
    // the successor still links to it; the chain is not broken into "missing"
    expect(r.digests.filter((x) => x.status === 'missing')).toEqual([]);
  });

  it('33b. unknown extra fields are fine', async () => {
    const c2 = buildChain({ count: 2, mutate: (_i, d) => (d.someNewField = { nested: [1, 2] }) });
    const r = await run(scenario('extra', [c2], { metaFor: [head(c2)] }));
    expect(statuses(r)).toEqual(['valid', 'valid']);
  });

  it.each([
    ['not gzip, not JSON', Buffer.from('\x00\x01garbage')],
    ['gzip of non-JSON', zlib.gzipSync('this is not json')],
    ['bad gzip', Buffer.concat([zlib.gzipSync(d1.json).subarray(0, 30)])],
  ])('34. digest that is %s: invalid_format, and verification continues', async (_n, bytes) => {
    const r = await run(replaceDigest('notgz', bytes));
    expect(dig(r, d1.key).status).toBe('invalid_format');
    expect(dig(r, c.digests[0].key).status).toBe('unverifiable_no_signature');
    expect(dig(r, head(c).key).status).toBe('valid');
    expect(r.summary.exitCode).toBe(3);
  });

  it('a digest stored decompressed: verified, flagged stored_decompressed', async () => {
    const r = await run(replaceDigest('dplain', d1.json));
    expect(dig(r, d1.key).status).toBe('valid');
    expect(dig(r, d1.key).flags).toContain('stored_decompressed');
  });

  it('trailing bytes after a digest member: trailing_data flag (failure), signature still checked', async () => {
    const r = await run(replaceDigest('dtrail', Buffer.concat([zlib.gzipSync(d1.json), Buffer.alloc(16)])));
    expect(dig(r, d1.key).status).toBe('valid');
    expect(dig(r, d1.key).flags).toContain('trailing_data');
    expect(r.summary.exitCode).toBe(3);
  });

  it('35. the same key present in two roots with different bytes: evidence_conflict', async () => {
    const s = scenario('twoRoots', [c], { metaFor: [head(c)] });
    const other = path.join(s.dir, 'copy2');
    const target = c.digests[1].logs[0];
    const p = path.join(other, 'trail-bucket', target);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, zlib.gzipSync(Buffer.from('{"Records":[]}')));
    const r = await run(s, { evidence: [s.evidence, other] });
    const ls = log(r, target);
    expect(ls).toHaveLength(2);
    expect(ls.every((l) => l.flags.includes('evidence_conflict'))).toBe(true);
    expect(ls.map((l) => l.status).sort()).toEqual(['hash_mismatch', 'valid']);
    expect(r.summary.exitCode).toBe(3);
  });

  it('37. a digest listing 3000 log files and large logs hashed in a stream give the same results', async () => {
    const big = buildChain({ count: 2, logsPerWindow: 1500 });
    const s = scenario('big', [big], { metaFor: [head(big)] });
    const a = await run(s);
    const b = await run(s, { streamThreshold: 64 });
    expect(a.logs).toHaveLength(3000);
    expect(a.logs.every((l) => l.status === 'valid')).toBe(true);
    expect(b.logs.map((l) => [l.status, l.contentSha256])).toEqual(a.logs.map((l) => [l.status, l.contentSha256]));
  });
});

describe('range and filters', () => {
  const c = buildChain({ count: 6 });
  it('--start-time/--end-time restrict results; a pointer before the start is not missing', async () => {
    const s = scenario('range', [c], { metaFor: [head(c)], mutate: (ev) => [0, 1].forEach((i) => ev.files.delete(rel(c, c.digests[i].key))) });
    const all = await run(s);
    expect(all.chains[0].findings.map((f) => f.kind)).toEqual(['orphan_segment']);
    const r = await run(s, { startTime: Date.parse('2015-08-17T15:30:00Z') });
    expect(r.chains[0].findings).toEqual([]);
    expect(r.digests.every((d) => d.status === 'valid')).toBe(true);
    // the logs of the deleted windows are before the start: not reported
    expect(r.logs.every((l) => l.status === 'valid')).toBe(true);
    expect(r.summary.exitCode).toBe(0);
  });

  it('--account / --region select chains', async () => {
    const s = scenario('acct', [c], { metaFor: [head(c)] });
    expect((await run(s, { accounts: ['999999999999'] })).digests).toHaveLength(0);
    expect((await run(s, { regions: ['us-east-1'] })).digests).toHaveLength(6);
  });
});

describe('signing string (§3.2, §7.4)', () => {
  it('matches the aws-cli golden vector', () => {
    const golden = 'a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull';
    expect(srcSigning({ digestEndTime: 'a', digestS3Bucket: 'b', digestS3Object: 'c', previousDigestSignature: null }, sha256('abc'))).toBe(golden);
    expect(signingString('a', 'b', 'c', sha256('abc'), null)).toBe(golden);
  });
  it('pins the aws-cli functional-test hashes', () => {
    expect(sha256('{}')).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(sha256('{"foo":"bar"}')).toBe('7a38bf81f383f69433ad6e900d35b3e2385593f76a7b7ab5d4355b8ba41ee24b');
    expect(sha256('{"baz":"qux"}')).toBe('5b1070294963f40cb5b3c7a05d3fbaf7ffe4e5d226632026e39cfeb32d349c0c');
  });
  it('a test vector verifies with openssl-equivalent crypto independent of the engine', () => {
    const c = buildChain({ count: 2 });
    const pub = crypto.createPublicKey(KEY1);
    for (const d of c.digests) expect(crypto.verify('sha256', Buffer.from(d.signing), pub, Buffer.from(d.signature, 'hex'))).toBe(true);
    expect(c.digests[0].signature).toHaveLength(512);
  });
});
