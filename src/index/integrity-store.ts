// The case-file side of `trailhound verify --db`: hashes recorded at ingest (reused unless the file bytes
// changed), the public-key lists and digest metadata recorded at ingest (used unless their bytes changed), and
// storing a VerifyReport with the trust of every ingested source file (migration 0002-integrity).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './open.js';

import type { InputWarning, KnownHash, LogResult, TrustLabel, VerifyReport } from '../model/integrity.js';

const TRUST_RANK: Record<TrustLabel, number> = { proven: 0, provisional: 1, unverified: 2 };

interface SourceRow {
  id: number;
  root: string;
  path: string;
  size: number;
  sha256: string;
  content_sha256: string | null;
  s3_key: string | null;
  duplicate_of: number | null;
  compression: string;
  trailing: string | null;
}

/** Evidence roots recorded at ingest (used when verify is given --db and no evidence path). */
export function ingestedRoots(db: Db): string[] {
  return (db.prepare("SELECT DISTINCT root FROM sources WHERE kind IN ('cloudtrail-log','cloudtrail-digest','cloudtrail-insight') ORDER BY root").pluck().all() as string[]);
}

/** A verify input (key list or digest metadata) that ingest recorded from the evidence. */
export interface RecordedInput {
  /** Absolute path of the file as ingested. */
  path: string;
  /** SHA-256 of the file bytes recorded at ingest. */
  sha256: string;
  /** The file at `path` still has that SHA-256 (false: changed, gone or unreadable). */
  present: boolean;
  /** SHA-256 of the file now; null when it cannot be read. */
  currentSha256: string | null;
}

export interface RecordedIntegrityInputs {
  publicKeys: RecordedInput[];
  digestMetadata: RecordedInput[];
}

function fileSha256(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * The public-key lists (`public-keys` sources) and digest metadata (`digest-metadata` sources) ingested into the
 * case, one entry per file path, each checked against the bytes on disk now. A path ingested more than once (its
 * bytes changed between ingests) is present when it matches any of its recorded hashes.
 */
export function recordedIntegrityInputs(db: Db): RecordedIntegrityInputs {
  const read = (kind: string): RecordedInput[] => {
    const rows = db
      .prepare("SELECT root, path, sha256 FROM sources WHERE kind = ? AND status IN ('done', 'duplicate') ORDER BY root, path, id")
      .all(kind) as Array<{ root: string; path: string; sha256: string }>;
    const byPath = new Map<string, string[]>();
    for (const r of rows) {
      const abs = path.resolve(r.root, r.path);
      byPath.set(abs, [...(byPath.get(abs) ?? []), r.sha256]);
    }
    return [...byPath].map(([abs, hashes]) => {
      const now = fileSha256(abs);
      const match = hashes.find((h) => h === now);
      return { path: abs, sha256: match ?? hashes[hashes.length - 1], present: match !== undefined, currentSha256: now };
    });
  };
  return { publicKeys: read('public-keys'), digestMetadata: read('digest-metadata') };
}

/** What `verify --db` (and triage) passes to the verifier, and what it says about where the inputs came from. */
export interface IntegrityInputChoice {
  publicKeys: string[];
  digestMetadata: string[];
  /** The recorded files used (empty for a kind given explicitly, or with useRecorded false). */
  recorded: { publicKeys: string[]; digestMetadata: string[] };
  /** Recorded files refused because their bytes changed since ingest or they are gone: one warning each. */
  warnings: InputWarning[];
}

const INPUT_LABEL = { publicKeys: ['public key list', '--public-keys'], digestMetadata: ['digest metadata file', '--digest-metadata'] } as const;

/**
 * The verify inputs: explicit files win, kind by kind; otherwise (with `useRecorded` and a case) the files recorded
 * at ingest whose bytes are unchanged. A recorded file that changed or is gone is never used: it gets a warning
 * naming it. Two recorded files with the same bytes are used once.
 */
export function chooseIntegrityInputs(
  db: Db | null,
  given: { publicKeys: readonly string[]; digestMetadata: readonly string[] },
  useRecorded: boolean,
): IntegrityInputChoice {
  const out: IntegrityInputChoice = {
    publicKeys: [...given.publicKeys],
    digestMetadata: [...given.digestMetadata],
    recorded: { publicKeys: [], digestMetadata: [] },
    warnings: [],
  };
  if (!db || !useRecorded) return out;
  const recorded = recordedIntegrityInputs(db);
  for (const kind of ['publicKeys', 'digestMetadata'] as const) {
    if (given[kind].length > 0) continue;
    const [label, option] = INPUT_LABEL[kind];
    const used = new Set<string>();
    for (const r of recorded[kind]) {
      if (!r.present) {
        const what = r.currentSha256 === null ? 'is gone or unreadable' : `has changed (SHA-256 now ${r.currentSha256}, ${r.sha256} at ingest)`;
        out.warnings.push({
          file: r.path,
          code: 'recorded_input_changed',
          message: `${label} recorded at ingest ${what}: not used; give it with ${option} to use it as it is now`,
        });
        continue;
      }
      if (used.has(r.sha256)) continue;
      used.add(r.sha256);
      out[kind].push(r.path);
      out.recorded[kind].push(r.path);
    }
  }
  return out;
}

/**
 * Decompressed-content hashes recorded at ingest, by absolute file path. The verifier re-hashes the file bytes
 * (cheap: compressed) and reuses the content hash only when they still equal `sha256`.
 */
export function loadKnownHashes(db: Db): Map<string, KnownHash> {
  const rows = db
    .prepare(
      `SELECT s.id, s.root, s.path, s.size, s.sha256, s.content_sha256, s.s3_key, s.duplicate_of, s.compression,
        (SELECT w.message FROM warnings w WHERE w.source_id = COALESCE(s.duplicate_of, s.id) AND w.code IN ('gzip_trailing_data', 'gzip_multiple_members') LIMIT 1) AS trailing
       FROM sources s WHERE s.content_sha256 IS NOT NULL AND s.status IN ('done', 'duplicate', 'skipped')`,
    )
    .all() as SourceRow[];
  const out = new Map<string, KnownHash>();
  for (const r of rows) {
    const n = r.trailing ? /(\d+) (?:zero )?bytes/.exec(r.trailing) : null;
    out.set(path.resolve(r.root, r.path), {
      size: r.size,
      fileSha256: r.sha256,
      contentSha256: r.content_sha256 as string,
      trailingBytes: r.trailing ? (n ? Number(n[1]) : 1) : 0,
      trailingNote: r.trailing,
      storedDecompressed: r.compression === 'none',
    });
  }
  return out;
}

function awsLogsPart(key: string | null): string | null {
  if (!key) return null;
  const i = key.startsWith('AWSLogs/') ? 0 : key.lastIndexOf('/AWSLogs/') + 1;
  return i < 0 ? null : key.slice(i);
}

/** Store a finished verification. Returns the run id. */
export function saveVerifyRun(db: Db, report: VerifyReport, opts: { args: string[]; toolVersion: string; startedAt: string }): number {
  const sources = db.prepare('SELECT id, root, path, content_sha256, s3_key, duplicate_of FROM sources').all() as Array<
    Pick<SourceRow, 'id' | 'root' | 'path' | 'content_sha256' | 's3_key' | 'duplicate_of'>
  >;
  const byPath = new Map<string, typeof sources>();
  const byKeyContent = new Map<string, typeof sources>();
  for (const s of sources) {
    const p = path.resolve(s.root, s.path);
    byPath.set(p, [...(byPath.get(p) ?? []), s]);
    const k = awsLogsPart(s.s3_key);
    if (k && s.content_sha256) {
      const id = `${k}\u0000${s.content_sha256}`;
      byKeyContent.set(id, [...(byKeyContent.get(id) ?? []), s]);
    }
  }
  const byId = new Map(sources.map((s) => [s.id, s]));
  // Best trust per source: the file verified at that path, or any copy with the same key and content.
  const trust = new Map<number, { rank: number; label: TrustLabel; status: string }>();
  const give = (sid: number, l: LogResult) => {
    const rank = TRUST_RANK[l.trust];
    const cur = trust.get(sid);
    if (!cur || rank < cur.rank) trust.set(sid, { rank, label: l.trust, status: l.status });
  };
  for (const l of report.logs) {
    if (!l.file) continue;
    const matched = [...(byPath.get(path.resolve(l.file.root, l.file.path)) ?? [])];
    const k = awsLogsPart(l.key);
    if (k && l.contentSha256 && l.trust !== 'unverified') matched.push(...(byKeyContent.get(`${k}\u0000${l.contentSha256}`) ?? []));
    for (const s of matched) {
      // A path match whose ingested content differs from what was verified says nothing about the ingested events.
      if (l.trust !== 'unverified' && s.content_sha256 !== l.contentSha256) continue;
      give(s.id, l);
      if (s.duplicate_of !== null && byId.get(s.duplicate_of)?.content_sha256 === s.content_sha256) give(s.duplicate_of, l);
    }
  }

  return db.transaction(() => {
    const runId = Number(
      db
        .prepare('INSERT INTO integrity_runs (started_at, finished_at, tool_version, arguments, exit_code, summary, inputs) VALUES (?,?,?,?,?,?,?)')
        .run(opts.startedAt, report.generatedAt, opts.toolVersion, JSON.stringify(opts.args), report.summary.exitCode, JSON.stringify(report.summary), JSON.stringify({ ...report.inputs, trustNotice: report.trustNotice, warnings: report.warnings }))
        .lastInsertRowid,
    );
    const insD = db.prepare(
      `INSERT INTO integrity_digests (run_id, bucket, s3_key, chain_id, status, flags, reason, sig_source, fingerprint, start_time, end_time, content_sha256, log_count, detail)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const d of report.digests) {
      insD.run(runId, d.bucket, d.key, d.chainId, d.status, d.flags.join(','), d.reason, d.sigSource, d.fingerprint, d.startTime, d.endTime, d.contentSha256, d.logFileCount,
        JSON.stringify({ files: d.files, flagReasons: d.flagReasons, notes: d.notes, previousKey: d.previousKey, keyForm: d.keyForm, metadataSources: d.metadataSources }));
    }
    const insL = db.prepare(
      `INSERT INTO integrity_logs (run_id, bucket, s3_key, root, path, status, trust, flags, reason, content_sha256, delivery_time, covered_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const l of report.logs) {
      insL.run(runId, l.bucket, l.key, l.file?.root ?? null, l.file?.path ?? null, l.status, l.trust, l.flags.join(','), l.reason, l.contentSha256, l.deliveryTime, JSON.stringify(l.coveredBy));
    }
    const insC = db.prepare(
      `INSERT INTO integrity_chains (run_id, chain_id, bucket, prefix, org_id, account_id, region, home_region, trail_name, kind, digest_count, valid_count, start_time, end_time)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const insF = db.prepare('INSERT INTO integrity_findings (run_id, chain_id, kind, start_time, end_time, message, evidence, estimated_missing) VALUES (?,?,?,?,?,?,?,?)');
    const insV = db.prepare('INSERT INTO integrity_coverage (run_id, chain_id, state, start_time, end_time) VALUES (?,?,?,?,?)');
    for (const c of report.chains) {
      insC.run(runId, c.id, c.bucket, c.prefix, c.orgId, c.accountId, c.region, c.homeRegion, c.trailName, c.kind, c.digestCount, c.validCount, c.startTime, c.endTime);
      for (const f of c.findings) insF.run(runId, c.id, f.kind, f.start, f.end, f.message, JSON.stringify(f.evidence), f.estimatedMissing ?? null);
      for (const v of c.coverage) insV.run(runId, c.id, v.state, v.start, v.end);
    }
    const insT = db.prepare('INSERT INTO integrity_source_trust (run_id, source_id, rank, trust, log_status) VALUES (?,?,?,?,?)');
    for (const [sid, t] of trust) insT.run(runId, sid, t.rank, t.label, t.status);
    return runId;
  })();
}
