// Triage benchmark (issue 13 targets), with the real CLI on the bench evidence: plain `ingest` into a new case, then
// in the same run cold `triage` of the same evidence into another new case (ingest + verify + detect +
// investigations + HTML and Markdown reports) for the ratio; `triage` again on that case (nothing new); the HTML
// report's size; and the time headless Chromium takes to load and lay out the report, against a blank page in the
// same run (Chromium's own start-up cancels out). Wall time and peak RSS of each.
//   npm run bench -- --triage-only EVIDENCE_DIR

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', '..', 'bin', 'trailhound.js');
const CHROMIUM = '/usr/bin/chromium';

interface TriageJson {
  steps: Array<{ step: string; durationMs: number; status: string }>;
  findings: unknown[];
  events: unknown[];
  actors: unknown[];
}

interface TriageMeasure {
  seconds: number;
  peakRssMB: number;
  findings: number;
  citedEvents: number;
  actors: number;
  /** Step name → ms (the access-key follow-ups summed). */
  steps: Record<string, number>;
}

async function triage(args: string[]): Promise<TriageMeasure> {
  const m = await measure([bin, 'triage', ...args, '--format', 'json', '--quiet']);
  if (m.code !== 0 && m.code !== 4) throw new Error(`triage ${args.join(' ')} exited ${m.code}`);
  const j = JSON.parse(m.stdout) as TriageJson;
  const steps: Record<string, number> = {};
  for (const s of j.steps) {
    const name = s.step.startsWith('investigate access-key') ? 'investigate access-key (sum)' : s.step;
    steps[name] = (steps[name] ?? 0) + s.durationMs;
  }
  return { seconds: +m.seconds.toFixed(2), peakRssMB: m.peakRssMB, findings: j.findings.length, citedEvents: j.events.length, actors: j.actors.length, steps };
}

/** Median wall seconds of Chromium loading a file and dumping its DOM (the page's scripts have run). */
async function chromiumLoad(file: string, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await measure([CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--dump-dom', `file://${file}`], { node: false });
    if (m.code !== 0) throw new Error(`chromium exited ${m.code} on ${file}`);
    times.push(m.seconds);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

export async function runTriageBench(evidence: string): Promise<Record<string, unknown>> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-triage-bench-'));
  try {
    const plainDb = path.join(work, 'plain.db');
    const ing = await measure([bin, 'ingest', evidence, '--db', plainDb, '--quiet']);
    fs.rmSync(plainDb, { force: true });
    const db = path.join(work, 'triage.db');
    const html = path.join(work, 'report.html');
    const md = path.join(work, 'report.md');
    const cold = await triage([evidence, '--db', db, '--report', html, '--md', md]);
    const warm = await triage(['--db', db, '--report', html]);
    const out: Record<string, unknown> = {
      ingestSeconds: +ing.seconds.toFixed(2),
      ingestPeakRssMB: ing.peakRssMB,
      cold,
      ratioColdTriageToIngest: +(cold.seconds / ing.seconds).toFixed(2),
      existingCase: warm,
      htmlBytes: fs.statSync(html).size,
      markdownBytes: fs.statSync(md).size,
    };
    if (fs.existsSync(CHROMIUM)) {
      const blank = path.join(work, 'blank.html');
      fs.writeFileSync(blank, '<!doctype html><title>blank</title><p>blank</p>');
      const blankSeconds = await chromiumLoad(blank);
      const reportSeconds = await chromiumLoad(html);
      out.chromium = { blankSeconds: +blankSeconds.toFixed(2), reportSeconds: +reportSeconds.toFixed(2), reportOverBlankSeconds: +(reportSeconds - blankSeconds).toFixed(2) };
    }
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
