// The HTML triage report in a real browser: headless Chromium (Debian's package, /usr/bin/chromium) loads the file
// from disk with every host name unresolvable, and must show no console message at all (the report's script logs
// nothing, so any message is an error: a CSP violation, a blocked load, an exception). The DOM after the script ran
// must hold the sections, the findings rows and the sort/filter controls; evidence must not have become elements; a
// screenshot must be the size asked for, not blank, and show the level badges in their colours (so the hashed
// stylesheet applied). A deliberately broken page (script hash wrong, an external image) proves the console check
// fails. A test-only probe script (admitted by its own hash) clicks a sort button and uses both filters. A page of
// 5,000 cited events must open (parse, run, lay out) in under 2 s. Then the real thing: the triage
// of the committed sample (fixtures/sample) rendered and checked the same way. Skipped when Chromium is absent.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTriageHtml, TRIAGE_HTML_SECTIONS } from '../../src/report/triage-html.js';
import { buildTriageReport } from '../helpers/triage-report.js';
import { tmpDir } from '../helpers/paths.js';
import { copyCase } from '../helpers/cases.js';
import { truth } from '../helpers/sample.js';
import { runTriage } from '../../src/triage/run.js';
import type { TriageReport } from '../../src/model/triage.js';
import { eventAnchor } from '../../src/report/html/escape.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) process.stderr.write(`note: ${CHROMIUM} is absent; the HTML report's browser test is skipped (apt-get install chromium)\n`);

/** HTML injection strings put into every evidence field of the report under test. */
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>", '<a href="javascript:alert(4)">x</a>', '</style><script>alert(5)</script>', '<img src="https://evil.example/beacon.png">', '\u202eexe.txt'];

const work = hasChromium ? tmpDir('trailhound-html-') : '';
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

interface BrowserRun {
  status: number | null;
  stdout: string;
  /** What the page said on the console (CONSOLE lines of Chromium's log), one entry per message. */
  console: string[];
  ms: number;
}

/** Run headless Chromium on a local file: no network (every host unresolvable), a throwaway profile. */
function chromium(file: string, args: string[]): BrowserRun {
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  const started = Date.now();
  const r = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-extensions',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      `--user-data-dir=${profile}`,
      '--enable-logging=stderr',
      '--v=0',
      ...args,
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  const ms = Date.now() - started;
  const console = r.stderr
    .split('\n')
    .filter((line) => /:CONSOLE[:(]/.test(line))
    .map((line) => line.replace(/^\[[^\]]*\]\s*/, ''));
  return { status: r.status, stdout: r.stdout, console, ms };
}

function write(name: string, page: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, page);
  return file;
}

/** The page with a test-only probe script appended and admitted by its own hash (the report's policy otherwise). */
function withProbe(page: string, probe: string): string {
  const hash = `&#39;sha256-${crypto.createHash('sha256').update(probe).digest('base64')}&#39;`;
  return page.replace('script-src ', `script-src ${hash} `).replace('</body>', `<script>${probe}</script></body>`);
}

interface Png {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  pixels: Buffer;
}

/** Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) with node:zlib. */
function decodePng(data: Buffer): Png {
  expect(data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (at < data.length) {
    const len = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8);
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      expect(channels, `PNG colour type ${body[9]}`).toBeGreaterThan(0);
      expect(body[12]).toBe(0);
    } else if (type === 'IDAT') idat.push(body);
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  const prev = Buffer.alloc(stride);
  const line = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = src[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * channels + k];
      out[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3] : 255;
    }
    line.copy(prev);
  }
  return { width, height, pixels: out };
}

/** Pixels of exactly this colour (`#82071e`). */
function countColour(png: Png, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.pixels.length; i += 4) if (png.pixels[i] === r && png.pixels[i + 1] === g && png.pixels[i + 2] === b) n++;
  return n;
}

describe.skipIf(!hasChromium)('HTML triage report in headless Chromium', () => {
  const report = buildTriageReport({ hostile: HOSTILE });
  const page = renderTriageHtml(report);

  it('loads with no console message, runs its script, and the evidence made no element', () => {
    const run = chromium(write('report.html', page), ['--dump-dom']);
    expect(run.status).toBe(0);
    expect(run.console).toEqual([]);
    const dom = run.stdout;
    // The script ran: the class it sets, the filter box and one sort button per sortable column.
    expect(dom).toMatch(/<html lang="en" class="js">/);
    expect(dom).toContain('<input type="search" id="finding-filter"');
    expect(dom).toContain('<span class="filter-count" aria-live="polite">4 of 4 findings shown</span>');
    expect([...dom.matchAll(/<button type="button" class="sort"/g)]).toHaveLength(8);
    // The findings rows, in the model's order; the sections with their headings, in order.
    expect([...dom.matchAll(/<tr id="(finding-\d+)" data-level="([a-z]+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual(['finding-1:critical', 'finding-2:high', 'finding-3:medium', 'finding-4:low']);
    const headings = [...dom.matchAll(/<section id="([a-z-]+)"><h2>([^<]+)<\/h2>/g)].map((m) => [m[1], m[2]]);
    expect(headings).toEqual(TRIAGE_HTML_SECTIONS.map(([id, title]) => [id, title]));
    // Attacker text became no element and no attribute: one script (ours), no img/iframe, no handler, no javascript: link.
    expect([...dom.matchAll(/<script[\s>]/g)]).toHaveLength(1);
    expect(dom).not.toMatch(/<(img|iframe|object|embed|link|base)[\s>]/);
    expect(dom).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(dom).not.toMatch(/<[a-z][^>]*\shref="(?!#)/i);
    // ... and is shown as text.
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a screenshot is the size asked for, not blank, and shows the styled level badges', () => {
    const shot = path.join(work, 'report.png');
    const run = chromium(write('shot.html', page), [`--screenshot=${shot}`, '--window-size=1280,1600', '--hide-scrollbars']);
    expect(run.status).toBe(0);
    expect(run.console).toEqual([]);
    const png = decodePng(fs.readFileSync(shot));
    expect([png.width, png.height]).toEqual([1280, 1600]);
    const colours = new Set<number>();
    let ink = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      colours.add(png.pixels.readUInt32BE(i));
      if (png.pixels[i] < 200 || png.pixels[i + 1] < 200 || png.pixels[i + 2] < 200) ink++;
    }
    expect(colours.size).toBeGreaterThan(50);
    expect(ink / (png.width * png.height)).toBeGreaterThan(0.02);
    // The critical badge (#82071e) and the high badge (#cf222e) are drawn: the hashed stylesheet applied.
    expect(countColour(png, '#82071e')).toBeGreaterThan(100);
    expect(countColour(png, '#cf222e')).toBeGreaterThan(100);
  });

  it('the console check fails on a page whose script hash is wrong and which loads an external image', () => {
    const broken = page.replace("doc.documentElement.classList.add('js');", "doc.documentElement.classList.add('js'); ").replace('<main>', '<main><img src="https://evil.example/beacon.png" alt="">');
    expect(broken).not.toBe(page);
    const run = chromium(write('broken.html', broken), ['--dump-dom']);
    expect(run.stdout).not.toMatch(/<html lang="en" class="js">/);
    expect(run.console.some((m) => /Content Security Policy/.test(m) && /script/i.test(m))).toBe(true);
    expect(run.console.some((m) => /evil\.example/.test(m))).toBe(true);
  });

  it('sorting by a column and filtering by text and level work in the browser', () => {
    // A probe clicks the Events header twice and uses both filters, noting the row order and the count shown.
    const probe = `window.addEventListener('load', function () {
  var d = document, out = [];
  var rows = function () { return Array.prototype.filter.call(d.querySelectorAll('#findings-table tbody tr'), function (r) { return !r.hidden; }).map(function (r) { return r.id; }).join(' '); };
  var events = d.querySelectorAll('#findings-table th button.sort')[7];
  events.click(); out.push(events.textContent + ' ' + events.parentNode.getAttribute('aria-sort') + ': ' + rows());
  events.click(); out.push(events.parentNode.getAttribute('aria-sort') + ': ' + rows());
  var text = d.getElementById('finding-filter'), level = d.getElementById('finding-level'), shown = d.querySelector('.filter-count');
  text.value = 'Security GROUP'; text.dispatchEvent(new Event('input')); out.push(shown.textContent + ': ' + rows());
  text.value = ''; text.dispatchEvent(new Event('input')); level.value = 'medium'; level.dispatchEvent(new Event('change')); out.push(shown.textContent + ': ' + rows());
  d.documentElement.setAttribute('data-probe', out.join(' | '));
});`;
    const run = chromium(write('probe.html', withProbe(renderTriageHtml(buildTriageReport()), probe)), ['--dump-dom']);
    expect(run.console).toEqual([]);
    const seen = /data-probe="([^"]*)"/.exec(run.stdout)?.[1].split(' | ');
    expect(seen).toEqual([
      'Events ascending: finding-4 finding-1 finding-2 finding-3',
      'descending: finding-3 finding-1 finding-2 finding-4',
      '1 of 4 findings shown: finding-4',
      '1 of 4 findings shown: finding-3',
    ]);
  });

  it('a page of 5,000 cited events opens (parse, script, layout) in under 2 s', () => {
    const big = renderTriageHtml(buildTriageReport({ events: 5000 }));
    expect(Buffer.byteLength(big)).toBeLessThan(10 * 1024 * 1024);
    // A probe script (admitted by its own hash, for this test only) notes the time at the load event after forcing layout.
    const probe = "window.addEventListener('load',function(){var h=document.body.offsetHeight;document.documentElement.setAttribute('data-opened-ms',String(Math.round(performance.now()+h*0)));});";
    const probed = withProbe(big, probe);
    const file = write('big.html', probed);
    const open = (): number => {
      const run = chromium(file, ['--dump-dom']);
      expect(run.console).toEqual([]);
      return Number(/data-opened-ms="(\d+)"/.exec(run.stdout)?.[1]);
    };
    // The machine is shared: a second try when the first is slow, and the faster counts.
    let opened = open();
    expect(opened).toBeGreaterThan(0);
    if (opened >= 2000) opened = Math.min(opened, open());
    expect(opened).toBeLessThan(2000);
  });
});

describe.skipIf(!hasChromium)('the triage of the committed sample in headless Chromium', () => {
  let report: TriageReport;
  let dom: string;
  let consoleMessages: string[];

  beforeAll(async () => {
    const db = copyCase('sampleVerified');
    ({ report } = await runTriage({ dbPath: db, evidence: [], tz: 'Asia/Seoul', toolVersion: 'test', now: Date.parse('2026-01-01T00:00:00Z') }));
    const run = chromium(write('sample.html', renderTriageHtml(report)), ['--dump-dom']);
    expect(run.status).toBe(0);
    dom = run.stdout;
    consoleMessages = run.console;
  }, 180_000);

  it('opens with no console message and the script ran', () => {
    expect(consoleMessages).toEqual([]);
    expect(dom).toMatch(/<html lang="en" class="js">/);
    expect(dom).toContain(`${report.findings.length} of ${report.findings.length} findings shown`);
  });

  it('shows every finding as a row and every planted detection among them', () => {
    const rows = [...dom.matchAll(/<tr id="finding-\d+" data-level="([a-z]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(report.findings.map((f) => f.level));
    for (const d of truth.incidents.attackPack.detections as Array<{ ruleId: string; eventIds: string[] }>) {
      const f = report.findings.find((x) => x.ruleId === d.ruleId && d.eventIds.some((id) => x.eventIds.includes(id)));
      expect(f, d.ruleId).toBeDefined();
      expect(dom).toContain(`<strong>${f!.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</strong>`);
    }
  });

  it('names the StopLogging blind spot and links its events to their details', () => {
    const stop = report.blindSpots.find((b) => b.kind === 'logging-stopped')!;
    expect(dom).toContain('<td>logging-stopped</td>');
    for (const id of stop.eventIds) {
      expect(dom).toContain(`href="#${eventAnchor(id)}"`);
      expect(dom).toContain(`<article class="event" id="${eventAnchor(id)}">`);
    }
  });

  it('every in-page link lands on an element, and the charts are drawn', () => {
    const ids = new Set([...dom.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...dom.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(report.findings.length);
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
    expect(dom).toMatch(/<svg class="chart activity"/);
    expect(dom).toMatch(/<svg class="chart heatmap"/);
    // The year-long gap of the sample shows as gap cells.
    expect(dom).toMatch(/<rect class="gap" x=/);
  });
});
