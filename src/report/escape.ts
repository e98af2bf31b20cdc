// Neutralising attacker-controlled text (userAgent, request parameters, names) before it reaches a terminal.
// C0 controls, DEL, C1 controls (U+0080–U+009F: U+009B is a one-byte CSI on some terminals), bidi overrides and
// isolates, and line/paragraph separators are shown as escapes instead of being written raw.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** Text safe to print: control and formatting characters become `\n`, `\e`, `\x07`, `\u202e`... */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** True when the text holds anything escapeControl would change. */
export function hasControl(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

// JSON.stringify already escapes U+0000–U+001F; these it leaves raw.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** JSON text with the characters JSON.stringify leaves raw written as \uXXXX (still valid, same value). */
export function safeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
