// Cross-references inside the report: the anchor of each finding (its findings-table row), and links to cited
// events. A cited event that the report does not embed (the model caps them) is shown as its id, struck through,
// instead of a link that goes nowhere.

import type { CitedEventDetail, TriageFinding, TriageReport } from '../../model/triage.js';
import { eventAnchor, html, joinHtml, type Html } from './escape.js';

export interface Links {
  /** The anchor of a finding's row (`finding-3`). */
  finding(f: TriageFinding): string;
  /** The finding with this id; null when the report has none (an actor may cite a finding left out by level). */
  findingById(id: string): TriageFinding | null;
  event(id: string): CitedEventDetail | null;
  /** Links to events, `max` of them inline and the rest behind a <details>. */
  events(ids: readonly string[], max?: number): Html;
}

export function reportLinks(report: TriageReport): Links {
  const index = new Map(report.findings.map((f, i) => [f, i + 1]));
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const events = new Map(report.events.map((e) => [e.eventId, e]));
  const one = (id: string): Html => {
    const e = events.get(id);
    if (!e) return html`<span class="omitted" title="not embedded in this report">${id}</span>`;
    return html`<a href="#${eventAnchor(id)}" title="${id}">${e.eventName ?? id}</a>`;
  };
  return {
    finding: (f) => `finding-${index.get(f) ?? 0}`,
    findingById: (id) => byId.get(id) ?? null,
    event: (id) => events.get(id) ?? null,
    events(ids, max = Infinity) {
      if (ids.length === 0) return html`<span class="none">—</span>`;
      const inline = joinHtml(ids.slice(0, max).map(one), ', ');
      if (ids.length <= max) return inline;
      return html`${inline} <details><summary>all ${ids.length}</summary>${joinHtml(ids.map(one), ', ')}</details>`;
    },
  };
}
