// npm run bench: generate ≥ 1,000,000 events with the seeded fixture generator (not committed), ingest
// them with the real CLI, and measure against a one-core "gunzip + JSON.parse of the same files" baseline
// in the same run, so the ratio holds on any machine. Then the query, investigation and verify
// benchmarks of the other capabilities run on the same case when present.
// Results: bench/results/latest.json and one readable line per measurement on stdout.
//
//   npm run bench                      # 1M events
//   npm run bench -- --events 200000   # smaller
//   npm run bench -- --big-file-gb 2   # also: one single N-GB JSON file, peak RSS

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { generateEvidence, writeSingleFile } from '../fixtures/generator/generate.js';
import { measure } from './measure.js';

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
  //   npm run bench -- --investigate-only CASE.db --truth GROUND_TRUTH.json
  const only: Array<{ flag: string; key: string; needs: string; run: (target: string) => Promise<Record<string, unknown> | null> }> = [
    { flag: '--detect-only', key: 'detect', needs: 'the bench case file (CASE.db)', run: (db) => optional<{ runDetectBench: (db: string) => Promise<Record<string, number>> }>('detect-bench.js', (m) => m.runDetectBench(db)) },
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
  const bigGb = arg('big-file-gb', 0);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-bench-'));
  const out = path.join(work, 'evidence');
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, events };

  process.stderr.write(`generating ${events} events in ${out} ...\n`);
  const gen = await generateEvidence({ out, seed: 7, targetEvents: events, exports: false, groundTruth: true });
  results.generated = { events: gen.events, logFiles: gen.logFiles, digests: gen.digests, seconds: gen.elapsedMs / 1000 };

  const logs = listFiles(out, /[\\/]CloudTrail[\\/].*\.json\.gz$/);
  process.stderr.write(`baseline: one core gunzip + JSON.parse of ${logs.length} log files ...\n`);
  const base = baseline(logs);
  results.baseline = base;

  const db = path.join(work, 'case.db');
  process.stderr.write('ingest ...\n');
  const ing = await measure([bin, 'ingest', out, '--db', db, '--quiet', '--json']);
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

  const reing = await measure([bin, 'ingest', out, '--db', db, '--quiet', '--json']);
  results.reingest = { seconds: reing.seconds, eventsAdded: (JSON.parse(reing.stdout) as { eventsAdded: number }).eventsAdded };

  const truth = JSON.parse(fs.readFileSync(path.join(out, 'ground-truth.json'), 'utf8')) as Record<string, unknown>;
  results.query = await optional<{ runQueryBench: (db: string) => Promise<Record<string, number>> }>('query-bench.js', (m) => m.runQueryBench(db));
  results.investigate = await optional<{ runInvestigateBench: (db: string, facts: unknown) => Promise<Record<string, number>> }>('investigate-bench.js', (m) =>
    m.runInvestigateBench(db, truth),
  );
  results.tui = await optional<{ runTuiBench: (db: string) => Promise<Record<string, number>> }>('tui-bench.js', (m) => m.runTuiBench(db));
  results.hostile = await optional<{ runHostileBench: () => Promise<Record<string, number>> }>('hostile-bench.js', (m) => m.runHostileBench());
  results.detect = await optional<{ runDetectBench: (db: string) => Promise<Record<string, unknown>> }>('detect-bench.js', (m) => m.runDetectBench(db) as Promise<Record<string, number>>);
  results.verify = await optional<{ runVerifyBench: (dir: string, db?: string) => Promise<Record<string, number>> }>('verify-bench.js', (m) => m.runVerifyBench(out, db));

  if (bigGb > 0) {
    const file = path.join(work, 'big', 'one-big-file.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const approxEvents = Math.round((bigGb * 1e9) / 1100);
    process.stderr.write(`writing one ${bigGb} GB JSON file (~${approxEvents} events) ...\n`);
    const big = await writeSingleFile({ file, events: approxEvents, seed: 11, format: 'records', gzip: false });
    const bigDb = path.join(work, 'big.db');
    const m = await measure([bin, 'ingest', file, '--db', bigDb, '--quiet', '--json', '--no-embed']);
    const s = JSON.parse(m.stdout) as { eventsAdded: number };
    results.bigFile = { bytes: big.bytes, events: s.eventsAdded, seconds: m.seconds, peakRssMB: m.peakRssMB, eventsPerSecond: Math.round(s.eventsAdded / m.seconds) };
  }

  const dir = path.join(repo, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const i = results.ingest as Record<string, number>;
  process.stdout.write(
    `ingest: ${i.eventsAdded} events in ${i.seconds.toFixed(1)} s = ${i.eventsPerSecond} events/s, ${i.compressedMBps} MB/s gz (${i.decompressedMBps} MB/s json), ` +
      `peak RSS ${i.peakRssMB} MB, case ${i.caseBytesPerEvent} bytes/event, ${i.ratioToBaseline}× the one-core gunzip+JSON.parse baseline (${base.seconds.toFixed(1)} s)\n`,
  );
  for (const k of ['query', 'investigate', 'tui', 'detect', 'verify', 'hostile', 'bigFile', 'reingest']) if (results[k]) process.stdout.write(`${k}: ${JSON.stringify(results[k])}\n`);
  process.stdout.write(`results written to bench/results/latest.json (work dir ${work}; delete when done)\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
