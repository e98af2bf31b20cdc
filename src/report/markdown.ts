// A GitHub-flavoured Markdown table; pipes and control characters are escaped.

import { escapeControl } from '../model/escape.js';

export interface MarkdownColumn {
  key: string;
  header: string;
}

export type MarkdownRow = Record<string, string | number | boolean | null | undefined>;

/** One cell (or inline text): control characters escaped, then backslash, pipe and the Markdown specials backslash-escaped. */
export function mdCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  return escapeControl(String(v)).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([`*_<>[\]])/g, '\\$1');
}

export function renderMarkdown(columns: readonly MarkdownColumn[], rows: readonly MarkdownRow[]): string {
  const lines = [`| ${columns.map((c) => mdCell(c.header)).join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`];
  for (const r of rows) lines.push(`| ${columns.map((c) => mdCell(r[c.key])).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}
