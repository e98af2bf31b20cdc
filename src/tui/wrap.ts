// Word wrap for screen text: break at spaces into lines of at most `width` characters; a word longer than a line is
// cut into pieces, so nothing is ever lost off the right edge. Pure.

/** Lines of at most `width` characters (code points); every character of `text` but the breaking spaces is kept. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let cur = '';
    for (let word of para.split(' ')) {
      while ([...word].length > w) {
        // Fill the current line with the start of a long word, then carry on with the rest.
        const room = cur ? w - [...cur].length - 1 : w;
        if (room <= 0) {
          out.push(cur);
          cur = '';
          continue;
        }
        const chars = [...word];
        out.push(cur ? `${cur} ${chars.slice(0, room).join('')}` : chars.slice(0, room).join(''));
        cur = '';
        word = chars.slice(room).join('');
      }
      if (cur && [...cur].length + 1 + [...word].length > w) {
        out.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    out.push(cur);
  }
  return out;
}
