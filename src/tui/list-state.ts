// One event list's state kept across screens (going to an event and back returns to the same place): its filter
// terms, the EventFilter they make, and the paged model. Pure TypeScript.

import type { Db } from '../index/open.js';
import type { EventFilter } from '../index/search.js';
import { EventListModel, caseListSource, type ListModelOptions } from './list-model.js';
import { formatTerms, termsToFilter, type FilterContext, type FilterTerm } from './filter-text.js';

export class ListState {
  terms: FilterTerm[] = [];
  filter: EventFilter | null = null;
  model: EventListModel | null = null;
  /** Why the last filter could not be applied. */
  error: string | null = null;
  /** Text in the filter bar while editing, else null. */
  editing: string | null = null;
  /** The terms before editing started (Esc restores them). */
  beforeEdit: FilterTerm[] | null = null;

  constructor(
    initial: FilterTerm[],
    readonly label: string,
    private readonly options: ListModelOptions = {},
  ) {
    this.terms = initial;
  }

  /** Apply terms: on success the list reloads from the newest match; on error the previous list stays. */
  apply(db: Db, terms: FilterTerm[], ctx: FilterContext): boolean {
    let filter: EventFilter;
    try {
      filter = termsToFilter(terms, ctx);
    } catch (err) {
      this.error = (err as Error).message;
      return false;
    }
    this.error = null;
    this.terms = terms;
    this.filter = filter;
    this.model = new EventListModel(caseListSource(db, filter), this.options);
    this.model.loadTop();
    return true;
  }

  /** Make sure the list is loaded (first display). */
  ensure(db: Db, ctx: FilterContext): void {
    if (!this.model && !this.error) this.apply(db, this.terms, ctx);
  }

  text(): string {
    return formatTerms(this.terms);
  }
}
