// Issue 15's measures out of one bench run (bench/run.ts's results object): the compact document written to
// bench/results/ingest-issue15.json, each target with its figure and whether it is met, and one readable line per
// measure for stdout.

import type { AddOneDay, BigFile, CaseSize, DuckdbLoad } from './ingest15-bench.js';

interface Target {
  value: number | null;
  target: string;
  met: boolean | null;
}

export interface Issue15Results {
  date: string;
  machine: { cpus: number; node: string; loadAverage: number[] };
  evidence: { events: number; records: number; logFiles: number; gzMB: number; jsonMB: number; delivery: string };
  floor: { seconds: number };
  duckdbBare: DuckdbLoad | null;
  duckdbColumns: DuckdbLoad | null;
  ingest: { seconds: number; peakRssMB: number; caseBytes: number; eventsAdded: number };
  caseSize: CaseSize;
  reingest: { seconds: number; eventsAdded: number };
  addOneDay: AddOneDay;
  bigRecords: BigFile | null;
  bigNdjson: BigFile | null;
  targets: Record<string, Target>;
}

const atMost = (value: number | null | undefined, limit: number, unit: string): Target => ({
  value: value ?? null,
  target: `≤ ${limit}${unit}`,
  met: value === null || value === undefined ? null : value <= limit,
});
const atLeast = (value: number | null | undefined, limit: number, unit: string): Target => ({
  value: value ?? null,
  target: `≥ ${limit}${unit}`,
  met: value === null || value === undefined ? null : value >= limit,
});
const ratio = (a: number, b: number | undefined): number | null => (b ? +(a / b).toFixed(2) : null);

/** The compact issue-15 document out of the run's results. */
export function issue15Results(r: Record<string, unknown>): Issue15Results {
  const gen = r.generated as { events: number; records: number; logFiles: number; delivery: string };
  const base = r.baseline as { seconds: number; compressedMB: number; decompressedMB: number };
  const ing = r.ingest as { seconds: number; peakRssMB: number; caseBytes: number; eventsAdded: number };
  const duck = r.duckdb as { bare: DuckdbLoad | null; columns: DuckdbLoad | null };
  const size = r.caseSize as CaseSize;
  const reingest = r.reingest as { seconds: number; eventsAdded: number };
  const day = r.addOneDay as AddOneDay;
  const bigRecords = (r.bigRecords as BigFile | undefined) ?? null;
  const bigNdjson = (r.bigNdjson as BigFile | undefined) ?? null;
  const bigs = [bigRecords, bigNdjson].filter((b): b is BigFile => b !== null);
  const bigRuns = bigs.flatMap((b) => [b.embedded, b.noEmbed]);
  const targets: Record<string, Target> = {
    ingestToDuckdbBare: atMost(ratio(ing.seconds, duck.bare?.seconds), 1, '×'),
    ingestToFloor: atMost(ratio(ing.seconds, base.seconds), 1.5, '× (stretch)'),
    ingestPeakRssMB: atMost(ing.peakRssMB, 400, ' MB'),
    bytesPerEvent: atMost(size.bytesPerEvent, 550, ' B'),
    reingestSeconds: atMost(+reingest.seconds.toFixed(2), 2, ' s'),
    addOneDayToProportional: { value: day.ratio, target: '≈ 1 (proportional to the day)', met: null },
    bigFileMinMBps: atLeast(bigRuns.length ? Math.min(...bigRuns.map((b) => b.jsonMBps)) : null, 60, ' MB/s'),
    bigFileMaxPeakRssMB: atMost(bigRuns.length ? Math.max(...bigRuns.map((b) => b.peakRssMB)) : null, 400, ' MB'),
  };
  return {
    date: r.date as string,
    machine: { cpus: r.cpus as number, node: r.node as string, loadAverage: r.loadAverage as number[] },
    evidence: { events: gen.events, records: gen.records, logFiles: gen.logFiles, gzMB: +base.compressedMB.toFixed(1), jsonMB: +base.decompressedMB.toFixed(1), delivery: gen.delivery },
    floor: { seconds: +base.seconds.toFixed(2) },
    duckdbBare: duck.bare,
    duckdbColumns: duck.columns,
    ingest: { seconds: +ing.seconds.toFixed(2), peakRssMB: ing.peakRssMB, caseBytes: ing.caseBytes, eventsAdded: ing.eventsAdded },
    caseSize: size,
    reingest: { seconds: +reingest.seconds.toFixed(2), eventsAdded: reingest.eventsAdded },
    addOneDay: day,
    bigRecords,
    bigNdjson,
    targets,
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const verdict = (t: Target) => (t.met === null ? '' : t.met ? ' [met]' : ' [not met]');

/** `events 361 (rows 124 + indexes 237), source_blobs 334, …` B/event, tables of at least 1 B/event. */
function perEvent(c: CaseSize): string {
  const per = (b: number) => Math.round(b / Math.max(1, c.events));
  const parts = Object.entries(c.byTable)
    .filter(([, v]) => per(v.bytes + v.indexBytes) >= 1)
    .map(([k, v]) => `${k} ${per(v.bytes + v.indexBytes)}${v.indexBytes > 0 ? ` (rows ${per(v.bytes)} + indexes ${per(v.indexBytes)})` : ''}`);
  return `${parts.join(', ')} B/event`;
}

/** One readable line per measure. */
export function issue15Lines(x: Issue15Results): string[] {
  const t = x.targets;
  const duck = (d: DuckdbLoad | null, what: string) =>
    d ? `duckdb ${what}: ${d.seconds.toFixed(1)} s, peak RSS ${d.peakRssMB} MB, file ${mb(d.fileBytes)}, ${d.rows} rows (DuckDB ${d.version})` : `duckdb ${what}: not measured (@duckdb/node-api not installed?)`;
  const lines = [
    `evidence: ${x.evidence.events} events, ${x.evidence.records} records in ${x.evidence.logFiles} log files (${x.evidence.delivery} delivery), ${x.evidence.gzMB} MB gz / ${x.evidence.jsonMB} MB JSON; load average ${x.machine.loadAverage.join(' ')} on ${x.machine.cpus} cores`,
    `floor (one core gunzip + JSON.parse): ${x.floor.seconds.toFixed(1)} s`,
    duck(x.duckdbBare, 'bare read_json (one JSON[] column)'),
    duck(x.duckdbColumns, 'read_json + id/time/name/key/IP columns'),
    `trailhound ingest: ${x.ingest.seconds.toFixed(1)} s, peak RSS ${x.ingest.peakRssMB} MB${verdict(t.ingestPeakRssMB)}, case ${mb(x.ingest.caseBytes)}`,
    `ingest ÷ DuckDB bare load: ${t.ingestToDuckdbBare.value ?? '-'} (target ≤ 1.0)${verdict(t.ingestToDuckdbBare)}; ingest ÷ floor: ${t.ingestToFloor.value} (stretch ≤ 1.5)${verdict(t.ingestToFloor)}`,
    `case size: ${x.caseSize.bytesPerEvent} B per unique event (target ≤ 550)${verdict(t.bytesPerEvent)}, ${x.caseSize.bytesPerEventWithoutEvidence} B without the embedded evidence (${(x.caseSize.evidenceShare * 100).toFixed(1)} % of the file); by table with its indexes: ${perEvent(x.caseSize)}`,
    `re-ingest unchanged tree: ${x.reingest.seconds.toFixed(2)} s (target ≤ 2)${verdict(t.reingestSeconds)}`,
    `add one day (${x.addOneDay.days.join(' + ')}, ${x.addOneDay.filesAdded} files): ${x.addOneDay.seconds.toFixed(1)} s for ${x.addOneDay.eventsAdded} events (${(x.addOneDay.share * 100).toFixed(1)} % of the case); proportional would be ${x.addOneDay.proportionalSeconds.toFixed(1)} s: ratio ${x.addOneDay.ratio}`,
  ];
  for (const b of [x.bigRecords, x.bigNdjson]) {
    if (!b) continue;
    const name = b.format === 'records' ? `one ${(b.bytes / 1e9).toFixed(2)} GB Records file` : `one ${(b.bytes / 1e9).toFixed(2)} GB NDJSON file`;
    for (const [label, r] of [
      ['embedded', b.embedded],
      ['--no-embed', b.noEmbed],
    ] as const) {
      lines.push(`${name} (${b.events} events), ${label}: ${r.seconds.toFixed(1)} s = ${r.jsonMBps} MB/s (target ≥ 60), peak RSS ${r.peakRssMB} MB (target ≤ 400), case ${mb(r.caseBytes)}`);
    }
  }
  if (!x.bigRecords && !x.bigNdjson) lines.push('big single files: skipped (--skip-big)');
  return lines;
}
