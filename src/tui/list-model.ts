// The event list's state: a window of rows around the selection, fetched a page at a time with keyset cursors
// (src/index/tui-queries.ts), so moving, paging and jumping cost one page whatever the list's length. Rows far from
// the selection are dropped, so memory stays bounded on millions of matches. Pure TypeScript (no React): the screen
// holds one model per list and re-renders after calling it.

import type { Db } from '../index/open.js';
import type { EventFilter } from '../index/search.js';
import type { EventRow } from '../index/event-rows.js';
import { countBefore, countMatches, pageEvents, type EventPage, type ListCursor, type MatchCount, type PageFrom } from '../index/event-pages.js';

/** Where the model gets its rows (the case, or a fake in tests). */
export interface ListSource {
  page(from: PageFrom, limit: number, scanBudget: number): EventPage;
  count(): MatchCount;
  /** 0-based position of a row in the whole list; null when it cannot be counted cheaply (text filters). */
  position(cursor: ListCursor): number | null;
}

export function caseListSource(db: Db, filter: EventFilter): ListSource {
  const text = (filter.text ?? []).some((t) => t.length > 0);
  return {
    page: (from, limit, scanBudget) => pageEvents(db, filter, from, { limit, scanBudget }),
    count: () => countMatches(db, filter),
    position: (cursor) => (text ? null : countBefore(db, filter, cursor)),
  };
}

const cursorOf = (r: EventRow): ListCursor => ({ time: r.eventTime, id: r.id });

export interface ListModelOptions {
  /** Rows fetched per page (default 100). */
  pageSize?: number;
  /** Rows kept in memory at most (default 800). */
  maxRows?: number;
  /** Text filters: candidate events read per step (default 2000). */
  scanBudget?: number;
}

export class EventListModel {
  rows: EventRow[] = [];
  /** Absolute position of rows[0] in the list, or null when unknown. */
  offset: number | null = 0;
  /** Selected row (index into rows). */
  sel = 0;
  /** First visible row (index into rows). */
  top = 0;
  atStart = false;
  atEnd = false;
  total: MatchCount | null = null;
  /** Candidate events read so far by a text scan. */
  scanned = 0;
  /** Text scans: where to continue reading in each direction (null: from the row at that end). */
  private olderResume: ListCursor | null = null;
  private newerResume: ListCursor | null = null;
  readonly pageSize: number;
  readonly maxRows: number;
  readonly scanBudget: number;
  /** Milliseconds the last operation spent in queries. */
  lastMs = 0;

  constructor(
    private readonly source: ListSource,
    options: ListModelOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 100;
    this.maxRows = options.maxRows ?? 800;
    this.scanBudget = options.scanBudget ?? 2000;
  }

  private timed<T>(fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.lastMs = performance.now() - t0;
    }
  }

  /** The newest matches. */
  loadTop(): void {
    this.timed(() => {
      const p = this.source.page({ kind: 'top' }, this.pageSize, this.scanBudget);
      this.rows = p.rows;
      this.scanned = p.scanned;
      this.olderResume = p.resume;
      this.newerResume = null;
      this.atStart = true;
      this.atEnd = p.exhausted;
      this.offset = 0;
      this.sel = 0;
      this.top = 0;
    });
  }

  /** The oldest matches, selecting the last. */
  loadBottom(viewHeight: number): void {
    this.timed(() => {
      const p = this.source.page({ kind: 'bottom' }, this.pageSize, this.scanBudget);
      this.rows = p.rows;
      this.scanned = p.scanned;
      this.newerResume = p.resume;
      this.olderResume = null;
      this.atEnd = true;
      this.atStart = p.exhausted;
      const total = this.total && this.total.exact ? this.total.count : null;
      this.offset = total !== null ? total - this.rows.length : null;
      this.sel = Math.max(0, this.rows.length - 1);
      this.top = Math.max(0, this.rows.length - viewHeight);
    });
  }

  /** Rows around the newest match at or before `ms`, selecting it (jump to a time). */
  loadAt(ms: number, viewHeight: number): void {
    this.timed(() => {
      const older = this.source.page({ kind: 'older', cursor: { time: ms, id: Number.MAX_SAFE_INTEGER } }, this.pageSize, this.scanBudget);
      if (older.rows.length === 0 && older.exhausted) {
        this.loadBottom(viewHeight);
        return;
      }
      this.rows = older.rows;
      this.scanned = older.scanned;
      this.olderResume = older.resume;
      this.newerResume = null;
      this.atEnd = older.exhausted;
      this.atStart = false;
      this.sel = 0;
      this.top = 0;
      const first = this.rows[0];
      this.offset = first ? this.source.position(cursorOf(first)) : null;
      if (first) this.extendNewer(Math.max(1, Math.floor(viewHeight / 2)));
      this.top = Math.max(0, this.sel - Math.floor(viewHeight / 3));
      if (this.offset === 0) this.atStart = true;
    });
  }

  /** Count the matches (run after the first page is on screen: it may take longer on big lists). */
  loadCount(): void {
    this.total = this.source.count();
    if (this.atEnd && this.offset === null && this.total.exact) this.offset = this.total.count - this.rows.length;
  }

  /** A text scan stopped at its budget and should be continued to fill the screen. */
  needsMore(viewHeight: number): boolean {
    return !this.atEnd && this.olderResume !== null && this.rows.length < this.sel + viewHeight + 1;
  }

  /** Continue a text scan by one budget. */
  step(): void {
    this.timed(() => this.extendOlder());
  }

  private extendOlder(): number {
    if (this.atEnd) return 0;
    const last = this.rows[this.rows.length - 1];
    const cursor = this.olderResume ?? (last ? cursorOf(last) : null);
    const from: PageFrom = cursor ? { kind: 'older', cursor } : { kind: 'top' };
    const p = this.source.page(from, this.pageSize, this.scanBudget);
    this.scanned += p.scanned;
    this.rows.push(...p.rows);
    this.olderResume = p.resume;
    this.atEnd = p.exhausted;
    return p.rows.length;
  }

  private extendNewer(limit = this.pageSize): number {
    if (this.atStart) return 0;
    const first = this.rows[0];
    const cursor = this.newerResume ?? (first ? cursorOf(first) : null);
    if (!cursor) return 0;
    const p = this.source.page({ kind: 'newer', cursor }, limit, this.scanBudget);
    this.scanned += p.scanned;
    this.newerResume = p.resume;
    if (p.exhausted) this.atStart = true;
    const n = p.rows.length;
    if (n) {
      this.rows.unshift(...p.rows);
      this.sel += n;
      this.top += n;
      if (this.offset !== null) this.offset -= n;
    }
    if (this.atStart && p.resume === null) this.offset = 0;
    return n;
  }

  private trim(): void {
    const excess = this.rows.length - this.maxRows;
    if (excess <= 0) return;
    if (this.sel >= this.rows.length / 2) {
      const k = Math.min(excess, this.top);
      if (k <= 0) return;
      this.rows.splice(0, k);
      this.sel -= k;
      this.top -= k;
      if (this.offset !== null) this.offset += k;
      this.atStart = false;
      this.newerResume = null;
    } else {
      const keep = Math.max(this.maxRows, this.top + 1);
      if (keep >= this.rows.length) return;
      this.rows.length = keep;
      this.atEnd = false;
      this.olderResume = null;
    }
  }

  /** Move the selection by `delta` rows (negative: up), fetching as needed. */
  move(delta: number, viewHeight: number): void {
    this.timed(() => {
      let target = this.sel + delta;
      let guard = 0;
      while (target >= this.rows.length && !this.atEnd && guard++ < 64) {
        if (this.extendOlder() === 0 && this.olderResume === null) break;
      }
      while (target < 0 && !this.atStart && guard++ < 64) {
        const before = this.sel;
        this.extendNewer();
        target += this.sel - before;
        if (this.sel === before) break;
      }
      this.sel = Math.max(0, Math.min(this.rows.length - 1, target));
      // Keep a page ready below the screen, so the next keystrokes are memory-only.
      if (!this.atEnd && this.rows.length - this.sel < viewHeight + 1 && this.olderResume === null) this.extendOlder();
      if (!this.atStart && this.sel < viewHeight && this.newerResume === null) this.extendNewer();
      this.trim();
      this.follow(viewHeight);
    });
  }

  /** Keep the selection inside the visible rows. */
  follow(viewHeight: number): void {
    const h = Math.max(1, viewHeight);
    if (this.sel < this.top) this.top = this.sel;
    if (this.sel >= this.top + h) this.top = this.sel - h + 1;
    this.top = Math.max(0, Math.min(this.top, Math.max(0, this.rows.length - 1)));
  }

  selected(): EventRow | undefined {
    return this.rows[this.sel];
  }

  visible(viewHeight: number): EventRow[] {
    return this.rows.slice(this.top, this.top + viewHeight);
  }

  /** 1-based position of the selection, or null when unknown. */
  position(): number | null {
    return this.offset === null ? null : this.offset + this.sel + 1;
  }
}
