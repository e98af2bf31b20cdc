// The values of a record field as text, for what findings show and correlations group by: a dotted path
// (a literal dotted key first, then nested objects), arrays fanned out, objects as compact JSON.

import type { MatchedEvent } from '../index/detections.js';

export function fieldValues(record: Record<string, unknown>, field: string): string[] {
  if (Object.prototype.hasOwnProperty.call(record, field)) return texts(record[field]);
  let nodes: unknown[] = [record];
  for (const step of field.split('.')) {
    const next: unknown[] = [];
    for (const n of nodes) {
      for (const x of Array.isArray(n) ? n : [n]) {
        if (x && typeof x === 'object' && !Array.isArray(x) && Object.prototype.hasOwnProperty.call(x, step)) next.push((x as Record<string, unknown>)[step]);
      }
    }
    nodes = next;
    if (!nodes.length) return [];
  }
  return nodes.flatMap(texts);
}

function texts(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(texts);
  if (typeof v === 'object') return [JSON.stringify(v)];
  return [String(v)];
}

/** Fields a MatchedEvent already holds (no record needed). */
const ON_ROW: Record<string, keyof MatchedEvent> = {
  'userIdentity.arn': 'arn',
  'userIdentity.principalId': 'principalId',
  'userIdentity.accessKeyId': 'accessKeyId',
  sourceIPAddress: 'sourceIp',
  recipientAccountId: 'account',
  awsRegion: 'region',
  errorCode: 'errorCode',
  userAgent: 'userAgent',
  eventID: 'eventId',
};

/** The value of `field` from the row when the row holds it; undefined when the record is needed. */
export function rowValue(ev: MatchedEvent, field: string): string | null | undefined {
  const k = ON_ROW[field];
  if (!k) return undefined;
  const v = ev[k];
  return v === null ? null : String(v);
}
