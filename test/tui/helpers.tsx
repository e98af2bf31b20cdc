// Shared by the TUI tests: the bundled sample (a shared case, built once per run), the App rendered at a fixed size with
// no colour and a fixed clock, and key helpers for ink-testing-library.
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { sharedCase } from '../helpers/cases.js';
import { tmpDir } from '../helpers/paths.js';
import { truth } from '../helpers/sample.js';
import { openCase, type Db } from '../../src/index/open.js';
import { App, type AppProps } from '../../src/tui/App.js';
import { plainTheme } from '../../src/tui/theme.js';
import { integritySummary } from '../../src/index/trust.js';
import type { TuiContext } from '../../src/tui/context.js';

export { truth };

/** The sample (evidence and exports) as a shared case, verified when asked (for trust labels); read-only use. */
export function sampleCase(options: { verify?: boolean } = {}): string {
  return sharedCase(options.verify ? 'sampleVerified' : 'sampleWithExports');
}

/** 2025-02-14T00:00:00Z: after the sample's last event. */
export const FIXED_NOW = Date.UTC(2025, 1, 14);

export function contextFor(db: Db, dbPath: string, over: Partial<TuiContext> = {}): TuiContext {
  return { db, dbPath: path.basename(dbPath), tz: 'UTC', now: () => FIXED_NOW, theme: plainTheme, cwd: tmpDir('trailhound-tui-cwd-'), hasIntegrity: integritySummary(db) !== null, ...over };
}

export function openSample(file: string): Db {
  return openCase(file, { readonly: true });
}

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  backspace: '\u007f',
};

/** Let timers and React updates run. */
export const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Rendered {
  frame: () => string;
  /** Type keys one at a time, letting the app settle after each. */
  press: (...keys: string[]) => Promise<void>;
  type: (text: string) => Promise<void>;
  /** Write keys back to back with no wait at all, then settle. */
  burst: (keys: string[]) => Promise<void>;
  /** Re-render at another terminal size (as a resize does). */
  resize: (size: { columns: number; rows: number }) => Promise<void>;
  unmount: () => void;
}

export async function renderApp(ctx: TuiContext, props: Partial<AppProps> = {}, size = { columns: 100, rows: 30 }): Promise<Rendered> {
  const r = render(<App ctx={ctx} size={size} {...props} />);
  // Wait until no new frame has been drawn for a while: input handlers are attached in effects after a frame.
  const settle = async (): Promise<void> => {
    let seen = r.frames.length;
    let quiet = 0;
    for (let i = 0; i < 200 && quiet < 4; i++) {
      await tick(15);
      if (r.frames.length === seen) quiet++;
      else {
        seen = r.frames.length;
        quiet = 0;
      }
    }
  };
  await settle();
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      r.stdin.write(k);
      await settle();
    }
  };
  return {
    frame: () => r.lastFrame() ?? '',
    press,
    type: async (text: string) => {
      for (const ch of text) r.stdin.write(ch);
      await settle();
    },
    burst: async (keys: string[]) => {
      for (const k of keys) r.stdin.write(k);
      await settle();
    },
    resize: async (next) => {
      r.rerender(<App ctx={ctx} size={next} {...props} />);
      await settle();
    },
    unmount: () => r.unmount(),
  };
}
