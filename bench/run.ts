// npm run bench: generate ≥ 1,000,000 events with the seeded fixture generator (not committed; delivered as
// CloudTrail delivers busy accounts: tens of thousands of small files, org + account trail duplicates), ingest them
// with the real CLI, and measure against the alternatives in the same run so the ratios hold on any machine: a
// one-core "gunzip + JSON.parse of the same files" floor and DuckDB's read_json load (bench/duckdb-load.ts). Then
// the case's bytes by table, re-ingest, adding one day, the query, investigation and other benchmarks on the same
// case, and big single files (one Records array, one NDJSON) with and without the evidence embedded.
// Results: bench/results/latest.json (everything), bench/results/ingest-issue15.json (issue 15's measures and
// targets) and one readable line per measure on stdout.
//
//   npm run bench                                # 1M events, a 2.65 GB Records file, a 2 GB NDJSON file
//   npm run bench -- --events 100000 --big-records-gb 0.2 --big-ndjson-gb 0.2   # a quick run
//   npm run bench -- --skip-big                  # without the big single files

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { generateEvidence } from '../fixtures/generator/generate.js';
import { measure } from './measure.js';
import { addOneDay, bigFile, caseSize, duckdbLoad } from './ingest15-bench.js';
import { issue15Lines, issue15Results } from './ingest15-report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..'); // dist/bench -> repo
const bin = path.join(repo, 'bin', 'trailhound.js');

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function listFiles(dir: string, re: RegExp): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => re.test(f)).map((f) => path.join(dir, f));
}

/** One core: gunzip + JSON.parse every log file, nothing else. */
function baseline(files: string[]): { seconds: number; records: number; compressedMB: number; decompressedMB: number } {
  const t0 = process.hrtime.bigint();
  let records = 0;
  let cbytes = 0;
  let dbytes = 0;
  for (const f of files) {
    const buf = fs.readFileSync(f);
    const json = zlib.gunzipSync(buf);
    cbytes += buf.length;
    dbytes += json.length;
    records += (JSON.parse(json.toString('utf8')) as { Records: unknown[] }).Records.length;
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, records, compressedMB: cbytes / 1e6, decompressedMB: dbytes / 1e6 };
}

async function optional<T>(file: string, fn: (m: T) => Promise<Record<string, number>>): Promise<Record<string, number> | null> {
  const p = path.join(here, file);
  if (!fs.existsSync(p)) return null;
  try {
    return await fn((await import(p)) as T);
  } catch (err) {
    process.stderr.write(`bench ${file}: ${(err as Error).message}\n`);
    return null;
  }
}

async function main(): Promise<void> {
  // One measurement on an existing bench case or evidence folder, merged into latest.json:
  //   npm run bench -- --detect-only CASE.db     npm run bench -- --triage-only EVIDENCE_DIR
  //   npm run bench -- --export-only CASE.db     (issue 16; compared with latest.json's ingest time)
  //   npm run bench -- --investigate-only CASE.db --truth GROUND_TRUTH.json
  const only: Array<{ flag: string; key: string; needs: string; run: (target: string) => Promise<Record<string, unknown> | null> }> = [
    { flag: '--detect-only', key: 'detect', needs: 'the bench case file (CASE.db)', run: (db) => optional<{ runDetectBench: (db: string) => Promise<Record<string, number>> }>('detect-bench.js', (m) => m.runDetectBench(db)) },
    { flag: '--export-only', key: 'export', needs: 'the bench case file (CASE.db)', run: (db) => optional<{ runExportBench: (db: string) => Promise<Record<string, number>> }>('export16-bench.js', (m) => m.runExportBench(db)) },
    { flag: '--triage-only', key: 'triage', needs: 'the bench evidence folder', run: (dir) => optional<{ runTriageBench: (e: string) => Promise<Record<string, number>> }>('triage-bench.js', (m) => m.runTriageBench(dir)) },
    {
      flag: '--investigate-only',
      key: 'investigate',
      needs: 'the bench case file (CASE.db) and --truth GROUND_TRUTH.json (the ground truth of its evidence)',
      run: (db) => {
        const truth = process.argv[process.argv.indexOf('--truth') + 1];
        if (!process.argv.includes('--truth') || !truth || !fs.existsSync(truth)) throw new Error('--investigate-only needs --truth GROUND_TRUTH.json (the ground truth of the case\'s evidence)');
        return optional<{ runInvestigateBench: (db: string, facts: unknown) => Promise<Record<string, number>> }>('investigate-bench.js', (m) => m.runInvestigateBench(db, JSON.parse(fs.readFileSync(truth, 'utf8'))));
      },
    },
  ];
  for (const o of only) {
    const at = process.argv.indexOf(o.flag);
    if (at < 0) continue;
    const target = process.argv[at + 1];
    if (!target || !fs.existsSync(target)) throw new Error(`${o.flag} needs ${o.needs}`);
    const dir = path.join(repo, 'bench', 'results');
    const file = path.join(dir, 'latest.json');
    const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    results[o.key] = { date: new Date().toISOString(), ...(await o.run(target)) };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${o.key}: ${JSON.stringify(results[o.key])}\n`);
    return;
  }
  if (process.argv.includes('--hostile-only')) {
    // Only the hostile-input measurement (peak RSS per input); merged into latest.json.
    const dir = path.join(repo, 'bench', 'results');
    const file = path.join(dir, 'latest.json');
    const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    results.hostile = await optional<{ runHostileBench: () => Promise<Record<string, number | string>> }>('hostile-bench.js', (m) => m.runHostileBench() as Promise<Record<string, number>>);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`hostile: ${JSON.stringify(results.hostile)}\n`);
    return;
  }
  const events = arg('events', 1_000_000);
  const skipBig = process.argv.includes('--skip-big');
  const bigRecordsGb = arg('big-records-gb', 2.65);
  const bigNdjsonGb = arg('big-ndjson-gb', 2);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-bench-'));
  const out = path.join(work, 'evidence');
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map((x) => +x.toFixed(2)), events };
  const line = (s: string) => process.stdout.write(`${s}\n`);

  // Delivered as CloudTrail delivers busy accounts (a file per stream every ~5 minutes, ~27 records a file), like
  // the held-out copy of issue 15: tens of thousands of small files for 1M events, org + account trail duplicates.
  process.stderr.write(`generating ${events} events in ${out} ...\n`);
  const gen = await generateEvidence({ out, seed: 7, targetEvents: events, exports: false, groundTruth: true, delivery: 'busy' });
  const truth = JSON.parse(fs.readFileSync(path.join(out, 'ground-truth.json'), 'utf8')) as { counts: { accountTrailDuplicateRecords: number } } & Record<string, unknown>;
  results.generated = { events: gen.events, records: gen.events + truth.counts.accountTrailDuplicateRecords, logFiles: gen.logFiles, digests: gen.digests, seconds: gen.elapsedMs / 1000, delivery: 'busy' };
  const evidence = path.join(out, 'evidence');

  // Alternated in one run so the ratios hold on a shared machine: floor, DuckDB bare, trailhound, DuckDB columns.
  const logs = listFiles(out, /[\\/]CloudTrail[\\/].*\.json\.gz$/);
  process.stderr.write(`baseline: one core gunzip + JSON.parse of ${logs.length} log files ...\n`);
  const base = baseline(logs);
  results.baseline = base;
  process.stderr.write('DuckDB read_json, bare ...\n');
  const duckBare = await duckdbLoad(logs, work, 'bare');

  const db = path.join(work, 'case.db');
  process.stderr.write('ingest ...\n');
  const ing = await measure([bin, 'ingest', evidence, '--db', db, '--quiet', '--json']);
  const summary = JSON.parse(ing.stdout) as { eventsAdded: number; records: number; bytes: number };
  const caseBytes = fs.statSync(db).size;
  results.ingest = {
    seconds: ing.seconds,
    eventsPerSecond: Math.round(summary.eventsAdded / ing.seconds),
    recordsPerSecond: Math.round(summary.records / ing.seconds),
    compressedMBps: +(base.compressedMB / ing.seconds).toFixed(1),
    decompressedMBps: +(base.decompressedMB / ing.seconds).toFixed(1),
    peakRssMB: ing.peakRssMB,
    caseBytes,
    caseBytesPerEvent: Math.round(caseBytes / summary.eventsAdded),
    ratioToBaseline: +(ing.seconds / base.seconds).toFixed(2),
    eventsAdded: summary.eventsAdded,
    exitCode: ing.code,
  };
  process.stderr.write('DuckDB read_json, with columns ...\n');
  const duckColumns = await duckdbLoad(logs, work, 'columns');
  results.duckdb = { bare: duckBare, columns: duckColumns };
  results.caseSize = await caseSize(db);
  // Issue 16: the Parquet export of the case just built, against this ingest (bench/export16-bench.ts).
  process.stderr.write('export --format parquet ...\n');
  results.export = await optional<{ runExportBench: (db: string, ingestSeconds: number) => Promise<Record<string, number>> }>('export16-bench.js', (m) => m.runExportBench(db, ing.seconds));

  const reing = await measure([bin, 'ingest', evidence, '--db', db, '--quiet', '--json']);
  results.reingest = { seconds: reing.seconds, eventsAdded: (JSON.parse(reing.stdout) as { eventsAdded: number }).eventsAdded };
  process.stderr.write('adding one day to a case built without it ...\n');
  results.addOneDay = await addOneDay(evidence, work, { seconds: ing.seconds, events: summary.eventsAdded });

  results.query = await optional<{ runQueryBench: (db: string) => Promise<Record<string, number>> }>('query-bench.js', (m) => m.runQueryBench(db));
  results.investigate = await optional<{ runInvestigateBench: (db: string, facts: unknown) => Promise<Record<string, number>> }>('investigate-bench.js', (m) =>
    m.runInvestigateBench(db, truth),
  );
  results.tui = await optional<{ runTuiBench: (db: string) => Promise<Record<string, number>> }>('tui-bench.js', (m) => m.runTuiBench(db));
  results.hostile = await optional<{ runHostileBench: () => Promise<Record<string, number>> }>('hostile-bench.js', (m) => m.runHostileBench());
  results.detect = await optional<{ runDetectBench: (db: string) => Promise<Record<string, unknown>> }>('detect-bench.js', (m) => m.runDetectBench(db) as Promise<Record<string, number>>);
  results.verify = await optional<{ runVerifyBench: (dir: string, db?: string) => Promise<Record<string, number>> }>('verify-bench.js', (m) => m.runVerifyBench(out, db));
  fs.rmSync(db, { force: true });

  if (!skipBig) {
    if (bigRecordsGb > 0) results.bigRecords = await bigFile(work, 'records', bigRecordsGb);
    if (bigNdjsonGb > 0) results.bigNdjson = await bigFile(work, 'ndjson', bigNdjsonGb);
  }

  const dir = path.join(repo, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const issue15 = issue15Results(results);
  fs.writeFileSync(path.join(dir, 'ingest-issue15.json'), `${JSON.stringify(issue15, null, 2)}\n`);
  const i = results.ingest as Record<string, number>;
  line(
    `ingest: ${i.eventsAdded} events in ${i.seconds.toFixed(1)} s = ${i.eventsPerSecond} events/s, ${i.compressedMBps} MB/s gz (${i.decompressedMBps} MB/s json), ` +
      `peak RSS ${i.peakRssMB} MB, case ${i.caseBytesPerEvent} bytes/event, ${i.ratioToBaseline}× the one-core gunzip+JSON.parse baseline (${base.seconds.toFixed(1)} s)`,
  );
  for (const l of issue15Lines(issue15)) line(l);
  for (const k of ['export', 'query', 'investigate', 'tui', 'detect', 'verify', 'hostile', 'reingest']) if (results[k]) line(`${k}: ${JSON.stringify(results[k])}`);
  line(`results written to bench/results/latest.json and bench/results/ingest-issue15.json (work dir ${work}; delete when done)`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
