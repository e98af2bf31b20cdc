// `trailhound triage`: from evidence (or an existing case) to one report. Ingests what is new, verifies the digest
// chains when the evidence has digests (reusing a verify run that is still current), runs the detection rules
// (incrementally), runs the case-wide investigations and follows up the keys behind severe findings, then builds
// the report (build.ts). Each step reports start and end through onStep, for one progress display.

import fs from 'node:fs';
import { openCase } from '../index/open.js';
import { chooseIntegrityInputs, ingestedRoots, loadKnownHashes, saveVerifyRun } from '../index/integrity-store.js';
import { verifyIsCurrent } from '../index/triage-facts.js';
import { integrityStatus } from '../index/trust.js';
import { runIngest, type IngestProblem, type IngestProgress, type IngestSummary } from '../ingest/run.js';
import { verify } from '../integrity/verifier.js';
import { loadRuleSet } from '../detect/rule-set.js';
import { runDetect } from '../detect/run.js';
import { CaseError } from '../model/errors.js';
import type { Level, SkippedRule } from '../model/detection.js';
import type { InputWarning } from '../model/integrity.js';
import { isoUtcSeconds } from '../model/time.js';
import type { TriageReport, TriageStep } from '../model/triage.js';
import { buildTriage } from './build.js';

export interface TriageOptions {
  dbPath: string;
  /** Evidence to ingest first; empty: triage the case as it is. */
  evidence: readonly string[];
  tz: string;
  toolVersion: string;
  /** Rule folders instead of the shipped packs (detect --rules). */
  rules?: readonly string[];
  placeholders?: ReadonlyMap<string, readonly string[]>;
  /** Key lists and digest signatures for verify (verify --public-keys / --digest-metadata). */
  publicKeys?: readonly string[];
  digestMetadata?: readonly string[];
  failLevel?: Level;
  workers?: number;
  /** The command line, recorded with the verify run. */
  args?: readonly string[];
  now?: number;
  onStep?: (step: string, state: 'start' | 'done', note?: string) => void;
  onIngestProgress?: (p: IngestProgress) => void;
  onProblem?: (p: IngestProblem) => void;
  onWarning?: (w: InputWarning) => void;
}

export interface TriageRun {
  report: TriageReport;
  ingest: IngestSummary | null;
  skippedRules: SkippedRule[];
}

async function step<T>(steps: TriageStep[], name: string, opts: TriageOptions, fn: () => Promise<{ value: T; note: string; status?: TriageStep['status'] }>): Promise<T> {
  opts.onStep?.(name, 'start');
  const t0 = performance.now();
  const { value, note, status } = await fn();
  steps.push({ step: name, status: status ?? 'ran', note, durationMs: Math.round(performance.now() - t0) });
  opts.onStep?.(name, 'done', note);
  return value;
}

export async function runTriage(opts: TriageOptions): Promise<TriageRun> {
  const now = opts.now ?? Date.now();
  const steps: TriageStep[] = [];
  let prior = 0;
  let ingest: IngestSummary | null = null;
  if (opts.evidence.length) {
    ingest = await step(steps, 'ingest', opts, async () => {
      const s = await runIngest({ dbPath: opts.dbPath, paths: [...opts.evidence], workers: opts.workers, onProgress: opts.onIngestProgress, onProblem: opts.onProblem });
      const skipped = s.files.skipped + s.files.failed;
      return {
        value: s,
        note: `${s.eventsAdded} new events from ${s.files.total} files (${s.files.alreadyInCase} already in the case)${skipped ? `; ${skipped} files skipped or failed` : ''}${s.recordsSkipped ? `; ${s.recordsSkipped} records skipped` : ''}`,
      };
    });
    if (!ingest.complete) prior = 4;
  } else if (!fs.existsSync(opts.dbPath)) {
    throw new CaseError(`case file ${opts.dbPath} does not exist; give the evidence to triage (trailhound triage <evidence> --db ${opts.dbPath})`);
  }
  const db = openCase(opts.dbPath);
  try {
    const digests = integrityStatus(db).digestFiles;
    const keysGiven = (opts.publicKeys?.length ?? 0) + (opts.digestMetadata?.length ?? 0) > 0;
    if (digests === 0) {
      steps.push({ step: 'verify', status: 'skipped', note: 'no digest files in the evidence: nothing can be proven', durationMs: 0 });
    } else if (!keysGiven && verifyIsCurrent(db)) {
      steps.push({ step: 'verify', status: 'skipped', note: 'the stored verify run is current (no file added since)', durationMs: 0 });
    } else {
      const exit = await step(steps, 'verify', opts, async () => {
        const verifyStarted = Date.now();
        const known = loadKnownHashes(db);
        // The key lists and digest signatures ingest recorded from the evidence, unless given (verify --db does the same).
        const inputs = chooseIntegrityInputs(db, { publicKeys: opts.publicKeys ?? [], digestMetadata: opts.digestMetadata ?? [] }, true);
        const report = await verify({
          evidence: ingestedRoots(db),
          publicKeys: inputs.publicKeys,
          digestMetadata: inputs.digestMetadata,
          inputWarnings: inputs.warnings,
          workers: opts.workers,
          knownHashes: (p) => known.get(p),
          now: new Date(verifyStarted),
          toolVersion: opts.toolVersion,
        });
        for (const w of report.warnings) opts.onWarning?.(w);
        saveVerifyRun(db, report, { args: [...(opts.args ?? ['triage'])], toolVersion: opts.toolVersion, startedAt: isoUtcSeconds(verifyStarted) });
        const s = report.summary;
        return { value: s.exitCode, note: `exit ${s.exitCode}: ${s.digests.valid} of ${s.digests.total} digests and ${s.logs.valid} of ${s.logs.total} log files valid; ${s.failures} failures, ${s.assuranceGaps} gaps in assurance` };
      });
      if (exit === 3) prior = 3;
    }
    const set = loadRuleSet({ dirs: opts.rules, placeholders: opts.placeholders });
    await step(steps, 'detect', opts, async () => {
      const d = runDetect(db, set.rules, { toolVersion: opts.toolVersion, forgetOthers: set.complete && !opts.rules?.length });
      return { value: d, note: `${set.rules.length} rules over ${d.events} events${d.rules.incremental ? ` (${d.rules.incremental} only on the ${d.newEvents} new events)` : ''}` };
    });
    opts.onStep?.('investigate', 'start');
    const report = buildTriage(db, { caseFile: opts.dbPath, tz: opts.tz, toolVersion: opts.toolVersion, now, steps, failLevel: opts.failLevel, priorExitCode: prior });
    opts.onStep?.('investigate', 'done');
    return { report, ingest, skippedRules: set.skipped };
  } finally {
    db.close();
  }
}
