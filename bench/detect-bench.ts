// Detection benchmark (issue 11 targets): every shipped rule over the bench case with the real CLI — the first run
// (all rules on all events), the same with --strategy scan (every record read and evaluated: the naive design) in
// the same run for the ratio, a re-run with nothing new, and a re-run after adding ~10k events. Wall time and
// peak RSS of each. Runs on a copy of the case (detect writes findings into it).
//   node dist/bench/detect-bench.js CASE.db

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEvidence } from '../fixtures/generator/generate.js';
import { measure } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', '..', 'bin', 'trailhound.js');

interface DetectJson {
  rules: { loaded: number; run: number; skipped: unknown[] };
  run: { events: number; newEvents: number; recordsRead: number; ms: number };
  findings: unknown[];
}

async function detect(db: string, extra: string[] = []): Promise<Record<string, number>> {
  const m = await measure([bin, 'detect', '--db', db, '--format', 'json', ...extra]);
  if (m.code !== 0) throw new Error(`detect ${extra.join(' ')} exited ${m.code}`);
  const j = JSON.parse(m.stdout) as DetectJson;
  return { seconds: +m.seconds.toFixed(2), peakRssMB: m.peakRssMB, rules: j.rules.run, events: j.run.events, newEvents: j.run.newEvents, recordsRead: j.run.recordsRead, findings: j.findings.length, engineMs: j.run.ms };
}

export async function runDetectBench(caseDb: string): Promise<Record<string, unknown>> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-detect-bench-'));
  try {
    const sqlDb = path.join(work, 'sql.db');
    const scanDb = path.join(work, 'scan.db');
    fs.copyFileSync(caseDb, sqlDb);
    fs.copyFileSync(caseDb, scanDb);
    const first = await detect(sqlDb);
    const scan = await detect(scanDb, ['--strategy', 'scan']);
    fs.rmSync(scanDb, { force: true });
    const again = await detect(sqlDb);
    const more = path.join(work, 'more');
    await generateEvidence({ out: more, seed: 99, targetEvents: 10_000, exports: false, groundTruth: false });
    const ing = await measure([bin, 'ingest', more, '--db', sqlDb, '--quiet', '--json']);
    const added = (JSON.parse(ing.stdout) as { eventsAdded: number }).eventsAdded;
    const incremental = await detect(sqlDb);
    return { first, scan, ratioScanToSql: +(scan.seconds / first.seconds).toFixed(2), rerunNothingNew: again, afterAdding: { eventsAdded: added, ...incremental } };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runDetectBench(process.argv[2]).then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
