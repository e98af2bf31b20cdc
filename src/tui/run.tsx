// Start the TUI on a case: open it read-only, switch to the terminal's alternate screen (the shell's scrollback is
// left as it was), render until the user quits, restore the screen. Imported lazily by `trailhound tui`.

import React from 'react';
import { render } from 'ink';
import { openCase } from '../index/open.js';
import { integritySummary } from '../index/trust.js';
import { UsageError } from '../model/errors.js';
import { App } from './App.js';
import { themeFor } from './theme.js';
import { parseFilterText } from './filter-text.js';
import type { TuiContext } from './context.js';
import { trace } from './trace.js';

export interface RunTuiOptions {
  db: string;
  tz: string;
  /** Initial filter, in the filter bar's language. */
  filter?: string;
  /**
   * 'events': start on the event list. Otherwise (the command passes 'overview' unless --events) the home screen:
   * the triage when the case has stored findings, else the overview (App decides).
   */
  startOn?: 'overview' | 'events';
}

const ALT_ON = '\u001b[?1049h\u001b[H';
const ALT_OFF = '\u001b[?1049l';

/** Throws (before touching the screen) when the case cannot be opened or the filter is malformed. */
export async function runTui(options: RunTuiOptions): Promise<void> {
  trace.mark('tui-loaded');
  const db = openCase(options.db, { readonly: true });
  const parsed = parseFilterText(options.filter ?? '');
  if (parsed.error) {
    db.close();
    throw new UsageError(`--filter: ${parsed.error}`);
  }
  const ctx: TuiContext = {
    db,
    dbPath: options.db,
    tz: options.tz,
    now: () => Date.now(),
    theme: themeFor(process.env),
    cwd: process.cwd(),
    hasIntegrity: integritySummary(db) !== null,
  };
  const out = process.stdout;
  out.write(ALT_ON);
  const restore = (): void => {
    out.write(ALT_OFF);
  };
  process.once('exit', restore);
  try {
    const app = render(<App ctx={ctx} initialTerms={parsed.terms} {...(options.startOn === 'events' ? { startOn: 'events' as const } : {})} />, {
      exitOnCtrlC: true,
      patchConsole: false,
      // Redraw at up to 60 frames a second: a key's frame waits at most ~17 ms for the throttle.
      maxFps: 60,
      ...(trace.enabled ? { onRender: () => trace.rendered() } : {}),
    });
    await app.waitUntilExit();
  } finally {
    process.off('exit', restore);
    restore();
    trace.flush();
    db.close();
  }
}
