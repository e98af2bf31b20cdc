// `trailhound triage --timeline FILE`: every event of a case, with the findings that cite it, written to a timeline
// file (docs/timeline.md) — Timesketch's import format or a generic one, as JSON Lines or CSV. Rows are streamed from
// the case and written in chunks with synchronous writes, so memory stays bounded; the file appears only when
// complete (written beside it under a temporary name, then renamed). Evidence is read-only: a target inside an
// evidence folder of the case is refused.

import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../index/open.js';
import { timelineRows } from '../index/timeline-rows.js';
import { timelineCsvHeader, timelineCsvRow, timelineJsonLine, type TimelineFlavour, type TimelineFormat } from '../report/timeline.js';
import { ExportError } from '../model/errors.js';
import { partialPath, refuseEvidenceTarget } from './output-file.js';

export interface TimelineExportOptions {
  flavour: TimelineFlavour;
  format: TimelineFormat;
}

export interface TimelineExportResult {
  /** Events written (one line each). */
  events: number;
  /** Of those, the events cited by at least one finding (tagged). */
  taggedEvents: number;
  /** Bytes written, header included. */
  bytes: number;
  /** Events left out because they have no time (Timesketch cannot place them; the generic flavour lists them last). */
  skippedUntimed: number;
}

/** The format a file name asks for: .jsonl (or .ndjson) is JSON Lines, .csv is CSV; null for anything else. */
export function timelineFormatOfPath(file: string): TimelineFormat | null {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  if (/\.csv$/i.test(file)) return 'csv';
  return null;
}

const CHUNK = 1 << 20;

/** Write the case's timeline to `file` (replacing it). Returns what was written. */
export function exportTimeline(db: Db, file: string, opts: TimelineExportOptions): TimelineExportResult {
  const target = path.resolve(file);
  refuseEvidenceTarget(db, target, 'the timeline');
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new ExportError(`cannot write the timeline ${target}: folder ${dir} does not exist`);
  const temp = partialPath(target);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'wx');
  } catch (err) {
    throw new ExportError(`cannot write the timeline ${target}: ${(err as Error).message}`);
  }
  const result: TimelineExportResult = { events: 0, taggedEvents: 0, bytes: 0, skippedUntimed: 0 };
  // Lines are encoded straight into one buffer, written when full: no string of the whole chunk is built.
  const buf = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  const writeAll = (b: Buffer, end: number): void => {
    let off = 0;
    while (off < end) off += fs.writeSync(fd, b, off, end - off);
    result.bytes += end;
  };
  const put = (text: string): void => {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (used + text.length * 3 > CHUNK) {
      writeAll(buf, used);
      used = 0;
      if (text.length * 3 > CHUNK) {
        const big = Buffer.from(text, 'utf8');
        writeAll(big, big.length);
        return;
      }
    }
    used += buf.write(text, used, 'utf8');
  };
  try {
    if (opts.format === 'csv') put(timelineCsvHeader(opts.flavour));
    const line = opts.format === 'csv' ? timelineCsvRow : timelineJsonLine;
    for (const row of timelineRows(db)) {
      const text = line(row, opts.flavour);
      if (text === null) {
        result.skippedUntimed++;
        continue;
      }
      put(text);
      result.events++;
      if (row.findings.length) result.taggedEvents++;
    }
    writeAll(buf, used);
    fs.closeSync(fd);
    fs.renameSync(temp, target);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(temp, { force: true });
    // A file-system failure (disk full, permissions) is the user's to fix; anything else is not ours to rename.
    if (typeof (err as NodeJS.ErrnoException).syscall !== 'string') throw err;
    throw new ExportError(`cannot write the timeline ${target}: ${(err as Error).message}`);
  }
  return result;
}
