// Counting results and deciding the exit code (0 proven, 3 integrity failure, 5 assurance gaps: EXIT in
// model/errors.ts, docs/exit-codes.md).

import { EXIT } from '../model/errors.js';
import { DIGEST_STATUSES, LOG_STATUSES } from '../model/integrity.js';
import type { ChainFindingKind, DigestResult, DigestStatus, LogResult, LogStatus, VerifyReport, VerifySummary } from '../model/integrity.js';

const DIGEST_FAILURE_STATUSES: ReadonlySet<DigestStatus> = new Set(['invalid_signature', 'invalid_format', 'unsupported_algorithm', 'missing']);
const DIGEST_FAILURE_FLAGS = new Set(['location_mismatch', 'link_mismatch', 'signature_conflict', 'trailing_data', 'evidence_conflict']);
const LOG_FAILURE_STATUSES: ReadonlySet<LogStatus> = new Set([
  'hash_mismatch',
  'hash_mismatch_unauthenticated',
  'trailing_data',
  'invalid_format',
  'missing',
  'coverage_conflict',
]);
const FAILURE_FINDINGS: ReadonlySet<ChainFindingKind> = new Set(['missing_link']);

/** 'failure' (exit 3), 'gap' (exit 5) or null (proven) for one digest result. */
export function digestSeverity(d: DigestResult): 'failure' | 'gap' | null {
  if (DIGEST_FAILURE_STATUSES.has(d.status) || d.flags.some((f) => DIGEST_FAILURE_FLAGS.has(f))) return 'failure';
  return d.status === 'valid' ? null : 'gap';
}

export function logSeverity(l: LogResult): 'failure' | 'gap' | null {
  if (LOG_FAILURE_STATUSES.has(l.status) || l.flags.includes('evidence_conflict')) return 'failure';
  return l.status === 'valid' ? null : 'gap';
}

function findingSeverity(kind: ChainFindingKind): 'failure' | 'gap' {
  return FAILURE_FINDINGS.has(kind) ? 'failure' : 'gap';
}

export function summarize(r: Omit<VerifyReport, 'summary'>, hashedBytes: number, reusedHashes: number): VerifySummary {
  const digests = Object.fromEntries(DIGEST_STATUSES.map((s) => [s, 0])) as VerifySummary['digests'];
  digests.total = 0;
  digests.backfill = 0;
  const logs = Object.fromEntries(LOG_STATUSES.map((s) => [s, 0])) as VerifySummary['logs'];
  logs.total = 0;
  const findings: Record<ChainFindingKind, number> = { gap: 0, missing_link: 0, tail_uncovered: 0, head_unverified: 0, orphan_segment: 0 };
  let failures = 0;
  let gaps = 0;
  const tally = (s: 'failure' | 'gap' | null) => {
    if (s === 'failure') failures++;
    else if (s === 'gap') gaps++;
  };
  for (const d of r.digests) {
    digests[d.status]++;
    digests.total++;
    if (d.flags.includes('backfill')) digests.backfill++;
    tally(digestSeverity(d));
  }
  for (const l of r.logs) {
    logs[l.status]++;
    logs.total++;
    tally(logSeverity(l));
  }
  for (const c of r.chains) {
    for (const f of c.findings) {
      findings[f.kind]++;
      tally(findingSeverity(f.kind));
    }
  }
  if (digests.total === 0) gaps++;
  const valid = r.digests.filter((d) => d.status === 'valid' && d.startTime && d.endTime);
  const from = valid.length ? valid.map((d) => d.startTime as string).sort()[0] : null;
  const to = valid.length ? valid.map((d) => d.endTime as string).sort()[valid.length - 1] : null;
  return {
    digests,
    logs,
    findings,
    chains: r.chains.length,
    otherFiles: r.otherFiles.length,
    failures,
    assuranceGaps: gaps,
    verifiedFrom: from,
    verifiedTo: to,
    hashedBytes,
    reusedHashes,
    exitCode: failures > 0 ? EXIT.integrityFailure : gaps > 0 ? EXIT.assuranceGaps : EXIT.ok,
  };
}
