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
  // files
  empty_file: { severity: 'error', meaning: 'file is empty', stored: true },
  zero_records: { severity: 'error', meaning: 'file holds no records', stored: true },
  bom: { severity: 'warning', meaning: 'UTF-8 byte-order mark ignored', stored: true },
  bom_mid_file: { severity: 'warning', meaning: 'a byte-order mark between JSON documents ignored', stored: true },
  invalid_utf8: { severity: 'warning', meaning: 'not valid UTF-8; bad bytes read as U+FFFD', stored: true },
  gzip_trailing_data: { severity: 'error', meaning: 'bytes after the gzip data (zero padding is only a warning)', stored: true },
  gzip_multiple_members: { severity: 'error', meaning: 'more than one gzip member; all read, the later ones outside the digest', stored: true },
  gzip_truncated: { severity: 'error', meaning: 'gzip data ends early; records before it read', stored: true },
  gzip_corrupt: { severity: 'error', meaning: 'corrupt gzip data (CRC, ISIZE, deflate); records before it read', stored: true },
  gzip_too_large: { severity: 'error', meaning: 'decompressed size over --max-decompressed; records before it read', stored: true },
  gzip_not_gzip: { severity: 'error', meaning: 'not gzip data', stored: true },
  truncated_json: { severity: 'error', meaning: 'invalid or truncated JSON; records after it skipped', stored: true },
  mixed_documents: { severity: 'error', meaning: 'JSON documents of different shapes in one file; all read', stored: true },
  duplicate_records_key: { severity: 'error', meaning: 'a second "Records" array in one object; both read', stored: true },
  name_mismatch: { severity: 'warning', meaning: 'file name and folders name different accounts or regions', stored: true },
  time_from_alt_field: { severity: 'warning', meaning: 'time taken from @timestamp (SIEM re-export); events marked', stored: true },
  skipped: { severity: 'error', meaning: 'file is not evidence', stored: true },
  failed: { severity: 'error', meaning: 'file could not be read', stored: true },
  // records
  account_mismatch: { severity: 'warning', meaning: 'recipientAccountId differs from the key path account', stored: true },
  region_mismatch: { severity: 'warning', meaning: 'awsRegion differs from the key path region', stored: true },
  no_event_id: { severity: 'warning', meaning: 'record has no eventID; an ID was derived from its content', stored: true },
  no_event_time: { severity: 'error', meaning: 'record has no usable eventTime (missing, impossible, outside 1970-9999); kept without a time', stored: true },
  resource_extraction: { severity: 'warning', meaning: 'resources of a record could not be read', stored: true },
  event_conflict: { severity: 'warning', meaning: 'eventID already seen with a different body', stored: true },
  id_not_repaired: { severity: 'error', meaning: 'an ID an older trailhound stored as a number could not be read back from its record', stored: true },
  bad_record: { severity: 'error', meaning: 'record is not valid JSON; skipped', stored: true },
  not_an_event: { severity: 'error', meaning: 'record is not a CloudTrail event; skipped', stored: true },
  record_too_large: { severity: 'error', meaning: 'record over the size limit; skipped', stored: true },
  record_too_deep: { severity: 'error', meaning: 'record nested deeper than the limit; skipped', stored: true },
  record_error: { severity: 'error', meaning: 'record could not be turned into an event; skipped', stored: true },
  // discovery
  not_found: { severity: 'error', meaning: 'a path given does not exist', stored: true },
  unreadable: { severity: 'error', meaning: 'a directory or file cannot be read', stored: true },
  not_regular_file: { severity: 'error', meaning: 'a FIFO, socket or device: not opened', stored: true },
  broken_symlink: { severity: 'error', meaning: 'symbolic link to nothing', stored: true },
  symlink_outside: { severity: 'error', meaning: 'symbolic link leaving the paths given: not followed', stored: true },
  symlink_loop: { severity: 'error', meaning: 'symbolic links that loop: not followed', stored: true },
  directory_loop: { severity: 'error', meaning: 'a directory that is its own parent (bind mount): not walked again', stored: true },
  undecodable_name: { severity: 'error', meaning: 'a name that is not valid UTF-8: not read', stored: true },
  path_too_long: { severity: 'error', meaning: 'a path of 4096 bytes or more: not read', stored: true },
  sqlite_file: { severity: 'error', meaning: 'a SQLite database (a case file?): not evidence', stored: true },
  symlink_alias: { severity: 'warning', meaning: 'symbolic link to evidence read under its own path', stored: true },
  case_sidecar: { severity: 'error', meaning: "SQLite's -wal/-shm/-journal file: not evidence", stored: true },
};

/** The meaning of a code, or null for a code this version does not know. */
export function warningMeaning(code: string): string | null {
  return Object.prototype.hasOwnProperty.call(WARNING_CODES, code) ? WARNING_CODES[code].meaning : null;
}
