// Keystroke timing for measurements (docs/tui.md#performance): with TRAILHOUND_TUI_TRACE=<file>, each key's time
// from arriving at the app to its frame being drawn is appended to the file as `<ms>\t<key>` when the TUI exits,
// and the start-up as `<ms since the process started>\t"@<point>"`.

import fs from 'node:fs';

const file = process.env.TRAILHOUND_TUI_TRACE;
let pending: { key: string; t: number } | null = null;
const samples: string[] = [];
let firstFrame = true;

export const trace = {
  enabled: Boolean(file),
  /** A key arrived (before it is queued). */
  key(name: string): void {
    if (!file) return;
    if (!pending) pending = { key: name, t: performance.now() };
  },
  /** A point of the start-up, in ms since the process started. */
  mark(name: string): void {
    if (file) samples.push(`${performance.now().toFixed(2)}\t${JSON.stringify(`@${name}`)}`);
  },
  /** A frame was drawn: closes the pending key's sample. */
  rendered(): void {
    if (!file) return;
    if (firstFrame) {
      firstFrame = false;
      trace.mark('first-frame');
    }
    if (!pending) return;
    samples.push(`${(performance.now() - pending.t).toFixed(2)}\t${JSON.stringify(pending.key)}`);
    pending = null;
  },
  /** Write the samples (on exit). */
  flush(): void {
    if (!file || samples.length === 0) return;
    fs.appendFileSync(file, `${samples.join('\n')}\n`);
    samples.length = 0;
  },
};
