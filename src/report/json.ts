// The one way JSON reaches stdout: stable field order as given, with the characters JSON.stringify leaves raw (C1
// controls, bidi marks/overrides/isolates, U+2028/2029, U+FEFF) written as \uXXXX escapes, so the output is safe on
// a terminal and still the same JSON (JSON.parse gives back the exact strings). Every command's JSON output (search,
// show, info, investigate, lookup-events, verify, ingest) goes through renderJson or renderJsonLines.

import { safeJson } from '../model/escape.js';

/** A JSON document, pretty-printed (two spaces unless told otherwise), ending with a newline. */
export function renderJson(value: unknown, indent = 2): string {
  return `${safeJson(JSON.stringify(value, null, indent))}\n`;
}

/** One compact JSON object per line. */
export function renderJsonLines(rows: Iterable<unknown>): string {
  let out = '';
  for (const r of rows) out += `${safeJson(JSON.stringify(r))}\n`;
  return out;
}
