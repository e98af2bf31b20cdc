// The common shape of an evidence format: how it recognises its content and how it turns that content into
// RawRecords. The record reader (../read-records.ts) drives one structural scanner and asks the formats of the
// registry (registry.ts), in order, at each decision point; a format only maps values it is handed. Formats
// never read bytes themselves, so the reader's bounds (docs/ingest.md#limits) hold for every format.

import type { CloudTrailRecord, SourceKind } from '../../model/types.js';

/** One record found in a file, with its exact original text when the file holds it verbatim. */
export interface RawRecord {
  index: number;
  record: CloudTrailRecord | null;
  /** The record's JSON text (the original bytes when offset is set). */
  text: string | null;
  offset: number | null;
  length: number | null;
  /** Only some fields are known (CSV). */
  partial: boolean;
  /** Why the record could not be read (record is null then). */
  error: string | null;
  /** Problem code when error is set. */
  code?: string;
}

export interface ReadNote {
  code: string;
  message: string;
  severity: 'warning' | 'error';
}

/** Folder hint from a bucket key path. */
export type PathHint = 'CloudTrail' | 'CloudTrail-Digest' | 'CloudTrail-Insight' | null;

/** What a format's kind may depend on. */
export interface KindContext {
  hint: PathHint;
  /** Top-level JSON values read so far (several: concatenated documents or NDJSON). */
  topValues: number;
}

/** A value the scanner read whole: its position in the decompressed file and its text. */
export interface Located {
  offset: number;
  length: number;
  text: string;
}

/** The first top-level value of a file, when it is a JSON object. */
export interface FirstObject {
  parsed: Record<string, unknown>;
  keys: string[];
  text: string;
}

/**
 * A JSON format. Every hook is optional; the reader asks the formats in registry order and the first that claims
 * a value maps it. Limits: an element of a container or top-level array, and a whole top-level value, is at most
 * READ_LIMITS.maxValueBytes (4 MiB) and maxDepth (256) deep; values over them never reach a format (they become
 * record_too_large / record_too_deep). Only elements of a container or top-level array are streamed, so a format
 * that maps a whole top-level value (topValue) reads documents of at most 4 MiB.
 */
export interface JsonFormat {
  readonly name: string;
  readonly syntax: 'json';
  /** Label that tells formats apart when a file mixes documents of two formats (warning mixed_documents). */
  readonly family: string;
  kind(ctx: KindContext): SourceKind;
  /**
   * A file that is recognised but holds no events (digests, keys): asked with the file's first top-level value
   * when it is an object. Returns why the file is not read for events, or null.
   */
  skipFile?(first: FirstObject): string | null;
  /** A top-level object's key whose value is an array: true when its elements are this format's entries. */
  container?(key: string, keysSoFar: readonly string[]): boolean;
  /** One element of a container this format claimed. */
  containerEntry?(parsed: unknown, at: Located): RawRecord | RawRecord[];
  /** A top-level array: does its first readable element show that the array holds this format's entries? */
  arrayOf?(first: unknown): boolean;
  /** One element of a top-level array this format claimed. */
  arrayElement?(parsed: unknown, at: Located): RawRecord | RawRecord[];
  /**
   * A whole top-level value that is not an envelope: its records, or null when it is not this format's.
   * `known`: the file already reads as this format's family.
   */
  topValue?(parsed: unknown, at: Located, known: boolean): RawRecord | RawRecord[] | null;
}

/** What a text format makes of a file: why it is not this format, or its records (then file-level notes). */
export type TextRead = { reason: string } | { records: Iterable<RawRecord>; notes: ReadNote[] };

/**
 * A format for files that do not start with '{' or '['. Limit: the whole decompressed file is held in memory, at
 * most READ_LIMITS.maxCsvBytes (512 MiB); larger files are skipped. `read` decides before yielding any record.
 */
export interface TextFormat {
  readonly name: string;
  readonly syntax: 'text';
  kind(ctx: KindContext): SourceKind;
  read(content: Buffer): TextRead;
}

export type EvidenceFormat = JsonFormat | TextFormat;
