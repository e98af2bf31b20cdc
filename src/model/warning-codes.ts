// The codes of ingest warnings and problems, with their severity and a short meaning (docs/ingest.md,
// "Warnings and problems"). `stored` is false for problems that are only reported by `ingest` (the file's
// status and reason are in `sources`), true for rows of the case's `warnings` table.

import type { WarningSeverity } from './types.js';

export interface WarningCodeInfo {
  severity: WarningSeverity;
  /** A few words; shown after the code in ingest's per-code lines. */
  meaning: string;
  stored: boolean;
}

export const WARNING_CODES: Readonly<Record<string, WarningCodeInfo>> = {
  empty_file: { severity: 'warning', meaning: 'file is empty', stored: true },
  zero_records: { severity: 'warning', meaning: 'file holds no records', stored: true },
  bom: { severity: 'warning', meaning: 'UTF-8 byte-order mark ignored', stored: true },
  invalid_utf8: { severity: 'warning', meaning: 'not valid UTF-8; bad bytes read as U+FFFD', stored: true },
  gzip_trailing_data: { severity: 'warning', meaning: 'bytes after the first gzip member ignored', stored: true },
  name_mismatch: { severity: 'warning', meaning: 'file name and folders name different accounts or regions', stored: true },
  account_mismatch: { severity: 'warning', meaning: 'recipientAccountId differs from the key path account', stored: true },
  region_mismatch: { severity: 'warning', meaning: 'awsRegion differs from the key path region', stored: true },
  no_event_id: { severity: 'warning', meaning: 'record has no eventID; an ID was derived from its content', stored: true },
  no_event_time: { severity: 'warning', meaning: 'record has no valid eventTime', stored: true },
  resource_extraction: { severity: 'warning', meaning: 'resources of a record could not be read', stored: true },
  event_conflict: { severity: 'warning', meaning: 'eventID already seen with a different body', stored: true },
  truncated_json: { severity: 'error', meaning: 'invalid or truncated JSON; records after it skipped', stored: true },
  bad_record: { severity: 'error', meaning: 'record could not be read; skipped', stored: true },
  stream_error: { severity: 'error', meaning: 'streamed reading stopped; records after it skipped', stored: true },
  skipped: { severity: 'error', meaning: 'file is not evidence', stored: false },
  failed: { severity: 'error', meaning: 'file could not be read', stored: false },
  unreadable_path: { severity: 'error', meaning: 'a path given could not be read', stored: false },
};

/** The meaning of a code, or null for a code this version does not know. */
export function warningMeaning(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(WARNING_CODES, code) ? WARNING_CODES[code].meaning : null;
}
