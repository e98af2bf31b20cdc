// Triage benchmark (issue 13 targets), with the real CLI on the bench evidence: plain `ingest` into a new case, then
// in the same run cold `triage` of the same evidence into another new case (ingest + verify + detect +
// investigations + HTML and Markdown reports) for the ratio; `triage` again on that case (nothing new); the HTML
// report's size; and how long headless Chromium takes to open the report: the page's own clock at its load event
// after layout (start-up excluded), and the wall time against a blank page in the same run. Wall time and peak RSS
// of each.
//   npm run bench -- --triage-only EVIDENCE_DIR

import crypto from 'node:crypto';
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

/**
 * A probe script (admitted by its own hash) that records, at the load event and after forcing layout, the page's
 * own clock: how long the page took to open (parse, script, layout), without Chromium's start-up.
 */
const PROBE = "window.addEventListener('load',function(){var h=document.body.offsetHeight;document.documentElement.setAttribute('data-opened-ms',String(Math.round(performance.now()+h*0)));});";

function withProbe(page: string): string {
  const hash = `&#39;sha256-${crypto.createHash('sha256').update(PROBE).digest('base64')}&#39;`;
  return page.replace('script-src ', `script-src ${hash} `).replace('</body>', `<script>${PROBE}</script></body>`);
}

/** Medians of Chromium loading a file: wall seconds (start-up included) and the page's own open time in ms. */
async function chromiumLoad(file: string, runs = 3): Promise<{ wallSeconds: number; openedMs: number }> {
  const walls: number[] = [];
  const opened: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = await measure([CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--host-resolver-rules=MAP * ~NOTFOUND', '--dump-dom', `file://${file}`], { node: false });
    if (m.code !== 0) throw new Error(`chromium exited ${m.code} on ${file}`);
    walls.push(m.seconds);
    opened.push(Number(/data-opened-ms="(\d+)"/.exec(m.stdout)?.[1] ?? NaN));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wallSeconds: median(walls), openedMs: median(opened) };
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
      fs.writeFileSync(blank, `<!doctype html><title>blank</title><p>blank</p><script>${PROBE}</script>`);
      const probed = path.join(work, 'probed.html');
      fs.writeFileSync(probed, withProbe(fs.readFileSync(html, 'utf8')));
      const b = await chromiumLoad(blank);
      const r = await chromiumLoad(probed);
      out.chromium = { blankWallSeconds: +b.wallSeconds.toFixed(2), reportWallSeconds: +r.wallSeconds.toFixed(2), reportOpenedMs: r.openedMs, blankOpenedMs: b.openedMs };
    }
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
