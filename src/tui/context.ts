// What every screen needs: the open case, the display zone, the clock, the theme and where exports go.

import { createContext, useContext } from 'react';
import type { Db } from '../index/open.js';
import type { Theme } from './theme.js';

export interface TuiContext {
  db: Db;
  /** The case file as given on the command line. */
  dbPath: string;
  /** Zone for times shown and typed (UTC, an IANA name, ±HH:MM). */
  tz: string;
  /** "Now" for relative times in filters (fixed in tests). */
  now: () => number;
  theme: Theme;
  /** Folder relative export paths are resolved against (the current directory). */
  cwd: string;
  /** Whether the case has a finished verify run (trust labels). */
  hasIntegrity: boolean;
}

export const CaseContext = createContext<TuiContext | null>(null);

export function useCase(): TuiContext {
  const c = useContext(CaseContext);
  if (!c) throw new Error('useCase outside <CaseContext.Provider>');
  return c;
}
