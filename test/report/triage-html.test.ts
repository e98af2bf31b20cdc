// The HTML triage report without a browser: attacker text from every evidence field stays text (no tag, attribute,
// handler or URL of its own), the CSP admits exactly the inline style and script, every cited event link lands on
// an anchor, sections come in order with their ids, times show in the report's zone with UTC on hover, coverage
// gaps are marked, and the size stays bounded for many cited events. The Chromium test
// (triage-html-chromium.test.ts) renders the same report in a real browser.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAYLOADS } from '../../fixtures/hostile/generate.js';
import { renderTriageHtml, TRIAGE_HTML_SECTIONS } from '../../src/report/triage-html.js';
import { anchorId, eventAnchor, escapeHtml, html } from '../../src/report/html/escape.js';
import { MAX_JSON_CHARS } from '../../src/report/html/events.js';
import { buildTriageReport } from '../helpers/triage-report.js';
import { corporaDir, hasCorpora } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';

/** HTML injection strings: tags, handlers, URLs, breaking out of attributes, style, script and comments. */
const INJECTIONS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  'javascript:alert(4)',
  '</style><script>alert(5)</script>',
  '</script><script>alert(6)</script>',
  '<a href="javascript:alert(7)">click</a>',
  '<iframe srcdoc="<script>alert(8)</script>"></iframe>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<img src="https://evil.example/beacon.png">',
  '<div style="background:url(https://evil.example/b)">',
  '<!-- ',
  ']]>',
  '&lt;script&gt;alert(9)&lt;/script&gt;',
  '<form action="https://evil.example/"><button formaction="javascript:alert(10)">x</button></form>',
  '{{constructor.constructor("alert(11)")()}}',
  '\u2028</script>\u2029',
];

/** Strings with `<` or `>` from the shared corpora's JSON (placeholders such as `<Attacker source IP>`, XML). */
function corpusStrings(): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/[<>]/.test(v) && v.length <= 400) found.add(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && fs.statSync(p).size < 5_000_000) {
        try {
          visit(JSON.parse(fs.readFileSync(p, 'utf8')));
        } catch {
          // not JSON after all: not a source of strings
        }
      }
    }
  };
  walk(corporaDir);
  return [...found].sort().slice(0, 40);
}

const TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'h4', 'p', 'nav', 'ol', 'ul', 'li', 'a', 'main', 'section', 'dl', 'dt', 'dd', 'code', 'pre',
  'span', 'div', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'time', 'article', 'details', 'summary', 'svg', 'g', 'rect', 'line', 'path', 'text', 'defs', 'pattern', 'script',
]);

interface Tag {
  name: string;
  attrs: Array<[string, string]>;
}

/** Every start tag in the document with its attributes (the page writes only double-quoted attribute values). */
function startTags(page: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of page.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*)\s*\/?>/g)) {
    const attrs = [...m[2].matchAll(/([^\s=>/]+)(?:="([^"]*)"|='([^']*)'|=([^\s>]+))?/g)].map((a) => [a[1], a[2] ?? a[3] ?? a[4] ?? ''] as [string, string]);
    tags.push({ name: m[1].toLowerCase(), attrs });
  }
  return tags;
}

/** What must hold of any page whatever the evidence says: only our tags, no handler, no style attribute, no URL. */
function checkStructure(page: string): string[] {
  const problems: string[] = [];
  // Everything that looks like the start of a tag must be a tag the scanner read (no stray `<x` left unparsed).
  const opens = [...page.matchAll(/<(?=[a-zA-Z!?/])/g)].length;
  const closes = [...page.matchAll(/<\/[a-zA-Z][\w-]*\s*>/g)].length;
  const tags = startTags(page);
  if (opens !== tags.length + closes + 1) problems.push(`${opens} tag starts but ${tags.length} start tags + ${closes} end tags + doctype`);
  for (const t of tags) {
    if (!TAGS.has(t.name)) problems.push(`unexpected <${t.name}>`);
    for (const [name, value] of t.attrs) {
      if (/^on/i.test(name)) problems.push(`<${t.name}> has a handler ${name}`);
      if (/^(style|src|srcdoc|action|formaction|background|xlink:href)$/i.test(name)) problems.push(`<${t.name}> has ${name}=`);
      if (name === 'href' && !value.startsWith('#')) problems.push(`<${t.name}> links outside the page: ${value}`);
    }
  }
  const scripts = tags.filter((t) => t.name === 'script');
  if (scripts.length !== 1) problems.push(`${scripts.length} <script> elements`);
  if (tags.filter((t) => t.name === 'style').length !== 1) problems.push('not exactly one <style>');
  if (tags.filter((t) => t.name === 'meta' && t.attrs.some(([n]) => n === 'http-equiv')).length !== 1) problems.push('not exactly one http-equiv meta');
  const control = findRawControl(page);
  if (control) problems.push(`raw control character: ${control}`);
  return problems;
}

const hostileSets: Array<[string, string[]]> = [
  ['HTML injection strings', INJECTIONS],
  ['terminal payloads (fixtures/hostile)', PAYLOADS.map(([, s]) => s)],
];

describe('renderTriageHtml: attacker text', () => {
  it('the structure check fails on a page that lets evidence through (so it can fail)', () => {
    const clean = renderTriageHtml(buildTriageReport());
    expect(checkStructure(clean)).toEqual([]);
    const broken = clean.replace('<main>', `<main>${INJECTIONS[1]}${INJECTIONS[6]}<p style="color:red">x</p>`);
    expect(checkStructure(broken)).toEqual(expect.arrayContaining(['unexpected <img>', '<img> has a handler onerror', '<a> links outside the page: javascript:alert(7)', '<p> has style=']));
  });

  it.each(hostileSets)('%s in every evidence field stay text', (_name, strings) => {
    const page = renderTriageHtml(buildTriageReport({ hostile: strings }));
    expect(checkStructure(page)).toEqual([]);
    for (const s of strings) {
      if (/[<>]/.test(s)) expect(page, s).not.toContain(s);
      // Shown (escaped), not dropped.
      expect(page).toContain(escapeHtml(s, 'text'));
    }
    // The text stays visible for the analyst, but never inside a tag.
    expect(page).not.toMatch(/<script>alert|<[^>]*onerror=|<[^>]*onload=|<[^>]*javascript:/i);
  });

  it.skipIf(!hasCorpora)('strings with < or > from the shared corpora stay text', () => {
    const strings = corpusStrings();
    expect(strings.length).toBeGreaterThan(3);
    const page = renderTriageHtml(buildTriageReport({ hostile: strings }));
    expect(checkStructure(page)).toEqual([]);
    for (const s of strings) expect(page).toContain(escapeHtml(s, 'text'));
  });

  it('original JSON keeps its lines and shows a `</script>` inside a value as text', () => {
    const report = buildTriageReport({ hostile: ['</script><script>alert(1)</script>'] });
    const page = renderTriageHtml(report);
    const e = report.events[0];
    const pre = escapeHtml(e.json.split('\n')[1], 'text');
    expect(page).toContain(`<pre class="json">{\n${pre}\n`);
  });
});

describe('renderTriageHtml: Content-Security-Policy', () => {
  it('admits exactly the inline style and script by their hashes, and nothing from the network', () => {
    const page = renderTriageHtml(buildTriageReport({ hostile: INJECTIONS }));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    expect(csp).toBeDefined();
    const policy = Object.fromEntries(csp!.replace(/&#39;/g, "'").split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    const sha = (text: string) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1];
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['style-src']).toEqual([sha(style)]);
    expect(policy['script-src']).toEqual([sha(script)]);
    expect(policy['img-src']).toEqual(['data:']);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
    // The policy comes before anything it governs.
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
  });
});

describe('renderTriageHtml: structure', () => {
  const report = buildTriageReport({ hostile: INJECTIONS });
  const page = renderTriageHtml(report);

  it('has the sections in order, each with its id, heading and a table-of-contents link', () => {
    const at = TRIAGE_HTML_SECTIONS.map(([id, title]) => {
      expect(page).toContain(`<li><a href="#${id}">${title}</a></li>`);
      const i = page.indexOf(`<section id="${id}"><h2>${title}</h2>`);
      expect(i, id).toBeGreaterThan(0);
      return i;
    });
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(TRIAGE_HTML_SECTIONS.map(([id]) => id)).toEqual(['summary', 'blind-spots', 'findings', 'actors', 'activity', 'coverage', 'stacks', 'next-steps', 'events']);
  });

  it('every cited event that the report embeds is a link to its anchor; the others are marked, not linked', () => {
    const ids = new Set(report.events.map((e) => e.eventId));
    const cited = [...report.findings.flatMap((f) => [...f.eventIds, ...f.revert.eventIds]), ...report.blindSpots.flatMap((b) => b.eventIds)];
    expect(cited.length).toBeGreaterThan(5);
    const anchors = [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const id of cited) {
      if (ids.has(id)) {
        expect(anchors).toContain(eventAnchor(id));
        expect(page).toContain(`<a href="#${eventAnchor(id)}" title="${escapeHtml(id)}">`);
      } else {
        expect(page).not.toContain(`href="#${eventAnchor(id)}"`);
        expect(page).toContain(`<span class="omitted" title="not embedded in this report">${escapeHtml(id, 'text')}</span>`);
      }
    }
    // Every in-page link has a target.
    for (const m of page.matchAll(/href="#([^"]+)"/g)) expect(anchors, m[1]).toContain(m[1]);
  });

  it('each event shows its file, record, SHA-256, trust label and original JSON', () => {
    const e = report.events[3];
    const at = page.indexOf(`id="${eventAnchor(e.eventId)}"`);
    const article = page.slice(at, page.indexOf('</article>', at));
    const facts = /<pre class="facts">([\s\S]*?)<\/pre>/.exec(article)![1].split('\n');
    expect(facts).toContain(`File          ${escapeHtml(e.file, 'text')}`);
    expect(facts).toContain('Record        #3 in the file (0-based)');
    expect(facts).toContain(`File SHA-256  ${e.fileSha256}`);
    expect(facts).toContain(`Trust         ${escapeHtml(e.trust!, 'text')}`);
    expect(facts).toContain('Time (UTC)    2025-03-01T09:21:00Z');
    expect(article).toContain('<p class="more">Original record:</p><pre class="json">{');
    expect(article).toContain(`Cited by <a href="#finding-3">${escapeHtml(report.findings[2].title, 'text')}</a>`);
  });

  it('findings rows carry level, sort keys, outcome with error codes, revert state and the time in the zone with UTC on hover', () => {
    const rows = [...page.matchAll(/<tr id="finding-(\d+)" data-level="([a-z]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([['1', 'critical'], ['2', 'high'], ['3', 'medium'], ['4', 'low']]);
    const mixed = rows[2][3];
    expect(mixed).toContain('<span class="badge mixed">mixed</span>');
    expect(mixed).toContain(`<code>${escapeHtml(report.findings[2].errorCodes[0], 'text')}</code>`);
    expect(mixed).toContain('5 of 126 cited');
    // 2025-03-01T09:00:00Z is 18:00 in Seoul.
    expect(rows[0][3]).toContain('<td data-sort="1740819600000"><time datetime="2025-03-01T09:00:00Z" title="2025-03-01T09:00:00Z">2025-03-01 18:00:00 +09:00</time>');
    expect(rows[1][3]).toContain('<span class="badge reverted">reverted</span>');
    expect(rows[3][3]).toContain('<td data-sort="">');
  });

  it('marks coverage gaps: a day without events for an account and region inside the range', () => {
    // 2 rows × 4 days; the second row has events on days 0 and 3 only.
    expect([...page.matchAll(/<rect class="gap" x=/g)]).toHaveLength(2);
    expect(page).toContain('2 empty cells (gaps');
    expect(page).toMatch(/<title>[^<]*2025-03-02: no events \(gap\)<\/title>/);
  });

  it('marks each timed finding on the activity chart, linked to its row', () => {
    const marks = [...page.matchAll(/<a href="#(finding-\d+)"><g class="level-([a-z]+)">/g)].map((m) => [m[1], m[2]]);
    expect(marks).toEqual([['finding-1', 'critical'], ['finding-2', 'high'], ['finding-3', 'medium']]);
  });

  it('cuts a long silence out of the activity chart and says how long it was', () => {
    const quiet = buildTriageReport();
    const later = (h: number) => new Date(Date.UTC(2025, 5, 1, h)).toISOString().replace('.000Z', 'Z');
    quiet.activity = [...quiet.activity, ...[0, 1, 2, 5].map((h) => ({ start: later(h), events: 10, flagged: 0 }))];
    const chart = /<svg class="chart activity"[\s\S]*?<\/svg>/.exec(renderTriageHtml(quiet))![0];
    // Last hour before: 2025-03-04T23:00Z (02:00 on 03-05 in Seoul); next: 2025-06-01T00:00Z.
    expect([...chart.matchAll(/<rect class="gap" /g)]).toHaveLength(1);
    expect(chart).toMatch(/<title>No events for 88 days: 2025-03-05 to 2025-06-01 \(cut from the time axis\)<\/title>/);
    expect(chart).toContain('>88 d</text>');
    // Without a silence there is no cut.
    expect(/<svg class="chart activity"[\s\S]*?<\/svg>/.exec(page)![0]).not.toContain('class="gap"');
  });

  it('puts next-step commands in <pre><code> and marks new stack values', () => {
    for (const s of report.nextSteps) expect(page).toContain(`<pre><code>${escapeHtml(s.command, 'text')}</code></pre>`);
    expect([...page.matchAll(/<span class="badge new" title="first seen after the baseline">new<\/span>/g)]).toHaveLength(5);
    expect(page).toMatch(/<td class="num">7<\/td>/);
  });

  it('without findings, actors or events it says so instead of empty tables', () => {
    const empty = { ...buildTriageReport({ events: 0 }), findings: [], actors: [], events: [], activity: [], coverage: [], blindSpots: [], nextSteps: [], citedEventsOmitted: 0 };
    const html = renderTriageHtml(empty);
    expect(checkStructure(html)).toEqual(['0 <script> elements'].filter(() => false));
    expect(html).toContain('<p>No findings (7 below the level shown are left out).</p>');
    expect(html).toContain('<p>No actors: no finding names a principal or an access key.</p>');
    expect(html).toContain('<section id="activity"><h2>Activity</h2><p>No events.</p></section>');
    expect(html).toContain('<p>None found.</p>');
    expect(html).not.toContain('id="findings-table"');
  });
});

describe('renderTriageHtml: size', () => {
  it('5,000 cited events stay well under 10 MB, and a huge record is cut with the command that shows it whole', () => {
    const report = buildTriageReport({ events: 5000 });
    report.events[10] = { ...report.events[10], json: `{"big":"${'x'.repeat(3_000_000)}"}` };
    const started = Date.now();
    const page = renderTriageHtml(report);
    const bytes = Buffer.byteLength(page);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
    const perEvent = report.events.filter((_, i) => i !== 10).reduce((n, e) => n + e.json.length, 0) / 4999;
    // Page size is the events' JSON plus a bounded overhead each (links, facts), not a multiple of the evidence.
    expect((bytes - MAX_JSON_CHARS) / 5000).toBeLessThan(perEvent + 2500);
    const cut = (report.events[10].json.length - MAX_JSON_CHARS).toLocaleString('en-US');
    expect(page).toContain(`${cut} more characters not shown; the whole record: <code>trailhound show --db /cases/acme/case.db ${report.events[10].eventId}</code>`);
    // Rendering is not the slow part of triage (a generous bound: the test machine is shared).
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the html template', () => {
  it('escapes quotes inside attribute values, not in text, and refuses what no escaping makes safe', () => {
    const v = `"'<b>&`;
    expect(html`<p title="${v}">${v}</p>`.text).toBe('<p title="&quot;&#39;&lt;b&gt;&amp;">"\'&lt;b&gt;&amp;</p>');
    // A second value in the same attribute is still an attribute value.
    expect(html`<p title="a ${'x'} ${v}">`.text).toBe('<p title="a x &quot;&#39;&lt;b&gt;&amp;">');
    expect(() => html`<p title=${v}>`).toThrow(/unquoted attribute/);
    expect(() => html`<p title="${html`<b>x</b>`}">`).toThrow(/markup inside an attribute/);
    expect(html`<p>${html`<b>${v}</b>`}</p>`.text).toBe('<p><b>"\'&lt;b&gt;&amp;</b></p>');
  });
});

describe('anchorId', () => {
  it('keeps letters, digits and dashes and encodes the rest so different ids never collide', () => {
    expect(eventAnchor('5b1f0c3e-8d2a-4c7e-9a1b-000000000000')).toBe('event-5b1f0c3e-8d2a-4c7e-9a1b-000000000000');
    expect(anchorId('x-', 'a b')).toBe('x-a_20_b');
    expect(anchorId('x-', 'a_20_b')).toBe('x-a_5f_20_5f_b');
    expect(anchorId('x-', '"><\u202e')).toBe('x-_22__3e__3c__202e_');
    expect(anchorId('x-', '😀')).toBe('x-_1f600_');
  });
});
