// The triage report as one self-contained HTML file (docs/html-report.md): no network, no external asset; one
// inline stylesheet and one inline script admitted by their SHA-256 hashes in a strict Content-Security-Policy.
// Sections, each with an id for the table of contents: Summary, Blind spots, Findings, Actors, Activity, Coverage,
// Stack counts, Next steps, Events. Every string from the report goes through one escaper (html/escape.ts). Pure:
// report in, text out.

import type { TriageReport } from '../model/triage.js';
import { STYLE, SCRIPT, contentSecurityPolicy } from './html/assets.js';
import { html, raw, type Html } from './html/escape.js';
import { actorsSection } from './html/actors.js';
import { eventsSection, nextStepsSection } from './html/events.js';
import { findingsSection } from './html/findings.js';
import { reportLinks, type Links } from './html/links.js';
import { blindSpotsSection, summarySection } from './html/summary.js';
import { stacksSection } from './html/stacks.js';
import { activityChart, coverageHeatMap, swatch } from './html/svg.js';
import { count, timeHtml } from './html/format.js';

/** The sections in order: id and heading (the table of contents). */
export const TRIAGE_HTML_SECTIONS: ReadonlyArray<readonly [string, string]> = [
  ['summary', 'Summary'],
  ['blind-spots', 'Blind spots'],
  ['findings', 'Findings'],
  ['actors', 'Actors'],
  ['activity', 'Activity'],
  ['coverage', 'Coverage'],
  ['stacks', 'Stack counts'],
  ['next-steps', 'Next steps'],
  ['events', 'Events'],
];

function activitySection(report: TriageReport, links: Links): Html {
  const chart = activityChart(report.activity, report.findings, report.tz, (f) => links.finding(f));
  if (!chart) return html`<section id="activity"><h2>Activity</h2><p>No events.</p></section>`;
  return html`<section id="activity"><h2>Activity</h2>
<p class="note">Grey: ${chart.binText}; red: events findings cite; a triangle marks each finding at its first event, coloured by level (links to the finding).${
  chart.cuts > 0 ? ' Hatched bands: long silences (no events for days) cut out of the time axis, with their length.' : ''
} Times in ${report.tz}.</p>
${chart.svg}
</section>`;
}

function coverageSection(report: TriageReport): Html {
  const map = coverageHeatMap(report.coverage);
  if (!map) return html`<section id="coverage"><h2>Coverage</h2><p>No events.</p></section>`;
  return html`<section id="coverage"><h2>Coverage</h2>
<p class="note">Events per account and region, one column per ${map.columnText} (UTC). ${count(map.rows)} account/region rows; ${count(map.gaps)} empty cells (gaps: no events from that account and region in that ${map.columnText}, inside the evidence's range).</p>
<div class="legend"><span>${swatch('gap')} gap (no events)</span><span>${swatch('heat-1')}${swatch('heat-2')}${swatch('heat-3')}${swatch('heat-4')}${swatch('heat-5')} fewer → more events (log scale)</span></div>
${map.svg}
</section>`;
}

/** The whole report: `<!doctype html>` to `</html>`. */
export function renderTriageHtml(report: TriageReport): string {
  const links = reportLinks(report);
  const csp = contentSecurityPolicy(STYLE, SCRIPT);
  const caseName = report.evidence.caseFile.split(/[\\/]/).pop() ?? report.evidence.caseFile;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="trailhound ${report.toolVersion}">
<title>Triage: ${caseName}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header><h1>Triage: <code>${caseName}</code></h1>
<p class="meta">trailhound ${report.toolVersion} · generated ${timeHtml(report.generatedAt, report.tz)} · times in ${report.tz} (UTC on hover) · ${report.schema}</p>
<nav class="toc" aria-label="Contents"><ol>${TRIAGE_HTML_SECTIONS.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)}</ol></nav>
</header>
<main>
${summarySection(report)}
${blindSpotsSection(report, links)}
${findingsSection(report, links)}
${actorsSection(report, links)}
${activitySection(report, links)}
${coverageSection(report)}
${stacksSection(report)}
${nextStepsSection(report)}
${eventsSection(report, links)}
</main>
<script>${raw(SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}
