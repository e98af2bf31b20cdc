// The Findings section: one table row per finding, most severe first as the model orders them. Without JavaScript
// the table is complete and in that order; the script (assets.ts) adds sorting by any column (data-sort holds the
// sort key where the text would sort wrongly: level rank, time in ms, counts) and filtering by text and level.

import { levelRank } from '../../model/detection.js';
import type { TriageFinding, TriageReport } from '../../model/triage.js';
import { html, joinHtml, type Html } from './escape.js';
import { codeList, count, sortTime, spanHtml } from './format.js';
import type { Links } from './links.js';

const OUTCOME_CLASS: Record<TriageFinding['outcome'], string> = { succeeded: 'succeeded', failed: 'outcome-failed', mixed: 'mixed' };

function detailsHtml(f: TriageFinding): Html {
  const facts: Html[] = Object.entries(f.details).map(([k, v]) => html`<dt>${k}</dt><dd>${codeList(v, 5)}</dd>`);
  if (f.accessKeyIds.length > 0) facts.push(html`<dt>Access keys</dt><dd>${codeList(f.accessKeyIds, 5)}</dd>`);
  if (f.accounts.length > 0) facts.push(html`<dt>Accounts</dt><dd>${codeList(f.accounts, 5)}</dd>`);
  if (f.regions.length > 0) facts.push(html`<dt>Regions</dt><dd>${codeList(f.regions, 5)}</dd>`);
  if (f.trust !== null) facts.push(html`<dt>Trust</dt><dd>${f.trust}</dd>`);
  return facts.length > 0 ? html`<dl class="facts">${facts}</dl>` : html``;
}

function row(f: TriageFinding, report: TriageReport, links: Links): Html {
  const meta = [f.ruleId, f.origin === 'rule' ? `rule from ${f.source}` : f.source, f.author ? `author: ${f.author}` : null].filter((s): s is string => s !== null);
  const cited = f.eventCount > f.eventIds.length ? html`<div class="more">${count(f.eventIds.length)} of ${count(f.eventCount)} cited</div>` : '';
  return html`<tr id="${links.finding(f)}" data-level="${f.level}">
<td data-sort="${levelRank(f.level)}"><span class="badge level-${f.level}">${f.level}</span></td>
<td><strong>${f.title}</strong><div class="meta">${joinHtml(meta.map((m) => html`${m}`), ' · ')}</div>${detailsHtml(f)}</td>
<td data-sort="${f.outcome}"><span class="badge ${OUTCOME_CLASS[f.outcome]}">${f.outcome}</span>${f.errorCodes.length > 0 ? html`<div>${codeList(f.errorCodes, 5)}</div>` : ''}</td>
<td data-sort="${f.revert.state}"><span class="badge ${f.revert.state}">${f.revert.state}</span>${f.revert.note ? html`<div>${f.revert.note}</div>` : ''}${
    f.revert.eventIds.length > 0 ? html`<div>by ${links.events(f.revert.eventIds, 3)}</div>` : ''
  }</td>
<td data-sort="${sortTime(f.firstTime)}">${spanHtml(f.firstTime, f.lastTime, report.tz)}</td>
<td>${codeList(f.principals, 3)}</td>
<td>${codeList(f.sourceIps, 3)}</td>
<td class="num" data-sort="${f.eventCount}">${count(f.eventCount)}</td>
<td>${links.events(f.eventIds, 3)}${cited}</td>
</tr>`;
}

export function findingsSection(report: TriageReport, links: Links): Html {
  const shown = report.findings.length;
  const total = Object.values(report.findingCounts).reduce((a, b) => a + b, 0);
  const note = total > shown ? html` (${count(total - shown)} below the level shown are left out)` : '';
  if (shown === 0) return html`<section id="findings"><h2>Findings</h2><p>No findings${note}.</p></section>`;
  return html`<section id="findings"><h2>Findings</h2>
<p class="note">${count(shown)} findings, most severe first, then oldest first${note}. Times in ${report.tz} (UTC on hover). Outcome: did the calls succeed; revert: was the change later undone.</p>
<table id="findings-table" class="findings"><thead><tr><th data-type="number">Level</th><th>Finding</th><th>Outcome</th><th>Revert</th><th data-type="number">Time</th><th>Principals</th><th>Source IPs</th><th class="num" data-type="number">Events</th><th data-nosort>Cited events</th></tr></thead>
<tbody>${report.findings.map((f) => row(f, report, links))}</tbody></table>
</section>`;
}
