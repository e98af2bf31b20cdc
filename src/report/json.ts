// JSON and JSON Lines: stable field order as given, with the characters JSON.stringify leaves raw (C1 controls,
// bidi overrides, U+2028/2029) written as \uXXXX escapes, so the output is safe on a terminal and still the same JSON.

import { safeJson } from './escape.js';

/** A JSON document, pretty-printed with two spaces, ending with a newline. */
export function renderJson(value: unknown): string {
  return `${safeJson(JSON.stringify(value, null, 2))}\n`;
}

/** One compact JSON object per line. */
export function renderJsonLines(rows: Iterable<unknown>): string {
  let out = '';
  for (const r of rows) out += `${safeJson(JSON.stringify(r))}\n`;
  return out;
}
