// A report laid out for people, as plain data: a title, label/value facts, titled sections of rows (with each
// column's layout when the terminal is narrow), notes. Investigations build these (src/scenarios/views.ts);
// report/ renders them (report-view.ts, table.ts); the CLI prints them and the TUI shows and exports them.

/**
 * How much a column matters when the terminal is narrow; a lower number is kept longer.
 * - `key` (0): times and event IDs: never cut (the column keeps its natural width) and left out last;
 * - `essential` (1): event names, principals, users: cut only down to `minWidth` (ARNs: `cut: 'start'` keeps the tail);
 * - `normal` (2, the default): short facts (source IP, region, error code, access key, counts, results);
 * - `secondary` (3): the event source, trust, accounts, markers that the title explains;
 * - `text` (4): free text (user agents, error messages, details, resources): shrinks first and is left out first.
 */
export const PRIORITY = { key: 0, essential: 1, normal: 2, secondary: 3, text: 4 } as const;

export interface TableColumn {
  key: string;
  header: string;
  /** Never shrink below this (default: 8, or the natural width when smaller; `key` columns: the natural width). */
  minWidth?: number;
  /** Lower is more important (PRIORITY); default PRIORITY.normal. */
  priority?: number;
  /** Right-align (numbers). */
  align?: 'left' | 'right';
  /** Which end a cut cell loses: 'end' (default) or 'start' (paths and ARNs, whose last part matters most). */
  cut?: 'start' | 'end';
  /** Long text continues on more lines (at spaces when it can) instead of being cut; only with a width limit. */
  wrap?: boolean;
  /** The column's name in the "columns not shown" footer (default: the header); e.g. the --fields name. */
  name?: string;
}

export type Cell = string | number | null;

/** A table column with its layout when the terminal is narrow (priority, minWidth, cut, wrap: src/report/table.ts). */
export type ViewColumn = TableColumn;

export interface ViewSection {
  title: string;
  columns: ViewColumn[];
  rows: Record<string, Cell>[];
  /** Shown instead of an empty table. */
  empty?: string;
}

export interface ReportView {
  title: string;
  /** Label/value lines above the sections. */
  facts: Array<[string, string]>;
  sections: ViewSection[];
  /** Lines after the sections (e.g. commands to run). */
  notes: string[];
}
