// Display width of text in a terminal: East Asian wide and fullwidth characters take two cells, combining marks none.

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200d) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1160 && cp <= 0x11ff);
}

function charWidth(cp: number): number {
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** Cells the text occupies (the text must already be free of control characters). */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** Cut text to at most `width` cells, ending with … when cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Cut text to at most `width` cells keeping its end, starting with … when cut (file paths: the name stays). */
export function truncateStartToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  const chars = [...text];
  let out = '';
  let w = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const cw = charWidth(chars[i].codePointAt(0)!);
    if (w + cw > width - 1) break;
    out = chars[i] + out;
    w += cw;
  }
  return `…${out}`;
}

export function padToWidth(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/** Characters after which a wrapped line may break (kept at the end of the line); a space is dropped instead. */
const BREAK_AFTER = new Set(['-', '/', ',', ':', '_', ';']);

/**
 * Split text into lines of at most `width` cells: after the last space that fits (the space is dropped), else after
 * the last `-`, `/`, `,`, `:`, `_` or `;` that fits, else inside a word. Linear in the text: each character is looked
 * at no more than twice (the part after a break point is scanned again as the start of the next line, never more).
 */
export function wrapToWidth(text: string, width: number): string[] {
  if (width <= 0) return [text];
  if (displayWidth(text) <= width) return [text];
  const chars = [...text];
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let w = 0;
    let end = start;
    let lastSpace = -1;
    let lastBreak = -1;
    while (end < chars.length) {
      const cw = charWidth(chars[end].codePointAt(0)!);
      if (w + cw > width) break;
      if (chars[end] === ' ') lastSpace = end;
      else if (BREAK_AFTER.has(chars[end])) lastBreak = end;
      w += cw;
      end++;
    }
    if (end >= chars.length) {
      lines.push(chars.slice(start).join(''));
      break;
    }
    if (end === start) end = start + 1; // a character wider than the column: on its own line
    if (chars[end] === ' ') {
      lines.push(chars.slice(start, end).join(''));
      start = end + 1;
    } else if (lastSpace > start) {
      lines.push(chars.slice(start, lastSpace).join(''));
      start = lastSpace + 1;
    } else if (lastBreak >= start && lastBreak + 1 < end) {
      lines.push(chars.slice(start, lastBreak + 1).join(''));
      start = lastBreak + 1;
    } else {
      lines.push(chars.slice(start, end).join(''));
      start = end;
    }
  }
  return lines;
}
