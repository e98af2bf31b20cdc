// A test-only investigation, added the way a new one is: this one file (descriptor, run and view) plus its test
// (example-investigation.test.ts). It counts the calls made to one event source, by event name. Registering it is
// all it takes to appear in `trailhound investigate list`, as `trailhound investigate event-source`, and in the TUI.

import type { Investigation } from '../../src/scenarios/descriptor.js';
import { searchEvents } from '../../src/index/search.js';
import type { ReportView } from '../../src/model/report-view.js';

export interface EventSourceReport {
  eventSource: string;
  names: Array<{ eventName: string; count: number }>;
}

/** The view: one table of event names, most called first. Pure. */
function eventSourceView(r: EventSourceReport): ReportView {
  return {
    title: `Calls to ${r.eventSource}`,
    facts: [['Event names', String(r.names.length)]],
    sections: [
      {
        title: 'Event names',
        columns: [
          { key: 'eventName', header: 'Event name' },
          { key: 'count', header: 'Calls', align: 'right' },
        ],
        rows: r.names.map((n) => ({ eventName: n.eventName, count: n.count })),
        empty: 'No call to this event source in the range.',
      },
    ],
    notes: [],
  };
}

export const eventSourceInvestigation: Investigation<EventSourceReport> = {
  kind: 'code',
  id: 'investigate.event-source',
  name: 'event-source',
  command: 'investigate event-source <source>',
  title: 'Calls to an event source',
  description: 'Every call to an event source, counted by event name.',
  summary: 'Calls to an event source (ec2.amazonaws.com…), counted by event name',
  menuTitle: 'Event source: its calls, by name',
  parameters: [
    {
      name: 'eventSource',
      type: 'string',
      description: 'The event source',
      required: true,
      default: null,
      pattern: null,
      cli: { positional: true, describe: 'Event source, e.g. ec2.amazonaws.com' },
      form: { label: 'Event source', example: 'ec2.amazonaws.com' },
    },
    {
      name: 'minCount',
      type: 'integer',
      description: 'Only event names called at least this often',
      required: false,
      default: 1,
      pattern: null,
      min: 1,
      cli: { option: 'min-count', describe: 'Only event names called at least N times' },
    },
  ],
  example: ['trailhound investigate event-source ec2.amazonaws.com --db case.db', 'What was called on EC2'],
  run: (db, p, common) => {
    const source = String(p.eventSource);
    const rows = searchEvents(db, { ...common.filter, eventSources: [source] }).rows;
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.eventName ?? '(none)', (counts.get(r.eventName ?? '(none)') ?? 0) + 1);
    const names = [...counts]
      .filter(([, n]) => n >= Number(p.minCount))
      .map(([eventName, count]) => ({ eventName, count }))
      .sort((a, b) => b.count - a.count || a.eventName.localeCompare(b.eventName));
    return { eventSource: source, names };
  },
  view: (r) => eventSourceView(r),
};
