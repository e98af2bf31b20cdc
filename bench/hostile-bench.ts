// Peak memory and time of ingest for every hostile input alone (the gzip bombs, 200 MB strings, deep nesting...):
// the target is ≤ 400 MB peak RSS for any single input. Each input is ingested by the real CLI into a fresh case.

import fs from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHostile } from '../fixtures/hostile/generate.js';
import { measure } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(path.resolve(here, '..', '..'), 'bin', 'trailhound.js');

export async function runHostileBench(): Promise<Record<string, number | string>> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-hostile-bench-'));
  try {
    const corpus = path.join(work, 'corpus');
    const inputs = generateHostile(corpus, 1).filter((i) => i.category === 'gzip' || i.category === 'json' || i.category === 'field');
    let worst = { name: '', peakRssMB: 0, seconds: 0 };
    let slowest = { name: '', seconds: 0 };
    let crashes = 0;
    for (const input of inputs) {
      const file = path.join(corpus, input.relPath);
      if (!fs.existsSync(file)) continue;
      const db = path.join(work, `${input.name}.db`);
      const m = await measure([bin, 'ingest', file, '--db', db, '--quiet']);
      if (m.code === null || m.code >= 128 || m.code === 1) crashes++;
      if (m.peakRssMB > worst.peakRssMB) worst = { name: input.name, peakRssMB: m.peakRssMB, seconds: m.seconds };
      if (m.seconds > slowest.seconds) slowest = { name: input.name, seconds: m.seconds };
      fs.rmSync(db, { force: true });
    }
    return {
      inputs: inputs.length,
      crashes,
      worstInput: worst.name,
      worstPeakRssMB: worst.peakRssMB,
      slowestInput: slowest.name,
      slowestSeconds: +slowest.seconds.toFixed(2),
    };
  } finally {
    // rm -rf, not fs.rmSync: the corpus holds a path longer than PATH_MAX, which only *at() calls can remove.
    spawnSync('rm', ['-rf', work]);
  }
}
