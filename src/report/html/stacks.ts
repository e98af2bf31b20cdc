// The Stack counts section: top values per stack (principals, access keys, source IPs, user-agent families,
// event names rarest first, error codes, regions) with a bar each, failed calls in red, and "new" marked for values
// first seen after the baseline.

import type { StackRow, TriageReport, TriageStacks } from '../../model/triage.js';
import { html, type Html } from './escape.js';
import { count, timeHtml } from './format.js';
import { barLine } from './svg.js';

/** Rows shown per stack. */
export const STACK_TOP = 15;

const STACKS: ReadonlyArray<readonly [keyof Omit<TriageStacks, 'baselineEnd' | 'baselineNote'>, string, string]> = [
  ['principals', 'Principals', 'Principal'],
  ['accessKeys', 'Access keys', 'Access key'],
  ['sourceIps', 'Source IPs', 'Source IP'],
  ['userAgents', 'User agents (by family)', 'User-agent family'],
  ['eventNames', 'Event names (rarest first)', 'Event name'],
  ['errors', 'Errors', 'Error code'],
  ['regions', 'Regions', 'Region'],
];

function table(rows: readonly StackRow[], header: string, withVariants: boolean, report: TriageReport): Html {
  if (rows.length === 0) return html`<p class="none">None in the evidence.</p>`;
  const shown = rows.slice(0, STACK_TOP);
  const max = shown.reduce((m, r) => Math.max(m, r.events), 0);
  const body = shown.map(
    (r) => html`<tr><td><code>${r.value}</code>${r.new ? html` <span class="badge new" title="first seen after the baseline">new</span>` : ''}</td><td>${barLine(r.events, r.errors, max)}</td><td class="num">${count(r.events)}</td><td class="num">${count(r.errors)}</td>${
      withVariants ? html`<td class="num">${r.variants === undefined ? '—' : count(r.variants)}</td>` : ''
    }<td>${timeHtml(r.firstSeen, report.tz)}</td><td>${timeHtml(r.lastSeen, report.tz)}</td></tr>`,
  );
  return html`<table class="stack"><thead><tr><th>${header}</th><th><span class="sr">Share</span></th><th class="num">Events</th><th class="num">Failed</th>${
    withVariants ? html`<th class="num">Variants</th>` : ''
  }<th>First seen</th><th>Last seen</th></tr></thead><tbody>${body}</tbody></table>${
    rows.length > shown.length ? html`<p class="more">${count(shown.length)} of ${count(rows.length)} shown.</p>` : ''
  }`;
}

export function stacksSection(report: TriageReport): Html {
  const s = report.stacks;
  return html`<section id="stacks"><h2>Stack counts</h2>
<p class="note">${s.baselineNote}${s.baselineEnd !== null ? html` Baseline ends ${timeHtml(s.baselineEnd, report.tz)}; <span class="badge new">new</span> marks values first seen after it.` : ''} Bars: events, the failed part in red.</p>
${STACKS.map(([key, title, header]) => html`<h3 id="stack-${key}">${title}</h3>${table(s[key], header, key === 'userAgents', report)}`)}
</section>`;
}
