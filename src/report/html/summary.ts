// The report's first two sections: Summary (what the evidence is, the integrity sentence, findings by level, the
// steps that ran) and Blind spots (what the evidence cannot show: integrity gaps, logging stopped, missing hours …).

import { LEVELS } from '../../model/detection.js';
import type { TriageReport } from '../../model/triage.js';
import { html, type Html } from './escape.js';
import { codeList, count, duration, levelBadge, spanHtml, timeHtml } from './format.js';
import type { Links } from './links.js';

function tally(record: Record<string, number>): Html {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 0) return html`<span class="none">—</span>`;
  return html`${entries.map(([k, n], i) => html`${i > 0 ? ', ' : ''}${k} ${count(n)}`)}`;
}

export function summarySection(report: TriageReport): Html {
  const e = report.evidence;
  const trust = e.trust
    ? html`${count(e.trust.proven)} proven, ${count(e.trust.provisional)} provisional, ${count(e.trust.unverified)} unverified log files${
        e.verifyExitCode !== null ? html` (verify exit code ${e.verifyExitCode})` : ''
      }`
    : html`<span class="none">not verified</span>`;
  const levels = [...LEVELS].reverse();
  const steps = report.steps.map(
    (s) => html`<tr><td>${s.step}</td><td><span class="badge ${s.status}">${s.status}</span></td><td>${s.note}</td><td class="num">${duration(s.durationMs)}</td></tr>`,
  );
  return html`<section id="summary"><h2>Summary</h2>
<p class="integrity">Integrity: ${e.integrity}</p>
<dl class="facts">
<dt>Case file</dt><dd><code>${e.caseFile}</code></dd>
<dt>Events</dt><dd>${count(e.events)}</dd>
<dt>Time range</dt><dd>${spanHtml(e.firstEvent, e.lastEvent, report.tz)}</dd>
<dt>Accounts</dt><dd>${codeList(e.accounts)}</dd>
<dt>Regions</dt><dd>${codeList(e.regions)}</dd>
<dt>Sources</dt><dd>${tally(e.sources)}</dd>
<dt>Categories</dt><dd>${tally(e.categories)}</dd>
<dt>Trust</dt><dd>${trust}</dd>
<dt>Exit code</dt><dd>${report.exitCode}</dd>
</dl>
<h3>Findings by level</h3>
<div class="counts">${levels.map((l) => html`<span>${levelBadge(l)} ${count(report.findingCounts[l] ?? 0)}</span>`)}</div>
<h3>Steps</h3>
${steps.length > 0 ? html`<table class="steps"><thead><tr><th>Step</th><th>Status</th><th>Note</th><th class="num">Time</th></tr></thead><tbody>${steps}</tbody></table>` : html`<p class="none">No steps recorded.</p>`}
</section>`;
}

export function blindSpotsSection(report: TriageReport, links: Links): Html {
  const rows = report.blindSpots.map(
    (b) => html`<tr><td><span class="badge sev-${b.severity}">${b.severity}</span></td><td>${b.kind}</td><td>${b.account ?? '—'}</td><td>${b.region ?? '—'}</td><td>${
      b.start === null && b.end === null ? html`<span class="none">—</span>` : html`${timeHtml(b.start, report.tz)} → ${b.end === null ? 'end of evidence' : timeHtml(b.end, report.tz)}`
    }</td><td>${b.message}</td><td>${links.events(b.eventIds, 3)}</td></tr>`,
  );
  return html`<section id="blind-spots"><h2>Blind spots</h2>
<p class="note">What this evidence cannot show: spans with integrity gaps or failures, logging stopped or reduced, hours an account and region delivered nothing, and event kinds absent from the evidence.</p>
${
  rows.length > 0
    ? html`<table class="blind-spots"><thead><tr><th>Severity</th><th>Kind</th><th>Account</th><th>Region</th><th>Span</th><th>What</th><th>Events</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>None found.</p>`
}
</section>`;
}
