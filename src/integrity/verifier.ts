// Offline verification of CloudTrail digest chains (spec §6.3), pure of the case file:
//   provider (evidence.ts, keys.ts, metadata.ts) → digests parsed and linked (traverser.ts) → signatures
//   checked (signature.ts) → logs hashed (hash-pool.ts) and matched → VerifyReport.
// Problems are values in the report, never exceptions; only programming errors throw.

import fs from 'node:fs';
import path from 'node:path';
import { blankResult } from './content-hash.js';
import type { ContentHashResult, HashJob } from './content-hash.js';
import { hashFiles } from './hash-pool.js';
import { parseDigestBytes } from './digest-parse.js';
import { learnRoots, localLocation, ref, resolveLocation, scanEvidence } from './evidence.js';
import type { EvidenceFile, EvidenceIndex } from './evidence.js';
import { loadKeyFiles } from './keys.js';
import type { KeyRing } from './keys.js';
import { isoUtc, isoUtcSeconds, msFromIso } from '../model/time.js';
import { parseLogName, s3Uri, sidecarTarget } from './layout.js';
import { addMetadataFile, emptyMetadataIndex, loadMetadataSources } from './metadata.js';
import type { MetadataIndex } from './metadata.js';
import { buildChains, buildDigestNodes, checkSignatures, digestResult } from './traverser.js';
import type { DigestNode } from './traverser.js';
import { summarize } from './summary.js';
import type { InputWarning, KnownHash, LogFlag, LogResult, LogStatus, TrustLabel, VerifyReport } from '../model/integrity.js';

export interface VerifyOptions {
  evidence: readonly string[];
  bucket?: string | null;
  publicKeys?: readonly string[];
  digestMetadata?: readonly string[];
  /** Warnings about the inputs found before verifying (recorded inputs refused, index/integrity-store.ts): reported first. */
  inputWarnings?: readonly InputWarning[];
  startTime?: number | null;
  endTime?: number | null;
  expectedEnd?: number | null;
  accounts?: readonly string[];
  regions?: readonly string[];
  /** Hash worker threads; 0 hashes in-process. Default: one per core. */
  workers?: number;
  streamThreshold?: number;
  /**
   * Hashes recorded at ingest, by absolute file path. They are what the case's events were parsed from, so they
   * are reused for files of the same size without reading them; other files are hashed.
   */
  knownHashes?: (absPath: string) => KnownHash | undefined;
  /** With knownHashes: first re-hash each file's bytes and reuse only when they equal the SHA-256 recorded at ingest. */
  checkFileBytes?: boolean;
  now?: Date;
  toolVersion?: string;
  onProgress?: (message: string) => void;
}

const TRUST_NOTICE =
  'The public key lists are unsigned: every "valid" result assumes they are genuine CloudTrail keys for their regions ' +
  '(chain of custody; compare their SHA-256 with independently captured lists).';

export async function verify(opts: VerifyOptions): Promise<VerifyReport> {
  const progress = opts.onProgress ?? (() => undefined);
  const evidence = scanEvidence(opts.evidence, opts.bucket ?? null);
  const keys: KeyRing = loadKeyFiles(opts.publicKeys ?? []);
  const meta: MetadataIndex = loadMetadataSources(opts.digestMetadata ?? [], emptyMetadataIndex());
  progress(`found ${evidence.files.length} files under ${evidence.roots.length} evidence path(s)`);
  const range = {
    start: opts.startTime ?? null,
    end: opts.endTime ?? null,
    accounts: opts.accounts && opts.accounts.length ? new Set(opts.accounts) : null,
    regions: opts.regions && opts.regions.length ? new Set(opts.regions) : null,
  };
  // Start hashing the log files in range now, in the workers, while this thread reads the digests.
  const early = hashEvidenceFiles(
    evidence.files.filter((f) => f.cls === 'log' && logInRange(f, range)),
    opts,
  );

  // 1. Parse digests and learn the roots' shape from the digests' own locations.
  const digestFiles = evidence.files.filter((f) => f.cls === 'digest');
  const parsed = digestFiles.map((f) => {
    let bytes: Buffer | null = null;
    let readError: string | null = null;
    try {
      bytes = fs.readFileSync(f.abs);
    } catch (err) {
      readError = `cannot read: ${(err as Error).message}`;
    }
    const p = bytes ? parseDigestBytes(bytes) : { fields: null, error: readError, contentSha256: null, trailingBytes: 0, storedDecompressed: false, hasCR: false };
    return { file: f, parsed: p };
  });
  learnRoots(parsed.flatMap(({ file, parsed: p }) => (p.fields ? [{ file, bucket: p.fields.digestS3Bucket, key: p.fields.digestS3Object }] : [])));
  addSidecars(evidence, meta);

  const nodes = buildDigestNodes(evidence, parsed);
  checkSignatures(nodes.present, keys, meta);
  for (const e of meta.entries) {
    if (!e.used) {
      meta.warnings.push({
        file: e.source,
        code: 'metadata_unmatched',
        message: `metadata for ${e.key ? s3Uri(e.bucket, e.key) : e.baseName} matches no digest file in the evidence`,
      });
    }
  }

  const chains = buildChains(nodes, { ...range, expectedEnd: opts.expectedEnd ?? null });

  // 2. Logs: every location listed by any digest, and every log file no digest lists.
  const logs = await verifyLogs(evidence, nodes.present, range, opts, progress, early);

  const digests = [...nodes.present.filter((n) => n.inRange).map(digestResult), ...nodes.misplaced.filter((n) => n.inRange).map(digestResult), ...nodes.missing.filter((m) => m.inRange).map(digestResult)];
  digests.sort((a, b) => (a.chainId + (a.endTime ?? '') + a.key < b.chainId + (b.endTime ?? '') + b.key ? -1 : 1));
  const otherFiles = evidence.files.filter((f) => f.cls === 'other').map(ref);

  const report: VerifyReport = {
    tool: `trailhound ${opts.toolVersion ?? ''}`.trim(),
    generatedAt: isoUtcSeconds((opts.now ?? new Date()).getTime()),
    inputs: {
      evidence: evidence.roots.map((r) => ({ root: r.root, bucket: r.bucket })),
      keyFiles: keys.files,
      metadataFiles: meta.files,
      startTime: range.start === null ? null : isoUtc(range.start),
      endTime: range.end === null ? null : isoUtc(range.end),
      expectedEnd: opts.expectedEnd == null ? null : isoUtc(opts.expectedEnd),
      account: [...(opts.accounts ?? [])],
      region: [...(opts.regions ?? [])],
    },
    trustNotice: TRUST_NOTICE,
    digests,
    logs: logs.results,
    chains,
    otherFiles,
    warnings: [...(opts.inputWarnings ?? []), ...evidence.warnings, ...keys.warnings, ...meta.warnings],
    summary: undefined as unknown as VerifyReport['summary'],
  };
  report.summary = summarize(report, logs.hashedBytes, logs.reused);
  return report;
}

/** Sidecars found in the evidence (`<digest>.metadata.json` beside the digest). */
function addSidecars(evidence: EvidenceIndex, meta: MetadataIndex): void {
  for (const f of evidence.files) {
    if (f.cls !== 'metadata') continue;
    const target = sidecarTarget(path.posix.basename(f.path));
    if (!target) continue;
    const dir = path.posix.dirname(f.path);
    const targetRel = dir === '.' ? target : `${dir}/${target}`;
    const loc = localLocation({ ...f, path: targetRel });
    let text: string;
    try {
      text = fs.readFileSync(f.abs, 'utf8');
    } catch (err) {
      meta.warnings.push({ file: f.abs, code: 'metadata_unreadable', message: `cannot read digest metadata: ${(err as Error).message}` });
      continue;
    }
    addMetadataFile(meta, text, f.abs, loc);
  }
}

interface Range {
  start: number | null;
  end: number | null;
  accounts: Set<string> | null;
  regions: Set<string> | null;
}

interface Listing {
  bucket: string;
  key: string;
  entries: Array<{ node: DigestNode; hashValue: string }>;
}

interface HashBatch {
  hashes: Map<EvidenceFile, ContentHashResult>;
  stats: { hashedBytes: number; reused: number };
  /** Resolves when every file of the batch is in `hashes`. */
  done: Promise<void>;
}

/**
 * Hash files in the worker pool; files with a hash recorded at ingest (same size) are not read at all, and
 * with checkFileBytes they are reused only when their bytes are unchanged.
 */
function hashEvidenceFiles(files: readonly EvidenceFile[], opts: VerifyOptions): HashBatch {
  const batch: HashBatch = { hashes: new Map(), stats: { hashedBytes: 0, reused: 0 }, done: Promise.resolve() };
  const known = new Map<EvidenceFile, KnownHash>();
  const jobs: HashJob[] = [];
  const jobFiles: EvidenceFile[] = [];
  const reuse = (f: EvidenceFile, k: KnownHash, r: ContentHashResult) => {
    batch.stats.reused++;
    const note = k.trailingNote ?? '';
    batch.hashes.set(f, {
      ...r,
      reused: true,
      contentSha256: k.contentSha256,
      contentLength: 0,
      trailingBytes: k.trailingBytes ?? 0,
      trailingIsMember: /second gzip member/.test(note),
      trailingIsZeros: /zero bytes/.test(note),
      storedDecompressed: k.storedDecompressed,
    });
  };
  for (const f of files) {
    const k = opts.knownHashes?.(f.abs);
    if (k && !opts.checkFileBytes && k.size === f.size) {
      reuse(f, k, blankResult(f.abs, f.size));
      continue;
    }
    if (k && opts.checkFileBytes) known.set(f, k);
    jobs.push({ file: f.abs, expectFileSha256: k && opts.checkFileBytes ? k.fileSha256 : undefined });
    jobFiles.push(f);
  }
  if (jobs.length === 0) return batch;
  batch.done = hashFiles(jobs, { workers: opts.workers, streamThreshold: opts.streamThreshold }).then((outcome) => {
    outcome.results.forEach((r, i) => {
      const f = jobFiles[i];
      const k = known.get(f);
      if (r.reused && k) reuse(f, k, r);
      else {
        batch.stats.hashedBytes += r.contentLength;
        batch.hashes.set(f, r);
      }
    });
  });
  batch.done.catch(() => undefined); // awaited (and rethrown) later; do not report it as unhandled meanwhile
  return batch;
}

async function verifyLogs(
  evidence: EvidenceIndex,
  present: DigestNode[],
  range: Range,
  opts: VerifyOptions,
  progress: (m: string) => void,
  early: HashBatch,
): Promise<{ results: LogResult[]; hashedBytes: number; reused: number }> {
  const listings = new Map<string, Listing>();
  for (const n of present) {
    if (!n.fields) continue;
    for (const lf of n.fields.logFiles) {
      const id = `${lf.s3Bucket}\u0000${lf.s3Object}`;
      let l = listings.get(id);
      if (!l) {
        l = { bucket: lf.s3Bucket, key: lf.s3Object, entries: [] };
        listings.set(id, l);
      }
      if (!l.entries.some((e) => e.node === n)) l.entries.push({ node: n, hashValue: lf.hashValue });
    }
  }
  const covered = new Set<EvidenceFile>();
  const listed: Array<{ listing: Listing; files: EvidenceFile[] }> = [];
  for (const l of listings.values()) {
    const files = resolveLocation(evidence, l.bucket, l.key);
    for (const f of files) covered.add(f);
    if (l.entries.some((e) => e.node.inRange)) listed.push({ listing: l, files });
  }
  const uncovered = evidence.files.filter((f) => f.cls === 'log' && !covered.has(f) && logInRange(f, range));

  const needed = [...new Set([...listed.flatMap((x) => x.files), ...uncovered])];
  await early.done;
  const late = hashEvidenceFiles(
    needed.filter((f) => !early.hashes.has(f)),
    opts,
  );
  await late.done;
  const hashes = new Map([...early.hashes, ...late.hashes]);
  const hashedBytes = early.stats.hashedBytes + late.stats.hashedBytes;
  const reused = early.stats.reused + late.stats.reused;
  progress(`hashed ${hashedBytes} bytes of log content; ${reused} hashes reused from the case`);

  const results: LogResult[] = [];
  for (const { listing, files: fs2 } of listed) {
    const coveredBy = listing.entries.map((e) => ({ digestKey: e.node.key, digestStatus: e.node.status, hashValue: e.hashValue.toLowerCase() }));
    const delivery = parseLogName(path.posix.basename(listing.key))?.deliveryTime ?? null;
    if (fs2.length === 0) {
      results.push({
        bucket: listing.bucket,
        key: listing.key,
        uri: s3Uri(listing.bucket, listing.key),
        file: null,
        status: 'missing',
        flags: [],
        reason: `listed by ${describeCover(listing)}; not in the evidence (deleted, or not collected)`,
        trust: 'unverified',
        contentSha256: null,
        coveredBy,
        deliveryTime: delivery,
      });
      continue;
    }
    const distinctContent = new Set(fs2.map((f) => hashes.get(f)?.contentSha256 ?? 'x'));
    for (const f of fs2) {
      const h = hashes.get(f) as ContentHashResult;
      const r = judgeLog(listing, h, coveredBy);
      if (distinctContent.size > 1) {
        r.flags.push('evidence_conflict');
        r.reason += `; the evidence holds ${fs2.length} different copies of this key`;
      }
      if (f.parsed?.folder === 'CloudTrail-Insight') r.flags.push('insight');
      results.push({ bucket: listing.bucket, key: listing.key, uri: s3Uri(listing.bucket, listing.key), file: ref(f), ...r, trust: trustOf(r.status), deliveryTime: delivery });
    }
  }
  for (const f of uncovered) {
    const h = hashes.get(f) as ContentHashResult;
    const loc = localLocation(f);
    const flags: LogFlag[] = [];
    if (h.storedDecompressed) flags.push('stored_decompressed');
    if (h.reused) flags.push('ingest_hash');
    const insight = f.parsed?.folder === 'CloudTrail-Insight';
    if (insight) flags.push('insight');
    results.push({
      bucket: loc.bucket,
      key: loc.key,
      uri: s3Uri(loc.bucket, loc.key),
      file: ref(f),
      status: 'not_covered',
      flags,
      reason: insight
        ? 'listed by no digest (whether digests cover CloudTrail-Insight files is not documented); no integrity attestation'
        : 'listed by no digest: delivered during a gap, covered by a missing digest, injected, or the covering digest was not collected',
      trust: 'unverified',
      contentSha256: h.contentSha256,
      coveredBy: [],
      deliveryTime: f.parsed ? (parseLogName(f.parsed.fileName)?.deliveryTime ?? null) : null,
    });
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { results, hashedBytes, reused };
}

function describeCover(l: Listing): string {
  return l.entries.map((e) => `digest ${e.node.key} (${e.node.status})`).join(', ');
}

function logInRange(f: EvidenceFile, range: Range): boolean {
  if (range.accounts && f.parsed && !range.accounts.has(f.parsed.accountId)) return false;
  if (range.regions && f.parsed && !range.regions.has(f.parsed.region)) return false;
  if (range.start === null && range.end === null) return true;
  const t = msFromIso(f.parsed ? parseLogName(f.parsed.fileName)?.deliveryTime : null);
  if (Number.isNaN(t)) return true;
  if (range.start !== null && t < range.start) return false;
  if (range.end !== null && t > range.end) return false;
  return true;
}

function judgeLog(
  listing: Listing,
  h: ContentHashResult,
  coveredBy: LogResult['coveredBy'],
): { status: LogStatus; flags: LogFlag[]; reason: string; contentSha256: string | null; coveredBy: LogResult['coveredBy'] } {
  const flags: LogFlag[] = [];
  if (h.storedDecompressed) flags.push('stored_decompressed');
  if (h.reused) flags.push('ingest_hash');
  const base = { flags, contentSha256: h.contentSha256, coveredBy };
  if (h.error || !h.contentSha256) return { ...base, status: 'invalid_format', reason: h.error ?? 'unreadable' };
  const distinct = new Set(listing.entries.map((e) => e.hashValue.toLowerCase()));
  if (distinct.size > 1) {
    return { ...base, status: 'coverage_conflict', reason: `digests list different hashes for this file: ${listing.entries.map((e) => `${e.hashValue} in ${e.node.key}`).join(', ')}` };
  }
  const expected = [...distinct][0];
  const match = expected === h.contentSha256;
  const validCover = listing.entries.filter((e) => e.node.status === 'valid');
  const stored = h.storedDecompressed ? ' (stored decompressed: the file is not gzip; its bytes were hashed as they are)' : '';
  if (!match) {
    if (h.hasCR) flags.push('line_endings');
    const crlf = h.hasCR ? '; the content contains CR bytes: line-ending conversion (for example by a Windows copy tool) is a likely cause' : '';
    if (validCover.length) {
      return { ...base, status: 'hash_mismatch', reason: `hash value doesn't match: SHA-256 of the decompressed content is ${h.contentSha256}, verified digest ${validCover[0].node.key} lists ${expected}: modified after delivery${crlf}${stored}` };
    }
    return { ...base, status: 'hash_mismatch_unauthenticated', reason: `hash value doesn't match: content ${h.contentSha256}, listed ${expected} by unverifiable digest(s) only${crlf}${stored}` };
  }
  if (h.trailingBytes > 0) {
    const what = h.trailingIsMember ? 'a second gzip member' : h.trailingIsZeros ? 'zero padding' : 'non-gzip bytes';
    return { ...base, status: 'trailing_data', reason: `unexpected data after end of compressed stream: ${h.trailingBytes} bytes (${what}) follow the first gzip member, whose hash matches` };
  }
  if (validCover.length) return { ...base, status: 'valid', reason: `hash matches verified digest ${validCover[0].node.key}${stored}` };
  return { ...base, status: 'valid_unauthenticated', reason: `hash matches, but no covering digest is verified (${listing.entries.map((e) => e.node.status).join(', ')})${stored}` };
}

function trustOf(status: LogStatus): TrustLabel {
  return status === 'valid' ? 'proven' : status === 'valid_unauthenticated' ? 'provisional' : 'unverified';
}
