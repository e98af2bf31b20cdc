// Renderers for a VerifyReport (pure): greppable text, aws-cli-compatible text, JSON (docs/integrity.md).
// Text lines: `<kind>\t<s3 uri or chain>\t<STATUS>: <reason>`, one per problem. Every value that comes from the
// evidence is escaped (model/escape.ts: C0, DEL, C1, bidi controls; tabs too, as they separate fields) so control
// characters never reach the terminal. The JSON report is report/json.ts's renderJson of the VerifyReport itself.

import { escapeControl } from '../model/escape.js';
import { EXIT } from '../model/errors.js';
import { digestSeverity, logSeverity } from './summary.js';
import type { ChainResult, DigestFlag, DigestResult, LogResult, VerifyReport } from '../model/integrity.js';

const FAILURE_FLAGS: readonly DigestFlag[] = ['location_mismatch', 'link_mismatch', 'signature_conflict', 'trailing_data', 'evidence_conflict'];
const WARNING_FLAGS: readonly DigestFlag[] = ['window_irregular', 'key_outside_validity', 'key_region_mismatch', 'name_mismatch', 'stored_decompressed'];

function digestKind(d: DigestResult): string {
  return d.flags.includes('backfill') ? 'Backfill digest file' : 'Digest file';
}

function line(kind: string, where: string, status: string, reason: string): string {
  return `${kind}\t${escapeControl(where)}\t${status.toUpperCase()}: ${escapeControl(reason)}`;
}

/** The problem lines: digests, logs (valid_unauthenticated logs are counted, not listed), chain findings. */
function problemLines(r: VerifyReport, opts: { warnings?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const d of r.digests) {
    if (d.status !== 'valid') out.push(line(digestKind(d), d.uri, d.status, d.reason));
    for (const f of FAILURE_FLAGS) if (d.flags.includes(f)) out.push(line(digestKind(d), d.uri, f, d.flagReasons[f] ?? f));
    if (opts.warnings !== false) for (const f of WARNING_FLAGS) if (d.flags.includes(f)) out.push(line(digestKind(d), d.uri, f, d.flagReasons[f] ?? f));
  }
  for (const l of r.logs) {
    if (l.status !== 'valid' && l.status !== 'valid_unauthenticated') out.push(line('Log file', l.uri, l.status, l.reason));
    else if (l.flags.includes('evidence_conflict')) out.push(line('Log file', l.uri, 'evidence_conflict', l.reason));
  }
  for (const c of r.chains) for (const f of c.findings) out.push(line('Chain', c.id, f.kind, f.message));
  return out;
}

function counts(rec: Record<string, number>, skip: string[] = ['total', 'backfill']): string {
  const parts = Object.entries(rec)
    .filter(([k, v]) => v > 0 && !skip.includes(k))
    .map(([k, v]) => `${v} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

export function verdict(r: VerifyReport): string {
  const s = r.summary;
  if (s.exitCode === EXIT.ok) return 'PROVEN: every digest and log file in range verified; no gaps';
  if (s.exitCode === EXIT.integrityFailure) return `INTEGRITY FAILURE: ${s.failures} failure(s)${s.assuranceGaps ? `, ${s.assuranceGaps} assurance gap(s)` : ''}`;
  if (s.digests.total === 0) return 'NOT VERIFIED: no digest files found';
  return `ASSURANCE GAPS: no failure, but ${s.assuranceGaps} gap(s) in assurance`;
}

function coverageLine(c: ChainResult): string {
  if (!c.coverage.length) return 'no windows';
  return c.coverage.map((iv) => `${iv.state} ${iv.start} → ${iv.end}`).join('; ');
}

export function renderText(r: VerifyReport): string {
  const out = problemLines(r);
  const s = r.summary;
  if (out.length) out.push('');
  out.push(`Summary: ${verdict(r)}`);
  out.push(`  Digest files: ${s.digests.total}${s.digests.backfill ? ` (${s.digests.backfill} backfill)` : ''}: ${counts(s.digests)}`);
  out.push(`  Log files: ${s.logs.total}: ${counts(s.logs)}`);
  out.push(`  Chain findings: ${counts(s.findings)}`);
  out.push(`  Verified windows: ${s.verifiedFrom ? `${s.verifiedFrom} → ${s.verifiedTo}` : 'none'}`);
  for (const c of r.chains) {
    out.push(`  Chain ${escapeControl(c.id)}${c.kind === 'backfill' ? ' (backfill)' : ''}: ${c.validCount}/${c.digestCount} digests valid; ${escapeControl(coverageLine(c))}`);
  }
  if (s.otherFiles) out.push(`  Other files (not verified): ${s.otherFiles}`);
  if (r.inputs.keyFiles.length) {
    for (const k of r.inputs.keyFiles) out.push(`  Key list ${escapeControl(k.file)} (${escapeControl(k.region ?? 'region unknown')}): sha256 ${k.sha256}, ${k.keys.length} key(s)`);
  } else {
    out.push('  Key lists: none given (--public-keys): signatures cannot be checked');
  }
  out.push(`  Note: ${r.trustNotice}`);
  out.push(`  Hashed ${(s.hashedBytes / 1e6).toFixed(1)} MB of log content${s.reusedHashes ? `; reused ${s.reusedHashes} hash(es) recorded at ingest` : ''}`);
  out.push(`  Exit status: ${s.exitCode}`);
  return `${out.join('\n')}\n`;
}

// ---- aws-cli compatible output (spec §5.8) ----

function awsDigestReason(d: DigestResult): string | null {
  if (d.flags.includes('location_mismatch') && d.status !== 'missing') return 'has been moved from its original location';
  switch (d.status) {
    case 'valid':
      return null;
    case 'invalid_signature':
      return 'signature verification failed';
    case 'invalid_format':
      return 'invalid format';
    case 'missing':
      return 'not found';
    default:
      // unverifiable_* and key_load_error (aws-cli prints these as INVALID; offline they are gaps, never
      // failures) and unsupported_algorithm (aws-cli does not check it) use trailhound's own line.
      return null;
  }
}

function awsLogReason(l: LogResult): string | null {
  switch (l.status) {
    case 'hash_mismatch':
    case 'hash_mismatch_unauthenticated':
      return "hash value doesn't match";
    case 'trailing_data':
      return 'unexpected data after end of compressed stream';
    case 'invalid_format':
      return 'invalid format';
    case 'missing':
      return 'not found';
    default:
      return null;
  }
}

/**
 * aws-cli's lines for the statuses it has; trailhound's own line for the rest (unverifiable, not_covered...).
 * Returns stdout and stderr separately, as aws-cli prints errors to stderr.
 */
export function renderAwsCli(r: VerifyReport, opts: { verbose?: boolean } = {}): { stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const requestedStart = r.inputs.startTime ?? r.digests.map((d) => d.startTime).filter((x): x is string => !!x).sort()[0] ?? r.generatedAt;
  const requestedEnd = r.inputs.endTime ?? r.generatedAt;
  const headers = new Set<string>();
  for (const c of r.chains) {
    if (c.kind !== 'backfill') headers.add(`Validating log files for trail arn:aws:cloudtrail:${escapeControl(c.homeRegion ?? '?')}:${escapeControl(c.accountId)}:trail/${escapeControl(c.trailName ?? '?')} between ${requestedStart} and ${requestedEnd}`);
  }
  for (const h of headers) out.push(h, '');
  for (const d of r.digests) {
    const prefix = d.flags.includes('backfill') ? '(backfill) ' : '';
    const reason = awsDigestReason(d);
    if (reason) err.push(`${prefix}Digest file\t${escapeControl(d.uri)}\tINVALID: ${escapeControl(reason)}`, '');
    else if (d.status === 'valid') {
      if (opts.verbose) out.push(`${prefix}Digest file\t${escapeControl(d.uri)}\tvalid`);
    } else err.push(line(`${prefix}Digest file`, d.uri, d.status, d.reason), '');
  }
  for (const l of r.logs) {
    const reason = awsLogReason(l);
    if (reason) err.push(`Log file\t${escapeControl(l.uri)}\tINVALID: ${reason}`, '');
    else if (l.status === 'valid') {
      if (opts.verbose) out.push(`Log file\t${escapeControl(l.uri)}\tvalid`);
    } else if (l.status !== 'valid_unauthenticated') err.push(line('Log file', l.uri, l.status, l.reason), '');
  }
  for (const c of r.chains) {
    for (const f of c.findings) {
      if (f.kind === 'gap') err.push(`${c.kind === 'backfill' ? '(backfill) ' : ''}No log files were delivered by CloudTrail between ${f.start} and ${f.end}`, '');
      else if (f.kind !== 'missing_link') err.push(line('Chain', c.id, f.kind, f.message), '');
    }
  }
  out.push(`Results requested for ${requestedStart} to ${requestedEnd}`);
  const std = r.digests.filter((d) => !d.flags.includes('backfill'));
  const bf = r.digests.filter((d) => d.flags.includes('backfill'));
  if (r.digests.length === 0) {
    out.push('No digests found');
  } else {
    const valid = r.digests.filter((d) => d.status === 'valid');
    if (valid.length === 0) out.push('No valid digests found in range');
    else {
      const minStart = valid.map((d) => d.startTime as string).sort()[0];
      const maxEnd = valid.map((d) => d.endTime as string).sort()[valid.length - 1];
      const from = r.inputs.startTime && r.inputs.startTime > minStart ? r.inputs.startTime : minStart;
      const to = r.inputs.endTime && r.inputs.endTime < maxEnd ? r.inputs.endTime : maxEnd;
      out.push(`Results found for ${from} to ${to}:`);
    }
    const block = (list: Array<{ status: string }>, what: string, bad: (x: never) => boolean) => {
      if (!list.length) return;
      const v = list.filter((x) => x.status === 'valid').length;
      const i = list.filter((x) => bad(x as never)).length;
      out.push('', `${v}/${list.length} ${what} valid${i ? `, ${i}/${list.length} ${what} INVALID` : ''}`);
    };
    block(std, 'digest files', (d: DigestResult) => digestSeverity(d) === 'failure' || awsDigestReason(d) !== null);
    block(bf, 'backfill digest files', (d: DigestResult) => digestSeverity(d) === 'failure' || awsDigestReason(d) !== null);
    block(r.logs, 'log files', (l: LogResult) => logSeverity(l) === 'failure');
  }
  out.push('');
  return { stdout: `${out.join('\n')}\n`, stderr: err.length ? `${err.join('\n')}\n` : '' };
}
