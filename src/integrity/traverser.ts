// The digest traverser (spec §3.5, §3.6, §6.3 steps 2–5 and 7): digest nodes indexed by their signed location,
// previous-digest links, signature candidates (saved metadata and the successor's previousDigestSignature),
// link cross-checks, chain segments, findings and the coverage timeline.

import type { DigestFields, ParsedDigest } from './digest-parse.js';
import { localLocation, ref, resolveLocation } from './evidence.js';
import type { EvidenceFile, EvidenceIndex } from './evidence.js';
import type { KeyRing, PublicKeyEntry } from './keys.js';
import { isoUtc, msFromIso } from '../model/time.js';
import { parseDigestName, parseKey, s3Uri } from './layout.js';
import { lookupMetadata } from './metadata.js';
import type { MetadataEntry, MetadataIndex } from './metadata.js';
import { HASH_ALGORITHM, SIGNATURE_ALGORITHM, decodeSignatureHex, modulusBytes, signingString, verifySignature } from './signature.js';
import type {
  ChainFinding,
  ChainIdentity,
  ChainResult,
  CoverageInterval,
  CoverageState,
  DigestFlag,
  DigestResult,
  DigestStatus,
  SignatureSource,
} from '../model/integrity.js';

const HOUR = 3_600_000;
/** A key's validity window is checked with this tolerance (aws-cli widened its lookup by +2 h, §4.4). */
const KEY_WINDOW_SLACK = 2 * HOUR;

export interface ChainInfo extends ChainIdentity {
  backfill: boolean;
}

export interface DigestNode {
  kind: 'present';
  files: EvidenceFile[];
  fields: DigestFields | null;
  parseError: string | null;
  contentSha256: string | null;
  trailingBytes: number;
  storedDecompressed: boolean;
  hasCR: boolean;
  /** Signed location (digestS3Bucket/digestS3Object), or where it was found when unreadable. */
  bucket: string | null;
  key: string;
  chain: ChainInfo;
  startMs: number;
  endMs: number;
  status: DigestStatus;
  flags: Map<DigestFlag, string>;
  reason: string;
  notes: string[];
  sigSource: SignatureSource | null;
  keyForm: 'pkcs1' | 'spki' | null;
  metadataSources: string[];
  successors: DigestNode[];
  predecessor: DigestNode | null;
  missingPred: MissingNode | null;
  inRange: boolean;
}

export interface MissingNode {
  kind: 'missing';
  bucket: string | null;
  key: string;
  chain: ChainInfo;
  endMs: number;
  successors: DigestNode[];
  inRange: boolean;
}

/** A genuine digest's copy found at another key than the one it signs (replay or move): reported, not linked. */
export interface MisplacedNode {
  kind: 'misplaced';
  file: EvidenceFile;
  bucket: string | null;
  key: string;
  original: DigestNode;
  inRange: boolean;
}

export interface DigestGraph {
  present: DigestNode[];
  missing: MissingNode[];
  misplaced: MisplacedNode[];
}

function chainInfoFor(key: string, fields: DigestFields | null, flags: Map<DigestFlag, string>, notes: string[]): ChainInfo {
  const pk = parseKey(key);
  const name = pk ? parseDigestName(pk.fileName, pk.accountId, pk.region) : null;
  if (fields && pk === null) notes.push('digestS3Object is not an AWSLogs/…/CloudTrail-Digest/<region>/ key');
  if (pk && !name) {
    flags.set('name_mismatch', `file name ${pk.fileName} does not follow <account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<time>.json.gz`);
  }
  if (name?.nameMismatch) {
    flags.set('name_mismatch', `the account or region in the file name differs from the folders (${pk?.accountId}/${pk?.region})`);
  }
  if (fields && name && name.endTime !== fields.digestEndTime.replace(/\.\d+Z$/, 'Z')) {
    flags.set('name_mismatch', `the file name's time ${name.endTime} differs from digestEndTime ${fields.digestEndTime}`);
  }
  if (fields && pk && fields.awsAccountId !== pk.accountId) {
    notes.push(`awsAccountId ${fields.awsAccountId} differs from the key's account folder ${pk.accountId}`);
  }
  const accountId = pk?.accountId ?? fields?.awsAccountId ?? 'unknown';
  const region = pk?.region ?? 'unknown';
  const orgId = pk?.orgId ?? null;
  const trailName = name?.trailName ?? null;
  const homeRegion = name?.homeRegion ?? null;
  const backfill = name?.backfill ?? /_backfill\.json(\.gz)?$/.test(key);
  const id = `${orgId ? `${orgId}/` : ''}${accountId}/${region}/${trailName ?? '?'}@${homeRegion ?? '?'}${backfill ? '/backfill' : ''}`;
  return { id, prefix: pk?.prefix ?? '', orgId, accountId, region, homeRegion, trailName, backfill };
}

function newNode(files: EvidenceFile[], p: ParsedDigest, bucket: string | null, key: string): DigestNode {
  const flags = new Map<DigestFlag, string>();
  const notes: string[] = [];
  const chain = chainInfoFor(key, p.fields, flags, notes);
  if (chain.backfill) flags.set('backfill', '');
  if (p.trailingBytes > 0) {
    flags.set('trailing_data', `${p.trailingBytes} bytes follow the first gzip member (not covered by the signature)`);
  }
  if (p.storedDecompressed && p.fields) {
    flags.set('stored_decompressed', 'stored decompressed: the file is not gzip; its bytes were hashed as they are');
  }
  const pk = parseKey(key);
  const nameTime = pk ? msFromIso(parseDigestName(pk.fileName, pk.accountId, pk.region)?.endTime) : NaN;
  const endMs = p.fields ? msFromIso(p.fields.digestEndTime) : nameTime;
  const startMs = p.fields ? msFromIso(p.fields.digestStartTime) : endMs - HOUR;
  return {
    kind: 'present',
    files,
    fields: p.fields,
    parseError: p.error,
    contentSha256: p.contentSha256,
    trailingBytes: p.trailingBytes,
    storedDecompressed: p.storedDecompressed,
    hasCR: p.hasCR,
    bucket,
    key,
    chain,
    startMs,
    endMs,
    status: p.fields ? 'unverifiable_no_signature' : 'invalid_format',
    flags,
    reason: p.fields ? '' : `invalid format: ${p.error}`,
    notes,
    sigSource: null,
    keyForm: null,
    metadataSources: [],
    successors: [],
    predecessor: null,
    missingPred: null,
    inRange: true,
  };
}

/** Build nodes (one per signed location and content), misplaced copies, links and missing link targets. */
export function buildDigestNodes(evidence: EvidenceIndex, parsed: Array<{ file: EvidenceFile; parsed: ParsedDigest }>): DigestGraph {
  const present: DigestNode[] = [];
  const misplaced: MisplacedNode[] = [];
  const byKey = new Map<string, DigestNode[]>();
  const index = (n: DigestNode) => {
    const l = byKey.get(n.key) ?? [];
    l.push(n);
    byKey.set(n.key, l);
  };
  // Group readable digests by signed location and content.
  const groups = new Map<string, Array<{ file: EvidenceFile; parsed: ParsedDigest; localOk: boolean }>>();
  for (const { file, parsed: p } of parsed) {
    if (!p.fields) {
      const loc = localLocation(file);
      const n = newNode([file], p, loc.bucket, loc.key);
      present.push(n);
      index(n);
      continue;
    }
    const { digestS3Bucket: b, digestS3Object: k } = p.fields;
    const localOk = resolveLocation(evidence, b, k).includes(file);
    const gid = `${b}\u0000${k}\u0000${p.contentSha256}`;
    const g = groups.get(gid) ?? [];
    g.push({ file, parsed: p, localOk });
    groups.set(gid, g);
  }
  for (const g of groups.values()) {
    const fields = g[0].parsed.fields as DigestFields;
    const atHome = g.filter((x) => x.localOk);
    const node = newNode((atHome.length ? atHome : g).map((x) => x.file), g[0].parsed, fields.digestS3Bucket, fields.digestS3Object);
    if (!atHome.length) {
      const where = g.map((x) => s3Uri(localLocation(x.file).bucket, localLocation(x.file).key)).join(', ');
      node.flags.set('location_mismatch', `has been moved from its original location: found at ${where}, but it signs s3://${fields.digestS3Bucket}/${fields.digestS3Object}`);
    } else {
      for (const x of g.filter((y) => !y.localOk)) {
        const loc = localLocation(x.file);
        misplaced.push({ kind: 'misplaced', file: x.file, bucket: loc.bucket, key: loc.key, original: node, inRange: true });
      }
    }
    present.push(node);
    index(node);
  }
  // Several different files claiming one location: evidence conflict.
  for (const list of byKey.values()) {
    const claims = list.filter((n) => n.fields);
    if (claims.length > 1) {
      for (const n of claims) {
        n.flags.set('evidence_conflict', `${claims.length} different files claim this location`);
      }
    }
  }
  // Links.
  const missingByKey = new Map<string, MissingNode>();
  const missing: MissingNode[] = [];
  for (const n of present) {
    const f = n.fields;
    if (!f) continue;
    if (f.previousDigestS3Object === null) {
      n.flags.set('chain_start', '');
      if (f.previousDigestSignature !== null || f.previousDigestHashValue !== null || f.previousDigestS3Bucket !== null) {
        n.notes.push('previousDigestS3Object is null but other previousDigest* fields are not');
      }
      continue;
    }
    const cands = (byKey.get(f.previousDigestS3Object) ?? []).filter(
      (c) => c !== n && (c.bucket === null || f.previousDigestS3Bucket === null || c.bucket === f.previousDigestS3Bucket),
    );
    const target = cands.find((c) => c.contentSha256 === (f.previousDigestHashValue ?? '').toLowerCase()) ?? cands[0];
    if (target) {
      n.predecessor = target;
      target.successors.push(n);
      continue;
    }
    const mk = `${f.previousDigestS3Bucket}\u0000${f.previousDigestS3Object}`;
    let m = missingByKey.get(mk);
    if (!m) {
      const pk = parseKey(f.previousDigestS3Object);
      const name = pk ? parseDigestName(pk.fileName, pk.accountId, pk.region) : null;
      m = {
        kind: 'missing',
        bucket: f.previousDigestS3Bucket,
        key: f.previousDigestS3Object,
        chain: n.chain,
        endMs: name ? msFromIso(name.endTime) : n.startMs,
        successors: [],
        inRange: true,
      };
      missingByKey.set(mk, m);
      missing.push(m);
    }
    m.successors.push(n);
    n.missingPred = m;
  }
  return { present, missing, misplaced };
}

interface Candidate {
  hex: string;
  source: 's3_metadata' | 'successor';
  origin: string;
}

/** Verify every readable digest with every signature candidate (§6.3 step 4) and run the link checks (§3.6). */
export function checkSignatures(nodes: DigestNode[], keys: KeyRing, meta: MetadataIndex): void {
  for (const n of nodes) checkOne(n, keys, meta);
  for (const n of nodes) linkChecks(n);
}

function metadataFor(n: DigestNode, meta: MetadataIndex): MetadataEntry[] {
  const seen = new Set<MetadataEntry>();
  for (const e of lookupMetadata(meta, n.bucket, n.key)) seen.add(e);
  for (const f of n.files) {
    const loc = localLocation(f);
    for (const e of lookupMetadata(meta, loc.bucket, loc.key)) seen.add(e);
    for (const e of lookupMetadata(meta, null, f.path)) seen.add(e);
  }
  return [...seen];
}

function checkOne(n: DigestNode, keys: KeyRing, meta: MetadataIndex): void {
  const f = n.fields;
  const metaEntries = metadataFor(n, meta);
  for (const e of metaEntries) e.used = true;
  if (!f) return;
  const candidates: Candidate[] = [];
  let badMetaAlgorithm: string | null = null;
  for (const e of metaEntries) {
    if (e.signature === null) continue;
    n.metadataSources.push(e.source);
    if (e.algorithm !== SIGNATURE_ALGORITHM) {
      badMetaAlgorithm = e.algorithm === null ? 'metadata has no signature-algorithm' : `metadata signature-algorithm is ${e.algorithm}, not ${SIGNATURE_ALGORITHM}`;
      continue;
    }
    candidates.push({ hex: e.signature, source: 's3_metadata', origin: e.source });
  }
  for (const s of n.successors) {
    const sig = s.fields?.previousDigestSignature;
    if (sig) candidates.push({ hex: sig, source: 'successor', origin: s.key });
  }
  if (n.flags.has('backfill') && metaEntries.length > 0 && !metaEntries.some((e) => e.backfillTimestamp)) {
    setStatus(n, 'invalid_format', 'invalid format: backfill digest metadata has no backfill-generation-timestamp');
    return;
  }
  const fp = f.digestPublicKeyFingerprint.toLowerCase();
  if (candidates.length === 0) {
    if (!keys.byFingerprint.has(fp)) n.notes.push(`public key ${fp} is not in the key lists given either`);
    if (badMetaAlgorithm) setStatus(n, 'unsupported_algorithm', `unsupported algorithm: ${badMetaAlgorithm}`);
    else if (n.successors.length === 0) setStatus(n, 'unverifiable_no_signature', 'no signature: no saved S3 metadata and no successor digest in the evidence (the newest digest needs its x-amz-meta-signature)');
    else setStatus(n, 'unverifiable_no_signature', 'no signature: no saved S3 metadata, and the successor names no previousDigestSignature');
    return;
  }
  const entries = keys.byFingerprint.get(fp) ?? [];
  if (entries.length === 0) {
    const why = keys.inconsistent.has(fp)
      ? `public key ${fp} was rejected: its Fingerprint is not the MD5 of its Value (key_list_inconsistent)`
      : keys.files.length === 0
        ? `public key not found for fingerprint ${fp}: no key list given (--public-keys)`
        : `public key not found for fingerprint ${fp} in the key lists given`;
    setStatus(n, 'unverifiable_key_not_found', why);
    return;
  }
  const usable = entries.filter((e) => e.key !== null);
  if (usable.length === 0) {
    setStatus(n, 'key_load_error', `Unable to load key with fingerprint ${fp}: ${entries[0].error}`);
    return;
  }
  const signing = signingString(f, n.contentSha256 as string);
  const verified: Candidate[] = [];
  const failures: string[] = [];
  let verifyingKey: PublicKeyEntry | null = null;
  // RSA verification is deterministic: verify each distinct signature once (metadata and successor usually agree).
  const outcome = new Map<string, PublicKeyEntry | null>();
  for (const c of candidates) {
    const hexKey = c.hex.toLowerCase();
    if (outcome.has(hexKey)) {
      const k = outcome.get(hexKey) ?? null;
      if (k) verified.push(c);
      else failures.push(`${c.source === 'successor' ? `signature from successor ${c.origin}` : `metadata signature from ${c.origin}`} does not verify`);
      continue;
    }
    let ok = false;
    for (const k of usable) {
      const sig = decodeSignatureHex(c.hex, modulusBytes(k.key as NonNullable<PublicKeyEntry['key']>));
      if (typeof sig === 'string') {
        failures.push(`${c.source === 'successor' ? `signature from successor ${c.origin}` : `metadata signature from ${c.origin}`}: ${sig}`);
        continue;
      }
      if (verifySignature(signing, sig, k.key as NonNullable<PublicKeyEntry['key']>)) {
        ok = true;
        verifyingKey = k;
        break;
      }
    }
    outcome.set(hexKey, ok ? verifyingKey : null);
    if (ok) verified.push(c);
    else if (!failures.some((x) => x.includes(c.origin))) failures.push(`${c.source === 'successor' ? `signature from successor ${c.origin}` : `metadata signature from ${c.origin}`} does not verify`);
  }
  const metaSigs = new Set(candidates.filter((c) => c.source === 's3_metadata').map((c) => c.hex.toLowerCase()));
  const succSigs = new Set(candidates.filter((c) => c.source === 'successor').map((c) => c.hex.toLowerCase()));
  const allSigs = new Set([...metaSigs, ...succSigs]);
  if (allSigs.size > 1) {
    const which = verified.length ? `the ${[...new Set(verified.map((c) => c.source))].join(' and ')} signature verifies` : 'none verifies';
    n.flags.set('signature_conflict', `${allSigs.size} different signatures (S3 metadata vs successor previousDigestSignature); ${which}`);
  }
  if (verified.length === 0) {
    let reason = `signature verification failed: ${failures.join('; ')}`;
    if (f.digestSignatureAlgorithm !== SIGNATURE_ALGORITHM) reason += `; digestSignatureAlgorithm is ${f.digestSignatureAlgorithm} (unsupported_algorithm)`;
    if (n.hasCR) reason += '; the content contains CR bytes: line-ending conversion is a likely cause';
    if (n.flags.has('location_mismatch')) reason += '; the file is not at the location it names';
    setStatus(n, 'invalid_signature', reason);
    return;
  }
  const sources = new Set(verified.map((c) => c.source));
  n.sigSource = sources.size === 2 ? 'both' : (verified[0].source as SignatureSource);
  n.keyForm = verifyingKey?.form ?? null;
  const algoProblems: string[] = [];
  if (f.digestSignatureAlgorithm !== SIGNATURE_ALGORITHM) algoProblems.push(`digestSignatureAlgorithm is ${f.digestSignatureAlgorithm}`);
  if (f.previousDigestHashAlgorithm !== null && f.previousDigestHashAlgorithm !== HASH_ALGORITHM) algoProblems.push(`previousDigestHashAlgorithm is ${f.previousDigestHashAlgorithm}`);
  const badLog = f.logFiles.find((l) => l.hashAlgorithm !== HASH_ALGORITHM);
  if (badLog) algoProblems.push(`logFiles hashAlgorithm ${badLog.hashAlgorithm} for ${badLog.s3Object}`);
  if (badMetaAlgorithm) n.notes.push(`${badMetaAlgorithm} (ignored: another signature verified)`);
  if (algoProblems.length) {
    setStatus(n, 'unsupported_algorithm', `unsupported algorithm: ${algoProblems.join('; ')}`);
  } else {
    setStatus(n, 'valid', `signature verified (${n.sigSource === 'both' ? 'S3 metadata and successor' : n.sigSource === 's3_metadata' ? 'S3 metadata' : 'successor previousDigestSignature'}, ${n.keyForm} key ${fp})`);
  }
  if (verifyingKey) {
    const at = n.flags.has('backfill') ? (msFromIso(metaEntries.find((e) => e.backfillTimestamp)?.backfillTimestamp) || n.endMs) : n.endMs;
    const { validityStartMs: vs, validityEndMs: ve } = verifyingKey;
    if ((vs !== null && at < vs - KEY_WINDOW_SLACK) || (ve !== null && at > ve + KEY_WINDOW_SLACK)) {
      n.flags.set('key_outside_validity', `${isoUtc(at)} is outside key ${fp}'s validity ${vs === null ? '?' : isoUtc(vs)} – ${ve === null ? '?' : isoUtc(ve)}`);
    }
    const tagged = entries.filter((e) => e.region !== null);
    if (tagged.length && !tagged.some((e) => e.region === n.chain.region)) {
      n.flags.set('key_region_mismatch', `key ${fp} comes from the ${tagged.map((e) => e.region).join('/')} key list; the digest was delivered by ${n.chain.region}`);
    }
  }
}

function setStatus(n: DigestNode, status: DigestStatus, reason: string): void {
  n.status = status;
  n.reason = reason;
}

function linkChecks(s: DigestNode): void {
  const p = s.predecessor;
  const f = s.fields;
  if (!p || !f) return;
  const problems: string[] = [];
  if (p.fields) {
    if (f.previousDigestS3Bucket !== null && f.previousDigestS3Bucket !== p.fields.digestS3Bucket) {
      problems.push(`previousDigestS3Bucket ${f.previousDigestS3Bucket} differs from the previous digest's bucket ${p.fields.digestS3Bucket}`);
    }
    if (f.previousDigestS3Object !== p.fields.digestS3Object) {
      problems.push(`previousDigestS3Object differs from the previous digest's digestS3Object ${p.fields.digestS3Object}`);
    }
    if (f.digestStartTime !== p.fields.digestEndTime) {
      s.flags.set('window_irregular', `digestStartTime ${f.digestStartTime} differs from the previous digest's digestEndTime ${p.fields.digestEndTime}`);
    }
  }
  if (p.contentSha256 && (f.previousDigestHashValue ?? '').toLowerCase() !== p.contentSha256) {
    problems.push(`previousDigestHashValue ${f.previousDigestHashValue} is not the SHA-256 of the previous digest's content (${p.contentSha256})`);
  }
  if (f.previousDigestHashAlgorithm !== HASH_ALGORITHM) problems.push(`previousDigestHashAlgorithm is ${f.previousDigestHashAlgorithm}`);
  if (problems.length) {
    s.flags.set('link_mismatch', `link to ${p.key}: ${problems.join('; ')}`);
    p.flags.set('link_mismatch', `its successor ${s.key} does not match it: ${problems.join('; ')}`);
  }
}

export interface ChainOptions {
  start: number | null;
  end: number | null;
  expectedEnd: number | null;
  accounts: Set<string> | null;
  regions: Set<string> | null;
}

function chainSelected(c: ChainInfo, o: ChainOptions): boolean {
  if (o.accounts && !o.accounts.has(c.accountId)) return false;
  if (o.regions && !o.regions.has(c.region)) return false;
  return true;
}

function windowInRange(startMs: number, endMs: number, o: ChainOptions): boolean {
  if (o.start !== null && !Number.isNaN(endMs) && endMs < o.start) return false;
  if (o.end !== null && !Number.isNaN(startMs) && startMs > o.end) return false;
  return true;
}

/** A computed time, or null when there is none (NaN, or ±Infinity from min/max of nothing); never throws. */
const iso = (ms: number): string | null => (Number.isFinite(ms) ? isoUtc(ms) : null);

/** Segments, findings and the coverage timeline of every chain (§6.3 step 7, §6.4 chain findings). */
export function buildChains(g: DigestGraph, o: ChainOptions): ChainResult[] {
  for (const n of g.present) n.inRange = chainSelected(n.chain, o) && windowInRange(n.startMs, n.endMs, o);
  for (const m of g.misplaced) m.inRange = m.original.inRange;
  for (const m of g.missing) m.inRange = chainSelected(m.chain, o) && windowInRange(m.endMs - HOUR, m.endMs, o);

  const byChain = new Map<string, DigestNode[]>();
  for (const n of g.present) {
    const l = byChain.get(n.chain.id) ?? [];
    l.push(n);
    byChain.set(n.chain.id, l);
  }
  const results: ChainResult[] = [];
  for (const [id, nodes] of byChain) {
    const info = nodes[0].chain;
    // Segments: connected through predecessor links.
    const seg = new Map<DigestNode, DigestNode[]>();
    // Oldest ancestor of each node, memoised (chains of a year are ~9000 digests; cycles are cut).
    const rootMemo = new Map<DigestNode, DigestNode>();
    const rootOf = (n: DigestNode): DigestNode => {
      const path: DigestNode[] = [];
      const onPath = new Set<DigestNode>();
      let r = n;
      while (!rootMemo.has(r) && r.predecessor && r.predecessor.chain.id === id && !onPath.has(r.predecessor)) {
        path.push(r);
        onPath.add(r);
        r = r.predecessor;
      }
      const root = rootMemo.get(r) ?? r;
      rootMemo.set(r, root);
      for (const p of path) rootMemo.set(p, root);
      return root;
    };
    for (const n of nodes) {
      const r = rootOf(n);
      const l = seg.get(r) ?? [];
      l.push(n);
      seg.set(r, l);
    }
    const segments = [...seg.entries()]
      .map(([oldest, members]) => ({ oldest, members, heads: members.filter((m) => m.successors.filter((s) => s.chain.id === id).length === 0), end: Math.max(...members.map((m) => m.endMs).filter((x) => !Number.isNaN(x))) }))
      .sort((a, b) => (a.oldest.startMs || a.oldest.endMs) - (b.oldest.startMs || b.oldest.endMs));
    const findings: ChainFinding[] = [];
    const intervals: CoverageInterval[] = [];
    segments.forEach((s, i) => {
      for (const h of s.heads) h.flags.set('head', '');
      const older = i > 0 ? segments[i - 1] : null;
      const olderEnd = older ? older.end : NaN;
      const olderHeads = older ? older.heads.map((h) => h.key) : [];
      const oldest = s.oldest;
      if (oldest.flags.has('chain_start')) {
        if (older && oldest.startMs > olderEnd) {
          findings.push({
            kind: 'gap',
            chainId: id,
            start: iso(olderEnd),
            end: iso(oldest.startMs),
            message: `No log files were delivered by CloudTrail between ${iso(olderEnd)} and ${iso(oldest.startMs)}: the chain restarts (logging or validation stopped); no integrity coverage in between`,
            evidence: [...olderHeads, oldest.key],
          });
          intervals.push({ state: 'gap', start: iso(olderEnd) as string, end: iso(oldest.startMs) as string, digests: [] });
        }
      } else if (oldest.missingPred) {
        const m = oldest.missingPred;
        if (older) {
          const k = Math.max(1, Math.round((oldest.startMs - olderEnd) / HOUR));
          findings.push({
            kind: 'missing_link',
            chainId: id,
            start: iso(olderEnd),
            end: iso(oldest.startMs),
            message: `digest ${m.key} (previous of ${oldest.key}) is not in the evidence; about ${k} digest window(s) between ${iso(olderEnd)} and ${iso(oldest.startMs)} are unaccounted for (deleted, or not collected)`,
            evidence: [m.key, oldest.key, ...olderHeads],
            estimatedMissing: k,
          });
          intervals.push({ state: 'missing', start: iso(olderEnd) as string, end: iso(oldest.startMs) as string, digests: [m.key] });
        } else if (o.start !== null && m.endMs < o.start) {
          m.inRange = false; // before the requested start: outside the collection, not missing
        } else {
          m.inRange = false;
          findings.push({
            kind: 'orphan_segment',
            chainId: id,
            start: null,
            end: iso(oldest.startMs),
            message: `the evidence begins mid-chain: ${oldest.key} points to ${m.key}, which is not in the evidence (not collected, or deleted); give --start-time to declare where the collection begins`,
            evidence: [m.key, oldest.key],
          });
        }
      }
      const newer = i + 1 < segments.length ? segments[i + 1] : null;
      for (const h of s.heads) {
        if (h.status === 'unverifiable_no_signature' && (!newer || newer.oldest.flags.has('chain_start'))) {
          findings.push({
            kind: 'head_unverified',
            chainId: id,
            start: iso(h.startMs),
            end: iso(h.endMs),
            message: `${newer ? 'the last digest before a restart' : 'the newest digest'} ${h.key} has no saved signature (x-amz-meta-signature); its window is unauthenticated`,
            evidence: [h.key],
          });
        }
      }
    });
    const last = segments[segments.length - 1];
    if (o.expectedEnd !== null && last && last.end < o.expectedEnd - HOUR) {
      findings.push({
        kind: 'tail_uncovered',
        chainId: id,
        start: iso(last.end),
        end: iso(o.expectedEnd),
        message: `the newest digest ends at ${iso(last.end)}, more than 1 h before the expected end ${iso(o.expectedEnd)}: newer digests may have been deleted (not provable offline)`,
        evidence: last.heads.map((h) => h.key),
      });
      intervals.push({ state: 'tail_uncovered', start: iso(last.end) as string, end: iso(o.expectedEnd) as string, digests: [] });
    }
    for (const n of nodes) {
      if (!n.inRange || Number.isNaN(n.startMs) || Number.isNaN(n.endMs)) continue;
      const state: CoverageState = n.status === 'valid' ? 'verified' : 'unauthenticated';
      intervals.push({ state, start: isoUtc(n.startMs), end: isoUtc(n.endMs), digests: [n.key] });
    }
    const inRange = nodes.filter((n) => n.inRange);
    if (!chainSelected(info, o) || (inRange.length === 0 && !g.missing.some((m) => m.inRange && m.chain.id === id))) continue;
    const keep = (x: { start: string | null; end: string | null }) => windowInRange(msFromIso(x.start), msFromIso(x.end), o);
    const newestNode = [...nodes].sort((a, b) => b.endMs - a.endMs)[0];
    results.push({
      id,
      bucket: newestNode.bucket,
      prefix: info.prefix,
      orgId: info.orgId,
      accountId: info.accountId,
      region: info.region,
      homeRegion: info.homeRegion,
      trailName: info.trailName,
      kind: info.backfill ? 'backfill' : 'standard',
      digestCount: inRange.length,
      validCount: inRange.filter((n) => n.status === 'valid').length,
      startTime: iso(Math.min(...inRange.map((n) => n.startMs).filter((x) => !Number.isNaN(x)))),
      endTime: iso(Math.max(...inRange.map((n) => n.endMs).filter((x) => !Number.isNaN(x)))),
      heads: segments.flatMap((s) => s.heads.map((h) => h.key)),
      findings: findings.filter(keep),
      coverage: mergeIntervals(intervals.filter(keep)),
    });
  }
  results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return results;
}

function mergeIntervals(list: CoverageInterval[]): CoverageInterval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : 1));
  const out: CoverageInterval[] = [];
  for (const iv of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.state === iv.state && prev.end >= iv.start) {
      if (iv.end > prev.end) prev.end = iv.end;
      prev.digests.push(...iv.digests);
    } else {
      out.push({ ...iv, digests: [...iv.digests] });
    }
  }
  return out;
}

/** The reported form of a node. */
export function digestResult(n: DigestNode | MissingNode | MisplacedNode): DigestResult {
  if (n.kind === 'missing') {
    return {
      bucket: n.bucket,
      key: n.key,
      uri: s3Uri(n.bucket, n.key),
      files: [],
      chainId: n.chain.id,
      status: 'missing',
      flags: [],
      flagReasons: {},
      reason: `not found: named as previous digest by ${n.successors.map((s) => s.key).join(', ')}, absent from the evidence (deleted, or not collected)`,
      sigSource: null,
      fingerprint: null,
      startTime: null,
      endTime: iso(n.endMs),
      previousKey: null,
      contentSha256: null,
      logFileCount: 0,
      keyForm: null,
      metadataSources: [],
      notes: [],
    };
  }
  if (n.kind === 'misplaced') {
    const o = n.original;
    return {
      ...digestResult(o),
      bucket: n.bucket,
      key: n.key,
      uri: s3Uri(n.bucket, n.key),
      files: [ref(n.file)],
      flags: ['location_mismatch'],
      flagReasons: { location_mismatch: `has been moved from its original location: a copy of ${s3Uri(o.bucket, o.key)}` },
      reason: `has been moved from its original location: a copy of ${s3Uri(o.bucket, o.key)} (which is ${o.status}) found at another key (replayed or moved)`,
      notes: [],
    };
  }
  const flags = [...n.flags.keys()].sort();
  const flagReasons = Object.fromEntries([...n.flags].filter(([, v]) => v !== '')) as DigestResult['flagReasons'];
  const f = n.fields;
  return {
    bucket: n.bucket,
    key: n.key,
    uri: s3Uri(n.bucket, n.key),
    files: n.files.map(ref),
    chainId: n.chain.id,
    status: n.status,
    flags,
    flagReasons,
    reason: n.reason,
    sigSource: n.sigSource,
    fingerprint: f ? f.digestPublicKeyFingerprint.toLowerCase() : null,
    startTime: f ? f.digestStartTime : null,
    endTime: f ? f.digestEndTime : iso(n.endMs),
    previousKey: f ? f.previousDigestS3Object : null,
    contentSha256: n.contentSha256,
    logFileCount: f ? f.logFiles.length : 0,
    keyForm: n.keyForm,
    metadataSources: [...new Set(n.metadataSources)],
    notes: n.notes,
  };
}
