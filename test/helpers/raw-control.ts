// Test check: does command output hold a raw control character that could act on the analyst's terminal?
//
// Allowed: \n and \t (layout), and \r only as part of a CRLF line end (CSV is RFC 4180). Flagged: every other C0
// control (ESC starts escape sequences; a bare \r moves the cursor to overwrite a line), DEL, C1 controls
// (U+0080–U+009F; U+009B is a one-byte CSI), bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
// U+202A–U+202E, U+2066–U+2069), and the line/paragraph separators U+2028/U+2029.

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMES: Record<number, string> = {
  0x0d: 'CR (bare carriage return)',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x9b: 'C1 CSI',
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
};

function kind(code: number): string {
  if (NAMES[code]) return NAMES[code];
  if (code < 0x20) return 'C0 control';
  if (code >= 0x80 && code <= 0x9f) return 'C1 control';
  return 'control';
}

/**
 * A description of the first raw control character in `text` (`U+001B ESC at offset 12: …context…`), or null when
 * there is none.
 */
export function findRawControl(text: string): string | null {
  RAW.lastIndex = 0;
  for (let m = RAW.exec(text); m !== null; m = RAW.exec(text)) {
    const at = m.index;
    if (text[at] === '\r' && text[at + 1] === '\n') continue;
    const code = text.charCodeAt(at);
    const context = JSON.stringify(text.slice(Math.max(0, at - 20), at + 20)).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    RAW.lastIndex = 0;
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')} ${kind(code)} at offset ${at}: ${context}`;
  }
  return null;
}
