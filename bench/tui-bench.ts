// TUI benchmark: the time the first screen's data takes and the time each list keystroke spends in queries, measured
// through the same functions the TUI calls (src/index/tui-queries.ts, src/tui/list-model.ts, src/tui/filter-text.ts).
// bench/run.ts calls runTuiBench on the 1M-event case; `node dist/bench/tui-bench.js case.db` runs it alone.
// Targets (docs/tui.md): first screen ≤ 1000 ms, each list keystroke ≤ 50 ms.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCase } from '../src/index/open.js';
import { integritySummary } from '../src/index/trust.js';
import { activity, DAY_MS, HOUR_MS, overviewDetailsScan, overviewFacts, warningGroups } from '../src/index/case-overview.js';
import { fetchEventRows } from '../src/index/event-rows.js';
import { eventProvenance, readEventBody } from '../src/index/bodies.js';
import { EventListModel, caseListSource } from '../src/tui/list-model.js';
import { parseFilterText, termsToFilter } from '../src/tui/filter-text.js';

const VIEW = 24;

function ms(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

const round = (x: number): number => Math.round(x * 10) / 10;

export async function runTuiBench(caseDb: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // First screen: open the case and load everything the overview's first frame shows.
  const t0 = performance.now();
  const db = openCase(caseDb, { readonly: true });
  try {
    const facts = overviewFacts(db);
    integritySummary(db);
    warningGroups(db, 3);
    const days = activity(db, {}, DAY_MS);
    if (days.length <= 21) activity(db, {}, HOUR_MS);
    out.firstScreenMs = round(performance.now() - t0);
    out.events = facts.events;
    // The counts that need a table scan run in chunks after the first frame; a key waits at most one chunk.
    const scan = overviewDetailsScan(db);
    const chunks: number[] = [];
    let finished = false;
    const t1 = performance.now();
    while (!finished) chunks.push(ms(() => (finished = scan.step())));
    out.overviewDetailsMs = round(performance.now() - t1);
    out.overviewDetailsChunkMaxMs = round(Math.max(...chunks));

    // The event list, unfiltered: first page, then the count (shown when ready).
    const ctx = { tz: 'UTC', now: Date.now() };
    const model = new EventListModel(caseListSource(db, {}));
    out.listFirstPageMs = round(ms(() => model.loadTop()));
    out.listCountMs = round(ms(() => model.loadCount()));

    // Keystrokes: ↓ 2000 times (crosses many pages, with trimming), PgDn 300 times, End, PgUp from the end, Home.
    const down: number[] = [];
    for (let i = 0; i < 2000; i++) down.push(ms(() => model.move(1, VIEW)));
    const pageDown: number[] = [];
    for (let i = 0; i < 300; i++) pageDown.push(ms(() => model.move(VIEW, VIEW)));
    out.keyDownP50Ms = round(pct(down, 50));
    out.keyDownP99Ms = round(pct(down, 99));
    out.keyDownMaxMs = round(Math.max(...down));
    out.keyPageDownP50Ms = round(pct(pageDown, 50));
    out.keyPageDownP99Ms = round(pct(pageDown, 99));
    out.keyPageDownMaxMs = round(Math.max(...pageDown));
    out.keyEndMs = round(ms(() => model.loadBottom(VIEW)));
    const pageUp: number[] = [];
    for (let i = 0; i < 100; i++) pageUp.push(ms(() => model.move(-VIEW, VIEW)));
    out.keyPageUpFromEndMaxMs = round(Math.max(...pageUp));
    out.keyHomeMs = round(ms(() => model.loadTop()));
    out.listRowsHeldMax = model.maxRows;

    // Jump to a time in the middle of the case (histogram Enter, detail jumps) and move around it.
    const mid = facts.firstTime !== null && facts.lastTime !== null ? Math.floor((facts.firstTime + facts.lastTime) / 2) : 0;
    out.jumpToTimeMs = round(ms(() => model.loadAt(mid, VIEW)));

    // Filters typed in the bar: parse + build + first page, then the count.
    const key = db.prepare('SELECT s.value FROM events e INDEXED BY events_key JOIN strings s ON s.id = e.access_key_id WHERE e.access_key_id IS NOT NULL LIMIT 1').pluck().get() as string | undefined;
    const region = facts.regions[0];
    for (const [name, text] of [
      ['AccessKey', key ? `access-key:${key}` : ''],
      ['Region', region ? `region:${region}` : ''],
      ['NameAndRegion', region ? `event-name:GetObject,PutObject region:${region}` : ''],
    ] as Array<[string, string]>) {
      if (!text) continue;
      let m: EventListModel | null = null;
      out[`filter${name}FirstPageMs`] = round(
        ms(() => {
          const f = termsToFilter(parseFilterText(text).terms, ctx);
          m = new EventListModel(caseListSource(db, f));
          m.loadTop();
        }),
      );
      out[`filter${name}CountMs`] = round(ms(() => m!.loadCount()));
      const keys: number[] = [];
      for (let i = 0; i < 300; i++) keys.push(ms(() => m!.move(1, VIEW)));
      out[`filter${name}KeyDownMaxMs`] = round(Math.max(...keys));
      out[`filter${name}HistogramMs`] = round(ms(() => activity(db, termsToFilter(parseFilterText(text).terms, ctx), HOUR_MS)));
    }

    // Opening an event: its row, original JSON and provenance.
    const first = model.selected();
    if (first) {
      out.openEventMs = round(
        ms(() => {
          fetchEventRows(db, [first.id]);
          readEventBody(db, first.id);
          eventProvenance(db, first.id);
        }),
      );
    }
  } finally {
    db.close();
  }
  return out;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/tui-bench.js <case.db>\n');
    process.exit(2);
  }
  runTuiBench(file).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
