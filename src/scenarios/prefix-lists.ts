// Managed prefix lists as the evidence describes them (Create/Modify/DeleteManagedPrefixList): their names and the CIDR
// entries they hold, so that a security-group rule whose source is `pl-…` can be named and, when the list holds a /0,
// recognised as world-open. Pure.
//
// AWS-managed lists (com.amazonaws.<region>.s3, …global.cloudfront.origin-facing) are never created in an account's
// evidence: they are named only when some event in the case names them, and their entries are unknown.

import { parseCidr, type CidrExposure } from './cidr.js';
import { asObj, items, pick, str, type Obj } from './record.js';

export const PREFIX_LIST_EVENT_NAMES: readonly string[] = ['CreateManagedPrefixList', 'ModifyManagedPrefixList', 'DeleteManagedPrefixList'];

export interface PrefixListInfo {
  id: string;
  name: string | null;
  /** CIDR entries (canonical), as the evidence left them. */
  cidrs: string[];
  /** True when the list's creation is in the evidence, so `cidrs` holds every entry. */
  complete: boolean;
  deleted: boolean;
}

export type PrefixListIndex = ReadonlyMap<string, PrefixListInfo>;

/** The request (or response) body, unwrapped from `<Action>Request` / `<Action>Response` when the API wraps it. */
function body(o: unknown, wrapper: string): Obj | null {
  const obj = asObj(o);
  return asObj(pick(obj, wrapper)) ?? obj;
}

function cidrsOf(v: unknown): string[] {
  return items(v)
    .map((e) => (typeof e === 'string' ? e : str(pick(e, 'Cidr', 'cidr'))))
    .filter((c): c is string => !!c)
    .map((c) => parseCidr(c)?.canonical ?? c);
}

/** Replay successful prefix-list events, oldest first, into what the evidence says about each list. */
export function prefixListIndex(records: Iterable<{ record: Obj | null; failed: boolean }>): Map<string, PrefixListInfo> {
  const out = new Map<string, PrefixListInfo>();
  const get = (id: string): PrefixListInfo => {
    let l = out.get(id);
    if (!l) out.set(id, (l = { id, name: null, cidrs: [], complete: false, deleted: false }));
    return l;
  };
  for (const { record, failed } of records) {
    if (failed || !record) continue;
    const name = str(record.eventName) ?? '';
    const req = body(record.requestParameters, `${name}Request`);
    const resp = body(record.responseElements, `${name}Response`);
    const pl = asObj(pick(resp, 'prefixList', 'PrefixList'));
    const id = str(pick(pl, 'prefixListId', 'PrefixListId')) ?? str(pick(req, 'PrefixListId', 'prefixListId'));
    if (!id) continue;
    const l = get(id);
    l.name = str(pick(pl, 'prefixListName', 'PrefixListName')) ?? str(pick(req, 'PrefixListName', 'prefixListName')) ?? l.name;
    if (name === 'CreateManagedPrefixList') {
      l.cidrs = [...new Set(cidrsOf(pick(req, 'Entry', 'Entries', 'entry', 'entries')))];
      l.complete = true;
      l.deleted = false;
    } else if (name === 'ModifyManagedPrefixList') {
      const removed = new Set(cidrsOf(pick(req, 'RemoveEntry', 'RemoveEntries')));
      l.cidrs = [...new Set([...l.cidrs.filter((c) => !removed.has(c)), ...cidrsOf(pick(req, 'AddEntry', 'AddEntries'))])];
    } else if (name === 'DeleteManagedPrefixList') l.deleted = true;
  }
  return out;
}

/** The widest exposure among a list's known entries (world before wide), or null. */
export function prefixListExposure(info: PrefixListInfo | undefined): CidrExposure {
  const e = (info?.cidrs ?? []).map((c) => parseCidr(c)?.exposure ?? null);
  return e.includes('world') ? 'world' : e.includes('wide') ? 'wide' : null;
}
