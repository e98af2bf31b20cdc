// findRawControl: the first character in text that must never reach a terminal raw: C0 controls other than
// \n and \t (ESC starts terminal escape sequences, \r and \b overwrite what was printed), DEL, C1 controls
// (U+009B is a one-byte CSI on some terminals), the Arabic letter mark, LRM/RLM, bidi embeddings, overrides and
// isolates, and the line/paragraph separators. Returns a description with its position and surroundings, or
// null when the text is clean. (Minimal version for test/hostile; the shared helper may replace it.)

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const NAMES: Record<number, string> = {
  0x00: 'NUL', 0x07: 'BEL', 0x08: 'BS', 0x0d: 'CR', 0x1b: 'ESC', 0x7f: 'DEL', 0x85: 'NEL', 0x9b: 'CSI', 0x9d: 'OSC',
  0x061c: 'ALM', 0x200e: 'LRM', 0x200f: 'RLM', 0x202a: 'LRE', 0x202b: 'RLE', 0x202c: 'PDF', 0x202d: 'LRO', 0x202e: 'RLO',
  0x2066: 'LRI', 0x2067: 'RLI', 0x2068: 'FSI', 0x2069: 'PDI', 0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR',
};

export function findRawControl(text: string): string | null {
  const m = RAW.exec(text);
  if (!m) return null;
  const code = m[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const line = text.slice(0, m.index).split('\n').length;
  const context = JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40)).replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `raw ${hex}${NAMES[code] ? ` (${NAMES[code]})` : ''} at offset ${m.index} (line ${line}): ${context}`;
}
