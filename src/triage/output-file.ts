// Writing what triage produces (reports, timelines) next to the case, never into the evidence: a target inside an
// evidence folder the case was ingested from is refused (symbolic links followed), and a file appears only complete
// (written under a temporary name beside it, then renamed).

import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../index/open.js';
import { evidenceRoots } from '../index/case-overview.js';
import { ExportError } from '../model/errors.js';

/** The path with symbolic links resolved as far as it exists (the rest appended as given). */
function realish(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Throws ExportError when `target` is in (or is) an evidence folder of the case, symbolic links followed. */
export function refuseEvidenceTarget(db: Db, target: string, what = 'it'): void {
  const abs = path.resolve(target);
  const real = realish(abs);
  for (const root of evidenceRoots(db)) {
    if (inside(path.resolve(root), abs) || inside(realish(root), real)) {
      throw new ExportError(`${target} is inside the evidence folder ${root}; evidence is read-only: write ${what} somewhere else`);
    }
  }
}

/** A temporary name beside `target` for writing it whole before it appears. */
export function partialPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
}

/** Write `text` to `file` (replacing it) so that it appears only complete; returns "path (N KB)". */
export function writeReportFile(file: string, text: string): string {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new ExportError(`cannot write ${file}: folder ${dir} does not exist`);
  const temp = partialPath(target);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw new ExportError(`cannot write ${file}: ${(err as Error).message}`);
  }
  return `${file} (${Math.max(1, Math.round(Buffer.byteLength(text) / 1024))} KB)`;
}
