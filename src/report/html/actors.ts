// The Actors section: each principal or access key behind findings, told briefly — who it is, when it was active,
// what it did (story), what it created and minted, and the suspect window an access-key investigation found.

import type { TriageActor, TriageReport } from '../../model/triage.js';
import { html, joinHtml, type Html } from './escape.js';
import { codeList, count, levelBadge, spanHtml } from './format.js';
import type { Links } from './links.js';
import { windowHow } from '../triage-sections.js';

function list(items: readonly string[]): Html {
  return items.length > 0 ? html`<ul>${items.map((s) => html`<li>${s}</li>`)}</ul>` : html`<p class="none">None.</p>`;
}

function actor(a: TriageActor, i: number, report: TriageReport, links: Links): Html {
  const findings = a.findingIds.map((id) => {
    const f = links.findingById(id);
    return f ? html`<a href="#${links.finding(f)}">${f.title}</a>` : html`<span class="omitted">${id}</span>`;
  });
  const window = a.suspectWindow;
  return html`<article class="actor" id="actor-${i + 1}">
<h3>${levelBadge(a.level)} ${a.kind === 'access-key' ? 'Access key' : 'Principal'} <code>${a.id}</code></h3>
<dl class="facts">
<dt>${a.kind === 'access-key' ? 'Belongs to' : 'Account'}</dt><dd>${a.label}${a.account !== null && a.kind === 'access-key' ? html` (account <code>${a.account}</code>)` : ''}</dd>
<dt>Active</dt><dd>${spanHtml(a.firstSeen, a.lastSeen, report.tz)}</dd>
<dt>Events</dt><dd>${count(a.events)} (${count(a.errors)} failed)</dd>
<dt>Source IPs</dt><dd>${codeList(a.sourceIps, 10)}</dd>
<dt>Regions</dt><dd>${codeList(a.regions, 10)}</dd>
<dt>Findings</dt><dd>${findings.length > 0 ? joinHtml(findings, '; ') : html`<span class="none">—</span>`}</dd>
${window ? html`<dt>Suspect window</dt><dd>${spanHtml(window.start, window.end, report.tz)}${windowHow(window)}: ${window.reason}</dd>` : ''}
</dl>
<h4>Story</h4>${a.story.length > 0 ? html`<ol>${a.story.map((s) => html`<li>${s}</li>`)}</ol>` : html`<p class="none">Nothing told.</p>`}
<h4>Created</h4>${list(a.created)}
<h4>Minted</h4>${list(a.minted)}
</article>`;
}

export function actorsSection(report: TriageReport, links: Links): Html {
  return html`<section id="actors"><h2>Actors</h2>
${
  report.actors.length > 0
    ? html`<p class="note">The principals and access keys behind findings, highest level first.</p>${report.actors.map((a, i) => actor(a, i, report, links))}`
    : html`<p>No actors: no finding names a principal or an access key.</p>`
}
</section>`;
}
