// Keyboard input for the screens, through one queue. Ink's useInput subscribes in an effect after each render, so
// keys typed right after a screen change (fast typing, key repeat, a terminal multiplexer sending several keys at
// once) could reach no handler or a stale one. Here the App owns the only useInput; it queues keys and hands them,
// one per tick, to the handler the active screen registered during its latest render. Ink delivers a run of keys
// that arrived together ("jjj" from key repeat, "\t\r" from a multiplexer) as one string; it is split back into keys.

import { createContext, useContext, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { trace } from '../trace.js';

export type KeyHandler = (input: string, key: Key) => void;

export const KeyContext = createContext<{ current: KeyHandler | null } | null>(null);

/** Receive keys while `active` (the screen on top registers itself on every render). */
export function useKeys(handler: KeyHandler, active = true): void {
  const slot = useContext(KeyContext);
  if (!slot) throw new Error('useKeys outside <KeyContext.Provider>');
  if (active) slot.current = handler;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** One key per character of a run Ink delivered as one input (no escape sequences: Ink splits those itself). */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  const special = Object.entries(key).some(([k, v]) => v === true && k !== 'shift');
  if ([...input].length <= 1 || special || input.includes('\u001b')) return [[input, key]];
  const out: Array<[string, Key]> = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') out.push(['', { ...NO_KEY, return: true }]);
    else if (ch === '\t') out.push(['', { ...NO_KEY, tab: true }]);
    else if (ch === '\u007f' || ch === '\b') out.push(['', { ...NO_KEY, backspace: true }]);
    else if (ch.charCodeAt(0) < 0x20) out.push([String.fromCharCode(ch.charCodeAt(0) + 0x60), { ...NO_KEY, ctrl: true }]);
    else out.push([ch, { ...NO_KEY, shift: /[A-Z]/.test(ch) }]);
  }
  return out;
}

/** The App's side: the slot to provide, and the one useInput that feeds it. */
export function useKeyDispatcher(): { current: KeyHandler | null } {
  const slot = useRef<KeyHandler | null>(null);
  const queue = useRef<Array<[string, Key]>>([]);
  const pumping = useRef(false);
  const step = (): void => {
    const next = queue.current.shift();
    if (next && slot.current) slot.current(next[0], next[1]);
    if (queue.current.length) setTimeout(step, 0);
    else pumping.current = false;
  };
  useInput((input, key) => {
    trace.key(input || Object.entries(key).find(([, v]) => v === true)?.[0] || '?');
    queue.current.push(...splitKeys(input, key));
    if (!pumping.current) {
      pumping.current = true;
      setTimeout(step, 0);
    }
  });
  return slot;
}
