// CSV exports → CloudTrail-shaped records. The console's Event history download carries only some
// fields, so those events are marked partial. Columns are matched by normalised name, so the console's
// headers ("Event time", "AWS access key"), CloudTrail's own names ("eventTime") and similar exports
// (e.g. "Event DateTime", "Request User Agent") all map. A column holding the whole event as JSON
// ("CloudTrail event") makes the row complete.

import type { CloudTrailRecord } from '../model/types.js';

type Setter = (rec: CloudTrailRecord, value: string) => void;

function ui(rec: CloudTrailRecord): Record<string, unknown> {
  if (!rec.userIdentity || typeof rec.userIdentity !== 'object') rec.userIdentity = {};
  return rec.userIdentity as Record<string, unknown>;
}

const set =
  (field: string): Setter =>
  (rec, v) => {
    rec[field] = v;
  };

const COLUMN_MAP: Record<string, Setter> = {
  eventid: set('eventID'),
  eventtime: set('eventTime'),
  eventdatetime: set('eventTime'),
  eventname: set('eventName'),
  eventsource: set('eventSource'),
  awsregion: set('awsRegion'),
  region: set('awsRegion'),
  errorcode: set('errorCode'),
  errormessage: set('errorMessage'),
  sourceipaddress: set('sourceIPAddress'),
  sourceip: set('sourceIPAddress'),
  useragent: set('userAgent'),
  requestuseragent: set('userAgent'),
  requestid: set('requestID'),
  eventtype: set('eventType'),
  recipientaccountid: set('recipientAccountId'),
  readonly: (rec, v) => {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 'false') rec.readOnly = s === 'true';
  },
  username: (rec, v) => {
    ui(rec).userName = v;
  },
  awsaccesskey: (rec, v) => {
    ui(rec).accessKeyId = v;
  },
  accesskeyid: (rec, v) => {
    ui(rec).accessKeyId = v;
  },
  userid: (rec, v) => {
    const parsed = parseLooseObject(v);
    if (parsed) rec.userIdentity = { ...ui(rec), ...parsed };
  },
  useridentity: (rec, v) => {
    const parsed = parseLooseObject(v);
    if (parsed) rec.userIdentity = { ...ui(rec), ...parsed };
  },
  requestparameters: (rec, v) => {
    const parsed = parseLooseObject(v);
    rec.requestParameters = parsed ?? v;
  },
};

function norm(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const RESOURCE_TYPE = 'resourcetype';
const RESOURCE_NAME = 'resourcename';
const WHOLE_EVENT = ['cloudtrailevent', 'event', 'rawevent'];

export function isCloudTrailCsvHeader(header: string[]): boolean {
  const cols = new Set(header.map(norm));
  const hasId = cols.has('eventid');
  const hasTime = cols.has('eventtime') || cols.has('eventdatetime');
  const hasName = cols.has('eventname');
  return (hasId && hasTime) || (hasName && hasTime) || WHOLE_EVENT.some((c) => cols.has(c));
}

export function csvRowToRecord(header: string[], row: string[]): { record: CloudTrailRecord | null; partial: boolean; error: string | null } {
  const rec: CloudTrailRecord = {};
  let resourceTypes: string[] = [];
  let resourceNames: string[] = [];
  for (let i = 0; i < header.length; i++) {
    const key = norm(header[i]);
    const value = row[i];
    if (value === undefined || value === '') continue;
    if (WHOLE_EVENT.includes(key)) {
      try {
        const whole = JSON.parse(value) as unknown;
        if (whole && typeof whole === 'object' && !Array.isArray(whole)) return { record: whole as CloudTrailRecord, partial: false, error: null };
      } catch {
        return { record: null, partial: false, error: `column "${header[i]}" is not valid JSON` };
      }
    }
    if (key === RESOURCE_TYPE) resourceTypes = value.split(/\s*,\s*/);
    else if (key === RESOURCE_NAME) resourceNames = value.split(/\s*,\s*/);
    else COLUMN_MAP[key]?.(rec, value);
  }
  if (resourceNames.length > 0) {
    rec.resources = resourceNames.map((name, i) => ({ resourceType: resourceTypes[i] ?? resourceTypes[0] ?? null, resourceName: name }));
  }
  if (!rec.eventID && !rec.eventName && !rec.eventTime) return { record: null, partial: true, error: 'row has no event ID, name or time' };
  return { record: rec, partial: true, error: null };
}

/**
 * Parse a JSON object, or a Python-repr dict as some exporters write them
 * ({'type': 'AWSAccount', 'principalId': '', 'flag': True, 'x': None}). Returns null when neither.
 */
export function parseLooseObject(text: string): Record<string, unknown> | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v = JSON.parse(t) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    // fall through to the Python-literal reading
  }
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === "'" || c === '"') {
      const q = c;
      let s = '';
      i++;
      while (i < t.length && t[i] !== q) {
        if (t[i] === '\\' && i + 1 < t.length) {
          s += t[i + 1];
          i += 2;
          continue;
        }
        s += t[i++];
      }
      out += JSON.stringify(s);
      continue;
    }
    if (t.startsWith('True', i)) {
      out += 'true';
      i += 3;
    } else if (t.startsWith('False', i)) {
      out += 'false';
      i += 4;
    } else if (t.startsWith('None', i)) {
      out += 'null';
      i += 3;
    } else out += c;
  }
  try {
    const v = JSON.parse(out) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
