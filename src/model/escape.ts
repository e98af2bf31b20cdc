// The one escaper for human output. Attacker-controlled text (user agents, request parameters, names, file names,
// digest fields) must never reach the analyst's terminal raw: C0 controls, DEL, C1 controls (U+0080–U+009F: U+009B
// is a one-byte CSI on some terminals), bidi marks, overrides and isolates, line/paragraph separators and U+FEFF are
// shown as escapes instead (docs/output-formats.md, "Control characters"). Pure; imports nothing.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text safe to print: control and formatting characters become `\n`, `\e`, `\x07`, `\x9b`, `\u202e`... */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like escapeControl, but line breaks stay line breaks (for multi-line messages such as error text with a caret line). */
export function escapeLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}

/** True when the text holds anything escapeControl would change. */
export function hasControl(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/** User input quoted in a message: escaped, and cut to `max` characters (a 1 MB argument must not become a 1 MB message). */
export function quoteInput(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return `"${escapeControl(cut)}"`;
}

// JSON.stringify already escapes U+0000–U+001F; these it leaves raw.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** JSON text with the characters JSON.stringify leaves raw written as \uXXXX (still valid, same value). */
export function safeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
