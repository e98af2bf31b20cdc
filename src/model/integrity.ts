// The offline verifier's result model (spec shared/specs/cloudtrail-integrity.md §6.4) and the trust labels of
// events. Plain, serialisable values: src/integrity/ computes them, src/integrity/report.ts prints them and
// src/index/integrity-store.ts saves them (both import this one definition). Pure; imports nothing.

/** Primary status of a digest file (exactly one per digest). */
export type DigestStatus =
  | 'valid'
  | 'invalid_signature'
  | 'unverifiable_no_signature'
  | 'unverifiable_key_not_found'
  | 'key_load_error'
  | 'invalid_format'
  | 'unsupported_algorithm'
  | 'missing';

export const DIGEST_STATUSES: readonly DigestStatus[] = [
  'valid',
  'invalid_signature',
  'unverifiable_no_signature',
  'unverifiable_key_not_found',
  'key_load_error',
  'invalid_format',
  'unsupported_algorithm',
  'missing',
];

/** Flags a digest can carry next to its primary status. */
export type DigestFlag =
  | 'location_mismatch'
  | 'link_mismatch'
  | 'signature_conflict'
  | 'trailing_data'
  | 'stored_decompressed'
  | 'chain_start'
  | 'head'
  | 'backfill'
  | 'window_irregular'
  | 'key_outside_validity'
  | 'key_region_mismatch'
  | 'name_mismatch'
  | 'evidence_conflict';

/** Status of a log file. */
export type LogStatus =
  | 'valid'
  | 'valid_unauthenticated'
  | 'hash_mismatch'
  | 'hash_mismatch_unauthenticated'
  | 'trailing_data'
  | 'invalid_format'
  | 'missing'
  | 'not_covered'
  | 'coverage_conflict';

export const LOG_STATUSES: readonly LogStatus[] = [
  'valid',
  'valid_unauthenticated',
  'hash_mismatch',
  'hash_mismatch_unauthenticated',
  'trailing_data',
  'invalid_format',
  'missing',
  'not_covered',
  'coverage_conflict',
];

export type LogFlag = 'stored_decompressed' | 'evidence_conflict' | 'line_endings' | 'ingest_hash' | 'insight';

/** Trust label of an event, from the status of its log file. */
export type TrustLabel = 'proven' | 'provisional' | 'unverified';
export const TRUST_LABELS: readonly TrustLabel[] = ['proven', 'provisional', 'unverified'];

export type SignatureSource = 's3_metadata' | 'successor' | 'both';

export type ChainFindingKind = 'gap' | 'missing_link' | 'tail_uncovered' | 'head_unverified' | 'orphan_segment';

export type CoverageState = 'verified' | 'unauthenticated' | 'missing' | 'gap' | 'tail_uncovered';

/** A file of the evidence: which root it was found under and its path relative to that root (POSIX). */
export interface EvidenceFileRef {
  root: string;
  path: string;
}

export interface DigestResult {
  /** Bucket and key the digest signs for itself (digestS3Bucket/digestS3Object), or where it was found. */
  bucket: string | null;
  key: string;
  uri: string;
  /** Local copies (more than one when several roots hold the same key). Empty for `missing`. */
  files: EvidenceFileRef[];
  chainId: string;
  status: DigestStatus;
  flags: DigestFlag[];
  /** Why each flag was raised (flags such as head, chain_start and backfill have no reason). */
  flagReasons: Partial<Record<DigestFlag, string>>;
  /** Why the status is what it is; one line, no control characters. */
  reason: string;
  sigSource: SignatureSource | null;
  fingerprint: string | null;
  startTime: string | null;
  endTime: string | null;
  previousKey: string | null;
  /** SHA-256 of the decompressed digest bytes (line 3 of the signing string). */
  contentSha256: string | null;
  logFileCount: number;
  /** Key encoding that verified it: pkcs1 or spki. */
  keyForm: 'pkcs1' | 'spki' | null;
  /** Metadata sources that supplied a signature (file names). */
  metadataSources: string[];
  /** Secondary remarks (warnings that do not change the status). */
  notes: string[];
}

export interface LogCoverage {
  digestKey: string;
  digestStatus: DigestStatus;
  hashValue: string;
}

export interface LogResult {
  bucket: string | null;
  key: string;
  uri: string;
  /** The local file, null when `missing`. */
  file: EvidenceFileRef | null;
  status: LogStatus;
  flags: LogFlag[];
  reason: string;
  trust: TrustLabel;
  /** SHA-256 of the decompressed first gzip member as found (null when unreadable or missing). */
  contentSha256: string | null;
  coveredBy: LogCoverage[];
  /** Delivery time from the file name, ISO. */
  deliveryTime: string | null;
}

export interface ChainFinding {
  kind: ChainFindingKind;
  chainId: string;
  start: string | null;
  end: string | null;
  message: string;
  /** Digest keys the finding is about. */
  evidence: string[];
  /** missing_link: estimated number of deleted windows (time difference / 1 h). */
  estimatedMissing?: number;
}

export interface CoverageInterval {
  state: CoverageState;
  start: string;
  end: string;
  /** Digest keys behind the interval (empty for gap / tail). */
  digests: string[];
}

/** Which digest chain: one trail's digests for one account and delivering region. */
export interface ChainIdentity {
  id: string;
  prefix: string;
  orgId: string | null;
  accountId: string;
  region: string;
  homeRegion: string | null;
  trailName: string | null;
}

export interface ChainResult extends ChainIdentity {
  bucket: string | null;
  kind: 'standard' | 'backfill';
  digestCount: number;
  validCount: number;
  startTime: string | null;
  endTime: string | null;
  heads: string[];
  findings: ChainFinding[];
  coverage: CoverageInterval[];
}

/** A problem with an input (key list, metadata file, evidence path), reported and skipped. */
export interface InputWarning {
  file: string;
  code: string;
  message: string;
}

export interface KeyFileInfo {
  file: string;
  sha256: string;
  region: string | null;
  keys: Array<{ fingerprint: string; form: 'pkcs1' | 'spki' | null; validityStart: string | null; validityEnd: string | null; error: string | null }>;
}

export interface VerifySummary {
  digests: Record<DigestStatus, number> & { total: number; backfill: number };
  logs: Record<LogStatus, number> & { total: number };
  findings: Record<ChainFindingKind, number>;
  chains: number;
  otherFiles: number;
  failures: number;
  assuranceGaps: number;
  /** Earliest and latest verified digest window. */
  verifiedFrom: string | null;
  verifiedTo: string | null;
  /** Bytes of decompressed log content hashed in this run (not counting reused ingest hashes). */
  hashedBytes: number;
  reusedHashes: number;
  exitCode: number;
}

export interface VerifyReport {
  tool: string;
  generatedAt: string;
  inputs: {
    evidence: Array<{ root: string; bucket: string | null }>;
    keyFiles: KeyFileInfo[];
    metadataFiles: string[];
    startTime: string | null;
    endTime: string | null;
    expectedEnd: string | null;
    account: string[];
    region: string[];
  };
  /** The key list is unsigned: say so in every report (spec §4.6). */
  trustNotice: string;
  digests: DigestResult[];
  logs: LogResult[];
  chains: ChainResult[];
  otherFiles: EvidenceFileRef[];
  warnings: InputWarning[];
  summary: VerifySummary;
}

/** What the case file recorded at ingest for one evidence file (src/index/integrity-store.ts supplies it). */
export interface KnownHash {
  /** File size at ingest: the recorded hash is reused only for a file of the same size. */
  size: number;
  fileSha256: string;
  contentSha256: string;
  /** Bytes after the first gzip member as seen at ingest; null when ingest did not record it. */
  trailingBytes: number | null;
  /** Ingest's warning about the trailing bytes, when there was one. */
  trailingNote?: string | null;
  storedDecompressed: boolean;
}
