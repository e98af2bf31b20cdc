// A batch of parsed events as the parser threads hand them to the writer: columnar, with a batch-local
// string dictionary, so that a batch crosses threads as a few typed arrays (cheap to copy, little
// garbage) and the writer resolves each distinct string once per batch instead of once per event.

import type { EventColumns } from './types.js';

/** EventColumns fields held as batch-dictionary indices (-1 = null). Order matters: see the writer. */
export const STRING_FIELDS = [
  'eventName', 'eventSource', 'awsRegion', 'recipientAccountId', 'sourceIPAddress', 'userAgent', 'identityType', 'arn',
  'principalId', 'accountId', 'accessKeyId', 'userName', 'username', 'sessionIssuerArn', 'sessionIssuerUserName',
  'invokedBy', 'sourceIdentity', 'errorCode', 'eventType', 'eventCategory', 'vpcEndpointId',
] as const satisfies ReadonlyArray<keyof EventColumns>;

export const N_STR = STRING_FIELDS.length;
/** Per-event integers: record index, byte offset, byte length, flags, readOnly, managementEvent. */
export const N_INT = 6;

export interface EventBatch {
  count: number;
  strings: string[];
  /** count × N_STR indices into `strings` (-1 = null). */
  cols: Int32Array;
  /** eventTime in ms (NaN = none). */
  times: Float64Array;
  /** count × N_INT: index, offset (-1), length (-1), flags, readOnly (-1/0/1), managementEvent (-1/0/1). */
  ints: Int32Array;
  eventIds: string[];
  requestIds: Array<string | null>;
  sharedEventIds: Array<string | null>;
  errorMessages: Array<string | null>;
  /** count × 16 bytes of content hash. */
  hashes: Uint8Array;
  /** Resource pairs of event i are res[resStart[i] .. resStart[i+1]) as (type, name) string indices. */
  resStart: Int32Array;
  res: Int32Array;
}

function tri(v: boolean | null): number {
  return v === null ? -1 : v ? 1 : 0;
}

export class EventBatchBuilder {
  private strings: string[] = [];
  private dict = new Map<string, number>();
  private cols: number[] = [];
  private times: number[] = [];
  private ints: number[] = [];
  private eventIds: string[] = [];
  private requestIds: Array<string | null> = [];
  private sharedEventIds: Array<string | null> = [];
  private errorMessages: Array<string | null> = [];
  private hashes: number[] = [];
  private resStart: number[] = [0];
  private res: number[] = [];

  get count(): number {
    return this.eventIds.length;
  }

  private sid(v: string | null): number {
    if (v === null) return -1;
    let i = this.dict.get(v);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(v);
      this.dict.set(v, i);
    }
    return i;
  }

  add(
    cols: EventColumns,
    meta: { index: number; offset: number | null; length: number | null; flags: number; hash: Uint8Array },
    resources: ReadonlyArray<{ type: string; name: string }>,
  ): void {
    for (const f of STRING_FIELDS) this.cols.push(this.sid(cols[f]));
    this.times.push(cols.eventTime ?? NaN);
    this.ints.push(meta.index, meta.offset ?? -1, meta.length ?? -1, meta.flags, tri(cols.readOnly), tri(cols.managementEvent));
    this.eventIds.push(cols.eventId);
    this.requestIds.push(cols.requestId);
    this.sharedEventIds.push(cols.sharedEventId);
    this.errorMessages.push(cols.errorMessage);
    for (let i = 0; i < 16; i++) this.hashes.push(meta.hash[i]);
    for (const r of resources) this.res.push(this.sid(r.type), this.sid(r.name));
    this.resStart.push(this.res.length / 2);
  }

  /** The batch so far; the builder starts empty again. */
  take(): EventBatch {
    const b: EventBatch = {
      count: this.eventIds.length,
      strings: this.strings,
      cols: Int32Array.from(this.cols),
      times: Float64Array.from(this.times),
      ints: Int32Array.from(this.ints),
      eventIds: this.eventIds,
      requestIds: this.requestIds,
      sharedEventIds: this.sharedEventIds,
      errorMessages: this.errorMessages,
      hashes: Uint8Array.from(this.hashes),
      resStart: Int32Array.from(this.resStart),
      res: Int32Array.from(this.res),
    };
    this.strings = [];
    this.dict = new Map();
    this.cols = [];
    this.times = [];
    this.ints = [];
    this.eventIds = [];
    this.requestIds = [];
    this.sharedEventIds = [];
    this.errorMessages = [];
    this.hashes = [];
    this.resStart = [0];
    this.res = [];
    return b;
  }
}

export function emptyBatch(): EventBatch {
  return new EventBatchBuilder().take();
}
