// The last two sections: Next steps (commands ready to copy) and Events (each cited event's detail: where it came
// from — file, record index, the file's SHA-256, its trust label — and its original JSON). Every link to an event
// in the report lands on its article here (`#event-<eventId sanitised>`).

import type { CitedEventDetail, NextStep, TriageReport } from '../../model/triage.js';
import { eventAnchor, html, joinHtml, textLines, type Html } from './escape.js';
import { count } from './format.js';
import { isoInZone } from '../../model/time.js';
import { isoUtc } from '../../model/time.js';
import type { Links } from './links.js';

/** Original JSON longer than this is cut (a hostile record can be megabytes); `trailhound show` prints it whole. */
export const MAX_JSON_CHARS = 64 * 1024;

function steps(list: readonly NextStep[], title: string): Html {
  if (list.length === 0) return html``;
  return html`<h3>${title}</h3><ol class="next-steps">${list.map((s) => html`<li><p>${s.why}</p><pre><code>${s.command}</code></pre></li>`)}</ol>`;
}

export function nextStepsSection(report: TriageReport): Html {
  const investigate = report.nextSteps.filter((s) => s.kind === 'investigate');
  const response = report.nextSteps.filter((s) => s.kind === 'response');
  return html`<section id="next-steps"><h2>Next steps</h2>
${
  report.nextSteps.length > 0
    ? html`<p class="note">Commands ready to paste. Response commands change the AWS account: review them first.</p>${steps(investigate, 'Dig further')}${steps(response, 'Response')}`
    : html`<p>None suggested.</p>`
}
</section>`;
}

/** The original JSON in a <pre>: each line escaped, the line breaks kept. */
function preText(text: string): Html {
  return html`<pre class="json">${textLines(text)}</pre>`;
}

function jsonBlock(e: CitedEventDetail, caseFile: string): Html {
  if (e.json.length <= MAX_JSON_CHARS) return preText(e.json);
  const rest = e.json.length - MAX_JSON_CHARS;
  return html`${preText(e.json.slice(0, MAX_JSON_CHARS))}<p class="more">${count(rest)} more characters not shown; the whole record: <code>trailhound show --db ${caseFile} ${e.eventId}</code></p>`;
}

/** The facts of an event as aligned `label  value` lines in one <pre>: a page of thousands of events stays light. */
function facts(rows: ReadonlyArray<readonly [string, string | null]>): Html {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return html`<pre class="facts">${textLines(rows.map(([label, value]) => `${label.padEnd(width)}${value ?? '—'}`).join('\n'))}</pre>`;
}

function event(e: CitedEventDetail, report: TriageReport, citedBy: ReadonlyMap<string, Html[]>): Html {
  const by = citedBy.get(e.eventId) ?? [];
  const ms = e.time === null ? NaN : Date.parse(e.time);
  const when = Number.isNaN(ms) ? (e.time ?? '') : `${isoInZone(ms, report.tz).replace('T', ' ')}`;
  return html`<article class="event" id="${eventAnchor(e.eventId)}">
<h3 title="${Number.isNaN(ms) ? '' : isoUtc(ms)}">${e.eventName ?? 'event'} · ${when}</h3>
${facts([
  ['Event ID', e.eventId],
  ['Time (UTC)', Number.isNaN(ms) ? e.time : isoUtc(ms)],
  ['Event source', e.eventSource],
  ['Principal', e.principal],
  ['Source IP', e.sourceIp],
  ['Error', e.errorCode],
  ['Account', e.account],
  ['Region', e.region],
  ['File', e.file],
  ['Record', `#${e.recordIndex} in the file (0-based)`],
  ['File SHA-256', e.fileSha256],
  ['Trust', e.trust ?? 'unverified'],
])}${by.length > 0 ? html`<p>Cited by ${joinHtml(by, '; ')}</p>` : ''}
<p class="more">Original record:</p>${jsonBlock(e, report.evidence.caseFile)}
</article>`;
}

/** Oldest first; events without a readable time last, in the order given. */
function byTime(events: readonly CitedEventDetail[]): CitedEventDetail[] {
  const key = (e: CitedEventDetail) => {
    const ms = e.time === null ? NaN : Date.parse(e.time);
    return Number.isNaN(ms) ? Infinity : ms;
  };
  return [...events].sort((a, b) => key(a) - key(b));
}

export function eventsSection(report: TriageReport, links: Links): Html {
  const citedBy = new Map<string, Html[]>();
  for (const f of report.findings) {
    for (const id of new Set([...f.eventIds, ...f.revert.eventIds])) {
      const list = citedBy.get(id) ?? [];
      list.push(html`<a href="#${links.finding(f)}">${f.title}</a>`);
      citedBy.set(id, list);
    }
  }
  const omitted = report.citedEventsOmitted > 0 ? html` ${count(report.citedEventsOmitted)} more cited events are not embedded (the report caps them); <code>trailhound show</code> prints any event.` : '';
  return html`<section id="events"><h2>Events</h2>
<p class="note">The events the findings, blind spots and actors cite, oldest first, with where each came from.${omitted}</p>
${report.events.length > 0 ? byTime(report.events).map((e) => event(e, report, citedBy)) : html`<p>No cited events.</p>`}
</section>`;
}
