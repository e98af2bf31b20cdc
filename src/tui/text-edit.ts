// Line editing for the TUI's prompts (filter bar, parameters, export path): the caret stays at the end.
// Returns the new text, or null when the key is not an editing key.

import type { Key } from 'ink';

export function editText(value: string, input: string, key: Key): string | null {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl && input === 'w') return value.replace(/\S*\s*$/, '');
  if (key.ctrl || key.meta || key.escape || key.return || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return null;
  if (!input) return null;
  // Pasted text may hold newlines or control characters: keep printable text only.
  const clean = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean ? value + clean : null;
}
