// trailhound show <eventID..> --db case.db [--format table|json|jsonl|csv|md] [--fields ...] [--raw]   (text = table)
// An event whole: its original JSON from the evidence bytes embedded in the case, and every place it was seen
// (source file, record index, file hashes). Documented in docs/search.md#show and docs/output-formats.md#show.

import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { EXIT, UsageError } from '../../model/errors.js';
import { dbOptions, formatOptions, readOutput } from '../options.js';
import { listOption } from '../../index/filter-spec.js';
import { renderEvents, unknownFields, ALL_EVENT_FIELD_NAMES, FIELD_ALIASES } from '../../report/events.js';
import { renderJsonLines } from '../../report/json.js';
import { trustForEvents } from '../../index/trust.js';
import { openCase, type Db } from '../../index/open.js';
import { eventIdOfRow, eventProvenance, eventRowId, MIN_EVENT_ID_PREFIX, readEventBody, readOccurrenceBody, resolveEventId, type Provenance } from '../../index/bodies.js';
import { fetchEventRows } from '../../index/event-rows.js';
import { caseCoverage } from '../../index/query-coverage.js';
import { describeCoverage } from '../../report/coverage.js';
import { isoUtc } from '../../model/time.js';
import { escapeControl, safeJson } from '../../model/escape.js';
import { renderJson } from '../../report/json.js';

interface Args {
  db: string;
  eventId: string[];
  format?: string;
  json?: boolean;
  excel?: boolean;
  width?: number;
  fields?: string;
  raw: boolean;
}

export interface ShownEvent {
  eventID: string;
  eventTime: string | null;
  eventName: string | null;
  /** The original JSON text as stored in the evidence. */
  original: string | null;
  event: unknown;
  provenance: {
    root: string;
    path: string;
    recordIndex: number;
    sha256: string;
    contentSha256: string | null;
    kind: string;
    embedded: boolean;
    /** True when this occurrence's body differs from the event's (a conflict); its text is in `body`. */
    differentBody: boolean;
    body?: string | null;
  }[];
}

/** One event by its row id (resolve an eventID or prefix with resolveEventId). */
function showEvent(db: Db, id: number): ShownEvent {
  const eventId = eventIdOfRow(db, id) ?? '';
  const row = fetchEventRows(db, [id])[0];
  const body = readEventBody(db, id);
  const prov: Provenance[] = eventProvenance(db, id);
  return {
    eventID: eventId,
    eventTime: isoUtc(row?.eventTime ?? null),
    eventName: row?.eventName ?? null,
    original: body?.json ?? null,
    event: body?.record ?? null,
    provenance: prov.map((p) => ({
      root: p.root,
      path: p.path,
      recordIndex: p.recordIndex,
      sha256: p.sha256,
      contentSha256: p.contentSha256,
      kind: p.kind,
      embedded: p.embedded,
      differentBody: p.variant !== 0,
      ...(p.variant !== 0 ? { body: readOccurrenceBody(db, p) } : {}),
    })),
  };
}

export function command(ctx: CommandContext): CommandModule<object, Args> {
  return {
    command: 'show <eventId..>',
    describe: 'Show events whole: the original JSON from the evidence, and every source file and record it came from, with hashes',
    builder: (y) =>
      y
        .positional('eventId', { type: 'string', array: true, describe: `eventID (one or more); a unique prefix of at least ${MIN_EVENT_ID_PREFIX} characters will do (UUIDs in any case)` })
        .options(dbOptions)
        .options({
          ...formatOptions,
          format: {
            ...formatOptions.format,
            choices: [...(formatOptions.format.choices as string[]), 'text'],
            describe: 'table (or text; default): provenance then the pretty JSON; json: one object per event; jsonl: one a line; csv, md: one row per event with the search fields (docs/output-formats.md#show)',
          },
          fields: { ...formatOptions.fields, describe: 'With csv or md: the columns (same names as search --fields, request/response paths included)' },
        })
        .option('raw', { type: 'boolean', default: false, describe: 'Print only the original JSON text, as stored (escaped when stdout is a terminal)' }) as never,
    handler: (argv) => {
      const ids = (argv.eventId ?? []).map(String).filter((s) => s.trim() !== '');
      if (ids.length === 0) throw new UsageError('show: give at least one eventID');
      const out = readOutput(argv, { text: 'table' });
      const fields = argv.fields ? listOption(argv.fields) : undefined;
      if (fields) {
        const bad = unknownFields(fields, [{ name: 'trust', header: 'Trust', values: new Map() }]);
        if (bad.length) throw new UsageError(`--fields: unknown field ${bad.map((b) => `"${b}"`).join(', ')}; known fields: ${[...ALL_EVENT_FIELD_NAMES, 'trust'].join(', ')}; aliases: ${Object.keys(FIELD_ALIASES).join(', ')}`);
      }
      const db = openCase(argv.db, { readonly: true });
      const tty = process.stdout.isTTY === true;
      try {
        const shown: ShownEvent[] = [];
        const missing: string[] = [];
        let tooShort = false;
        const ambiguous: string[] = [];
        for (const id of ids) {
          // The ID as given first: attacker-made IDs may end in characters trim() removes (U+FEFF, spaces).
          let r = resolveEventId(db, id);
          if (r.kind === 'none' && id.trim() !== id) r = resolveEventId(db, id.trim());
          if (r.kind === 'found') shown.push(showEvent(db, r.rowId));
          else if (r.kind === 'none') {
            missing.push(id);
            tooShort ||= r.tooShort;
          } else {
            const lines = fetchEventRows(db, r.rowIds).map((e) => `  ${escapeControl(e.eventId)}  ${isoUtc(e.eventTime) ?? '-'}  ${escapeControl(e.eventName ?? '-')}`);
            ambiguous.push(`trailhound: eventID prefix "${escapeControl(id.trim())}" matches ${r.more ? `more than ${r.rowIds.length}` : r.rowIds.length} events; give more of the ID:\n${lines.join('\n')}${r.more ? '\n  …' : ''}\n`);
          }
        }
        if (ambiguous.length) {
          // A usage error: nothing is shown until every argument names one event.
          for (const a of ambiguous) process.stderr.write(a);
          ctx.exitCode = EXIT.usage;
          return;
        }
        if (argv.raw) {
          for (const s of shown) process.stdout.write(`${tty ? escapeControl(safeJson(s.original ?? '')) : (s.original ?? '')}\n`);
        } else if (out.format === 'json') {
          process.stdout.write(renderJson(ids.length === 1 && shown.length === 1 ? shown[0] : { events: shown, missing }));
        } else if (out.format === 'jsonl') {
          process.stdout.write(renderJsonLines(shown));
        } else if (out.format === 'csv' || out.format === 'md') {
          const rowIds = shown.map((s) => eventRowId(db, s.eventID)).filter((x): x is number => x !== null);
          const rows = fetchEventRows(db, rowIds);
          const bodies = new Map(shown.map((s, i) => [rowIds[i], s.event as Record<string, unknown> | null]));
          const extra = [{ name: 'trust', header: 'Trust', values: trustForEvents(db, rowIds) }];
          process.stdout.write(renderEvents(rows, { format: out.format, fields, tz: 'UTC', extra, excel: out.excel, bodyOf: (r) => bodies.get(r.id) ?? null }));
        } else {
          for (const s of shown) process.stdout.write(textOf(s));
        }
        if (missing.length) {
          process.stderr.write(
            `trailhound: no event with eventID or eventID prefix ${missing.map((m) => `"${escapeControl(m)}"`).join(', ')} in ${escapeControl(argv.db)}${tooShort ? ` (a prefix needs at least ${MIN_EVENT_ID_PREFIX} characters)` : ''}; ${escapeControl(describeCoverage(caseCoverage(db), isoUtc))}\n`,
          );
          ctx.exitCode = EXIT.fatal;
        }
      } finally {
        db.close();
      }
    },
  };
}

function textOf(s: ShownEvent): string {
  const lines: string[] = [];
  lines.push(`# event ${escapeControl(s.eventID)}  ${s.eventTime ?? '-'}  ${escapeControl(s.eventName ?? '-')}`);
  lines.push(`# seen ${s.provenance.length} time${s.provenance.length === 1 ? '' : 's'}:`);
  s.provenance.forEach((p, i) => {
    lines.push(
      `#  [${i + 1}] ${escapeControl(p.path)}  record ${p.recordIndex}  (${p.kind}${p.embedded ? ', embedded' : ', not embedded'}${p.differentBody ? ', DIFFERENT BODY' : ''})`,
    );
    lines.push(`#      root ${escapeControl(p.root)}`);
    lines.push(`#      sha256 ${p.sha256}${p.contentSha256 && p.contentSha256 !== p.sha256 ? `  content-sha256 ${p.contentSha256}` : ''}`);
  });
  // renderJson: JSON.stringify escapes C0 controls inside strings; safeJson what it leaves raw (C1, bidi).
  if (s.event !== null) lines.push(renderJson(s.event).trimEnd());
  else lines.push('# the original body could not be read (evidence not embedded and the file is gone or changed)');
  for (const p of s.provenance.filter((x) => x.differentBody)) {
    lines.push(`# different body in ${escapeControl(p.path)} record ${p.recordIndex}:`);
    lines.push(p.body ? prettyOrEscaped(p.body) : '# (unreadable)');
  }
  return `${lines.join('\n')}\n\n`;
}

function prettyOrEscaped(text: string): string {
  try {
    return renderJson(JSON.parse(text)).trimEnd();
  } catch {
    return escapeControl(text);
  }
}
