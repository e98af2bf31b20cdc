// The case file's schema, as an ordered list of named migrations (sqlite-utils style).
// Each migration runs inside one transaction; PRAGMA user_version records how many have run.
//
// Design notes (see docs/case-format.md):
// - Low-cardinality and repeated strings (event names, ARNs, IPs, user agents, access keys...) are stored
//   once in `strings` and referenced by integer id: rows and indexes stay small.
// - event_id / request_id / shared_event_id hold a 16-byte BLOB when the value is a lowercase UUID,
//   otherwise the TEXT itself, or marked bytes for text a number could be read from (see ids.ts). Always go
//   through packId()/unpackId()/idTextSql().
// - The full event body is not duplicated in `events`: it is read on demand from the embedded evidence
//   bytes (`source_blobs`) at the event's first-seen place (events.source_id, record_index, byte_offset/length).
//   Every further place the event was seen (the same event in the org trail and the account trail...) is a row of
//   `extra_occurrences`; the `occurrences` view (views.ts) shows both as one list.

import { repairNumericIds } from './repair-ids.js';
import type { Db } from './statements.js';

/** 'trhd' — marks a SQLite file as a trailhound case. */
export const APPLICATION_ID = 0x74726864;

export interface Migration {
  name: string;
  sql: string;
  /** Work SQL cannot do (reading records), run after `sql` in the same transaction. */
  run?: (db: Db) => void;
}

/** Secondary indexes on events, kept apart so bulk loads can drop and rebuild them. */
export const EVENT_INDEXES: ReadonlyArray<{ name: string; sql: string }> = [
  { name: 'events_time', sql: 'CREATE INDEX IF NOT EXISTS events_time ON events(event_time)' },
  { name: 'events_name', sql: 'CREATE INDEX IF NOT EXISTS events_name ON events(event_name, event_time)' },
  { name: 'events_source', sql: 'CREATE INDEX IF NOT EXISTS events_source ON events(event_source, event_time)' },
  { name: 'events_key', sql: 'CREATE INDEX IF NOT EXISTS events_key ON events(access_key_id, event_time) WHERE access_key_id IS NOT NULL' },
  { name: 'events_username', sql: 'CREATE INDEX IF NOT EXISTS events_username ON events(username, event_time) WHERE username IS NOT NULL' },
  { name: 'events_ip', sql: 'CREATE INDEX IF NOT EXISTS events_ip ON events(source_ip, event_time) WHERE source_ip IS NOT NULL' },
  { name: 'events_arn', sql: 'CREATE INDEX IF NOT EXISTS events_arn ON events(arn, event_time) WHERE arn IS NOT NULL' },
  { name: 'events_issuer', sql: 'CREATE INDEX IF NOT EXISTS events_issuer ON events(session_issuer_arn, event_time) WHERE session_issuer_arn IS NOT NULL' },
  { name: 'events_region', sql: 'CREATE INDEX IF NOT EXISTS events_region ON events(aws_region, event_time)' },
  { name: 'events_account', sql: 'CREATE INDEX IF NOT EXISTS events_account ON events(recipient_account_id, event_time)' },
  { name: 'events_ua', sql: 'CREATE INDEX IF NOT EXISTS events_ua ON events(user_agent, event_time) WHERE user_agent IS NOT NULL' },
  { name: 'events_error', sql: 'CREATE INDEX IF NOT EXISTS events_error ON events(error_code, event_time) WHERE error_code IS NOT NULL' },
  { name: 'events_shared', sql: 'CREATE INDEX IF NOT EXISTS events_shared ON events(shared_event_id) WHERE shared_event_id IS NOT NULL' },
  { name: 'events_request', sql: 'CREATE INDEX IF NOT EXISTS events_request ON events(request_id) WHERE request_id IS NOT NULL' },
  { name: 'events_odd', sql: 'CREATE INDEX IF NOT EXISTS events_odd ON events(id) WHERE flags & 64' },
  // An evidence file's events (trust filters, recovery of an interrupted file): the primary occurrence of each event.
  { name: 'events_source_row', sql: 'CREATE INDEX IF NOT EXISTS events_source_row ON events(source_id, record_index)' },
  { name: 'resources_name', sql: 'CREATE INDEX IF NOT EXISTS resources_name ON event_resources(name, type)' },
  { name: 'resources_type', sql: 'CREATE INDEX IF NOT EXISTS resources_type ON event_resources(type)' },
];

export const MIGRATIONS: readonly Migration[] = [
  {
    name: '0001-initial',
    sql: `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

CREATE TABLE strings (
  id    INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
);

CREATE TABLE ingest_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  tool_version TEXT NOT NULL,
  arguments   TEXT NOT NULL,
  status      TEXT NOT NULL,            -- running | done | failed
  summary     TEXT                      -- JSON summary (docs/json-output.md#ingest)
);

CREATE TABLE sources (
  id             INTEGER PRIMARY KEY,
  path           TEXT NOT NULL,         -- relative to the root given (POSIX separators)
  root           TEXT NOT NULL,         -- the root as given on the command line, resolved
  size           INTEGER NOT NULL,
  sha256         TEXT NOT NULL,         -- SHA-256 of the file bytes
  content_sha256 TEXT,                  -- SHA-256 of the decompressed bytes (what digests list)
  kind           TEXT NOT NULL,         -- SourceKind
  compression    TEXT NOT NULL,         -- gzip | none
  s3_key         TEXT,                  -- AWSLogs/... key (with prefix) when the path is a bucket layout
  key_prefix     TEXT,
  org_id         TEXT,
  account_id     TEXT,
  region         TEXT,
  date           TEXT,                  -- YYYY-MM-DD from the key path
  file_time      TEXT,                  -- delivery time from the file name, ISO
  status         TEXT NOT NULL,         -- ingesting | done | skipped | failed | duplicate
  reason         TEXT,                  -- why skipped / failed / duplicate of which source
  duplicate_of   INTEGER REFERENCES sources(id),
  record_count   INTEGER,               -- records seen in the file
  event_count    INTEGER,               -- new unique events this file added
  embedded       INTEGER NOT NULL DEFAULT 0, -- 1 when source_blobs holds the bytes
  blob_format    TEXT,                  -- file: the stored bytes ARE the file; gzip: gzip of the file bytes
  run_id         INTEGER REFERENCES ingest_runs(id)
);
CREATE UNIQUE INDEX sources_path ON sources(root, path, sha256);
CREATE INDEX sources_sha ON sources(sha256);
CREATE INDEX sources_content_sha ON sources(content_sha256);
CREATE INDEX sources_s3key ON sources(s3_key);

CREATE TABLE source_blobs (
  source_id INTEGER NOT NULL REFERENCES sources(id),
  seq       INTEGER NOT NULL,
  data      BLOB NOT NULL,
  PRIMARY KEY (source_id, seq)
) WITHOUT ROWID;

CREATE TABLE events (
  id                   INTEGER PRIMARY KEY,
  event_id             ANY NOT NULL,    -- packId(eventID)
  event_time           INTEGER,         -- ms since epoch, UTC
  event_name           INTEGER,         -- strings.id (same for every *INTEGER* string column below)
  event_source         INTEGER,
  aws_region           INTEGER,
  recipient_account_id INTEGER,
  source_ip            INTEGER,
  user_agent           INTEGER,
  identity_type        INTEGER,
  arn                  INTEGER,
  principal_id         INTEGER,
  account_id           INTEGER,
  access_key_id        INTEGER,
  user_name            INTEGER,
  username             INTEGER,         -- Event history "User name"
  session_issuer_arn   INTEGER,
  session_issuer_user_name INTEGER,
  invoked_by           INTEGER,
  source_identity      INTEGER,
  error_code           INTEGER,
  error_message        TEXT,
  read_only            INTEGER,         -- 1 / 0 / NULL
  event_type           INTEGER,
  event_category       INTEGER,
  management_event     INTEGER,         -- 1 / 0 / NULL
  shared_event_id      ANY,             -- packId()
  request_id           ANY,             -- packId()
  vpc_endpoint_id      INTEGER,
  flags                INTEGER NOT NULL DEFAULT 0, -- EVENT_FLAGS
  content_hash         BLOB NOT NULL,   -- 16 bytes of SHA-256 over the record's canonical JSON
  source_id            INTEGER NOT NULL REFERENCES sources(id), -- where the body comes from
  record_index         INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_event_id ON events(event_id);

CREATE TABLE occurrences (
  event_id     INTEGER NOT NULL,        -- events.id
  source_id    INTEGER NOT NULL,
  record_index INTEGER NOT NULL,
  byte_offset  INTEGER,                 -- in the decompressed file, when known
  byte_length  INTEGER,
  variant      INTEGER NOT NULL DEFAULT 0, -- 0: same body as the event; 1: a different body (conflict)
  PRIMARY KEY (event_id, source_id, record_index)
) WITHOUT ROWID;
CREATE INDEX occurrences_source ON occurrences(source_id, record_index);

CREATE TABLE event_resources (
  event_id INTEGER NOT NULL,            -- events.id
  type     INTEGER NOT NULL,            -- strings.id of AWS::Service::Type
  name     INTEGER NOT NULL,            -- strings.id of the resource name
  PRIMARY KEY (event_id, type, name)
) WITHOUT ROWID;

CREATE TABLE warnings (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER,
  source_id    INTEGER,
  file         TEXT NOT NULL,
  record_index INTEGER,
  code         TEXT NOT NULL,
  message      TEXT NOT NULL,
  severity     TEXT NOT NULL            -- warning | error
);
CREATE INDEX warnings_source ON warnings(source_id);

-- Every event with its strings resolved: convenient for ad-hoc SQL and slow paths.
CREATE VIEW events_v AS
SELECT e.id, e.event_id, e.event_time,
  s1.value AS event_name, s2.value AS event_source, s3.value AS aws_region,
  s4.value AS recipient_account_id, s5.value AS source_ip, s6.value AS user_agent,
  s7.value AS identity_type, s8.value AS arn, s9.value AS principal_id, s10.value AS account_id,
  s11.value AS access_key_id, s12.value AS user_name, s13.value AS username,
  s14.value AS session_issuer_arn, s15.value AS session_issuer_user_name, s16.value AS invoked_by,
  s17.value AS source_identity, s18.value AS error_code, e.error_message, e.read_only,
  s19.value AS event_type, s20.value AS event_category, e.management_event,
  e.shared_event_id, e.request_id, s21.value AS vpc_endpoint_id, e.flags, e.source_id, e.record_index
FROM events e
LEFT JOIN strings s1 ON s1.id = e.event_name
LEFT JOIN strings s2 ON s2.id = e.event_source
LEFT JOIN strings s3 ON s3.id = e.aws_region
LEFT JOIN strings s4 ON s4.id = e.recipient_account_id
LEFT JOIN strings s5 ON s5.id = e.source_ip
LEFT JOIN strings s6 ON s6.id = e.user_agent
LEFT JOIN strings s7 ON s7.id = e.identity_type
LEFT JOIN strings s8 ON s8.id = e.arn
LEFT JOIN strings s9 ON s9.id = e.principal_id
LEFT JOIN strings s10 ON s10.id = e.account_id
LEFT JOIN strings s11 ON s11.id = e.access_key_id
LEFT JOIN strings s12 ON s12.id = e.user_name
LEFT JOIN strings s13 ON s13.id = e.username
LEFT JOIN strings s14 ON s14.id = e.session_issuer_arn
LEFT JOIN strings s15 ON s15.id = e.session_issuer_user_name
LEFT JOIN strings s16 ON s16.id = e.invoked_by
LEFT JOIN strings s17 ON s17.id = e.source_identity
LEFT JOIN strings s18 ON s18.id = e.error_code
LEFT JOIN strings s19 ON s19.id = e.event_type
LEFT JOIN strings s20 ON s20.id = e.event_category
LEFT JOIN strings s21 ON s21.id = e.vpc_endpoint_id;
`,
  },
  {
    // Offline integrity verification results (trailhound verify --db; src/index/integrity-store.ts, trust.ts).
    // Every run is kept; readers use the latest finished run.
    name: '0002-integrity',
    sql: `
CREATE TABLE integrity_runs (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  tool_version TEXT NOT NULL,
  arguments    TEXT NOT NULL,           -- JSON array of the command-line arguments
  exit_code    INTEGER,                 -- verify's exit status (0 proven, 3 failure, 5 gaps)
  summary      TEXT,                    -- JSON VerifySummary (docs/integrity.md)
  inputs       TEXT                     -- JSON: evidence roots, key lists (with SHA-256), metadata files, range
);

CREATE TABLE integrity_digests (
  run_id         INTEGER NOT NULL REFERENCES integrity_runs(id),
  bucket         TEXT,
  s3_key         TEXT NOT NULL,
  chain_id       TEXT NOT NULL,
  status         TEXT NOT NULL,         -- DigestStatus
  flags          TEXT NOT NULL,         -- comma-separated DigestFlag
  reason         TEXT NOT NULL,
  sig_source     TEXT,                  -- s3_metadata | successor | both
  fingerprint    TEXT,
  start_time     TEXT,
  end_time       TEXT,
  content_sha256 TEXT,
  log_count      INTEGER NOT NULL,
  detail         TEXT NOT NULL          -- JSON: files, flagReasons, notes, previousKey, keyForm, metadataSources
);
CREATE INDEX integrity_digests_run ON integrity_digests(run_id, status);

CREATE TABLE integrity_logs (
  run_id         INTEGER NOT NULL REFERENCES integrity_runs(id),
  bucket         TEXT,
  s3_key         TEXT NOT NULL,
  root           TEXT,                  -- local file (NULL when missing)
  path           TEXT,
  status         TEXT NOT NULL,         -- LogStatus
  trust          TEXT NOT NULL,         -- proven | provisional | unverified
  flags          TEXT NOT NULL,
  reason         TEXT NOT NULL,
  content_sha256 TEXT,
  delivery_time  TEXT,
  covered_by     TEXT NOT NULL          -- JSON [{digestKey, digestStatus, hashValue}]
);
CREATE INDEX integrity_logs_run ON integrity_logs(run_id, status);

CREATE TABLE integrity_chains (
  run_id       INTEGER NOT NULL REFERENCES integrity_runs(id),
  chain_id     TEXT NOT NULL,
  bucket       TEXT,
  prefix       TEXT NOT NULL,
  org_id       TEXT,
  account_id   TEXT NOT NULL,
  region       TEXT NOT NULL,
  home_region  TEXT,
  trail_name   TEXT,
  kind         TEXT NOT NULL,           -- standard | backfill
  digest_count INTEGER NOT NULL,
  valid_count  INTEGER NOT NULL,
  start_time   TEXT,
  end_time     TEXT,
  PRIMARY KEY (run_id, chain_id)
) WITHOUT ROWID;

CREATE TABLE integrity_findings (
  run_id            INTEGER NOT NULL REFERENCES integrity_runs(id),
  chain_id          TEXT NOT NULL,
  kind              TEXT NOT NULL,      -- gap | missing_link | tail_uncovered | head_unverified | orphan_segment
  start_time        TEXT,
  end_time          TEXT,
  message           TEXT NOT NULL,
  evidence          TEXT NOT NULL,      -- JSON array of digest keys
  estimated_missing INTEGER
);
CREATE INDEX integrity_findings_run ON integrity_findings(run_id, chain_id);

CREATE TABLE integrity_coverage (
  run_id     INTEGER NOT NULL REFERENCES integrity_runs(id),
  chain_id   TEXT NOT NULL,
  state      TEXT NOT NULL,             -- verified | unauthenticated | missing | gap | tail_uncovered
  start_time TEXT NOT NULL,
  end_time   TEXT NOT NULL
);
CREATE INDEX integrity_coverage_run ON integrity_coverage(run_id, chain_id, start_time);

-- Trust of each ingested source file for a run: what search/show/investigations label events with.
CREATE TABLE integrity_source_trust (
  run_id     INTEGER NOT NULL REFERENCES integrity_runs(id),
  source_id  INTEGER NOT NULL REFERENCES sources(id),
  rank       INTEGER NOT NULL,          -- 0 proven, 1 provisional, 2 unverified
  trust      TEXT NOT NULL,
  log_status TEXT NOT NULL,
  PRIMARY KEY (run_id, source_id)
) WITHOUT ROWID;
CREATE INDEX integrity_source_trust_rank ON integrity_source_trust(run_id, rank, source_id);
`,
  },
  {
    // Detections (trailhound detect; src/index/detections.ts): which events each rule matched, and the findings
    // built from those matches. Rules are evaluated incrementally: a rule whose text is unchanged is only run on
    // events added since (detect_rules.last_row) and on events that were partial (console CSV rows) last time.
    name: '0003-detections',
    sql: `
-- A column added after 0001 (the Sigma rule aws_sts_assumerole_misuse tests it on most events). Rows written
-- before this migration have NULL there whatever their record says: meta column_from.<column> is the first row
-- that has it, and the rule engine reads the records of older rows instead (detect/case-dialect.ts).
ALTER TABLE events ADD COLUMN session_issuer_type INTEGER;
INSERT OR REPLACE INTO meta (key, value) SELECT 'column_from.session_issuer_type', coalesce(max(id), 0) + 1 FROM events;
-- Likewise events.flags bit 64 (oddFields: a column does not say what the record says): rows before this migration
-- were never checked, so the rule engine reads their records (meta flag_from.odd_fields).
INSERT OR REPLACE INTO meta (key, value) SELECT 'flag_from.odd_fields', coalesce(max(id), 0) + 1 FROM events;
CREATE INDEX IF NOT EXISTS events_odd ON events(id) WHERE flags & 64;

CREATE TABLE detect_runs (
  id          INTEGER PRIMARY KEY,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  tool_version TEXT NOT NULL,
  summary     TEXT                       -- JSON: rules loaded/skipped, events evaluated, findings
);

CREATE TABLE detect_rules (
  rule_id   TEXT PRIMARY KEY,            -- the rule's id
  hash      TEXT NOT NULL,               -- SHA-256 of its source document (and placeholder values)
  meta      TEXT NOT NULL,               -- JSON RuleMeta as last run
  last_row  INTEGER NOT NULL,            -- events.id evaluated through
  run_id    INTEGER NOT NULL REFERENCES detect_runs(id)
) WITHOUT ROWID;

-- Event rules' matches (correlations are rebuilt from these on every run).
CREATE TABLE detect_matches (
  rule_id   TEXT NOT NULL,
  event_row INTEGER NOT NULL,            -- events.id
  PRIMARY KEY (rule_id, event_row)
) WITHOUT ROWID;

-- Events that were partial when last evaluated: a fuller copy may replace them, so they are evaluated again.
CREATE TABLE detect_partial (
  event_row INTEGER PRIMARY KEY
);

CREATE TABLE findings (
  finding_id  TEXT PRIMARY KEY,          -- stable for the same rule and group
  rule_id     TEXT NOT NULL,
  level_rank  INTEGER NOT NULL,          -- 0 informational .. 4 critical
  first_time  INTEGER,                   -- ms since epoch, UTC
  last_time   INTEGER,
  event_count INTEGER NOT NULL,
  outcome     TEXT NOT NULL,             -- succeeded | failed | mixed
  body        TEXT NOT NULL,             -- JSON Finding without eventIds and trust (docs/json-output.md#detect)
  run_id      INTEGER NOT NULL REFERENCES detect_runs(id)
) WITHOUT ROWID;
CREATE INDEX findings_rule ON findings(rule_id);
CREATE INDEX findings_time ON findings(first_time);

CREATE TABLE finding_events (
  finding_id TEXT NOT NULL,
  event_row  INTEGER NOT NULL,           -- events.id
  PRIMARY KEY (finding_id, event_row)
) WITHOUT ROWID;
CREATE INDEX finding_events_row ON finding_events(event_row);
`,
  },
  {
    // The first place an event was seen lives in its own row (byte offset and length join source_id and record_index);
    // only further places are occurrence rows: a case holds one row per event instead of two, and no second index
    // per record. The `occurrences` view (views.ts) lists both, as the table of that name did.
    name: '0004-extra-occurrences',
    sql: `
ALTER TABLE events ADD COLUMN byte_offset INTEGER;
ALTER TABLE events ADD COLUMN byte_length INTEGER;
UPDATE events SET byte_offset = o.byte_offset, byte_length = o.byte_length
  FROM occurrences o WHERE o.event_id = events.id AND o.source_id = events.source_id AND o.record_index = events.record_index;
CREATE TABLE extra_occurrences (
  event_id     INTEGER NOT NULL,        -- events.id
  source_id    INTEGER NOT NULL,
  record_index INTEGER NOT NULL,
  byte_offset  INTEGER,                 -- in the decompressed file, when known
  byte_length  INTEGER,
  variant      INTEGER NOT NULL DEFAULT 0, -- 0: same body as the event; 1: a different body (conflict)
  PRIMARY KEY (event_id, source_id, record_index)
) WITHOUT ROWID;
INSERT INTO extra_occurrences (event_id, source_id, record_index, byte_offset, byte_length, variant)
  SELECT o.event_id, o.source_id, o.record_index, o.byte_offset, o.byte_length, o.variant
  FROM occurrences o JOIN events e ON e.id = o.event_id
  WHERE o.source_id <> e.source_id OR o.record_index <> e.record_index;
DROP VIEW IF EXISTS events_v;
DROP TABLE occurrences;
CREATE INDEX extra_occurrences_source ON extra_occurrences(source_id, record_index);
CREATE INDEX IF NOT EXISTS events_source_row ON events(source_id, record_index);
`,
  },
  {
    // Ids that looked like numbers were stored as numbers by the columns' numeric affinity (ids.ts now keeps them as
    // text): each damaged value is read back from its record (repair-ids.ts).
    name: '0005-text-ids',
    sql: '',
    run: (db) => {
      repairNumericIds(db);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema version from which ids are stored as text (migration 0005). */
export const TEXT_IDS_VERSION = MIGRATIONS.findIndex((m) => m.name === '0005-text-ids') + 1;
