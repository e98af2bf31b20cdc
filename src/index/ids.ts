// Compact storage of identifiers that are usually lowercase UUIDs (eventID, requestID, sharedEventID):
// a UUID is stored as its 16 bytes, anything else as the text itself, except text that SQLite would turn into a number
// (the columns are declared ANY, which has numeric affinity: S3's request ID `991379651E138351` would be stored as
// the REAL Infinity, an all-digit eventID as an INTEGER, `00012` as 12). Such text is stored as a BLOB: a 0x00 byte,
// its UTF-8 bytes, and one more 0x00 when that would make 16 bytes (16 bytes is always a UUID). Round-trips exactly.

/** Value of each lowercase hex digit's char code, -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;
const DASHES = [8, 13, 18, 23];

/** Text numeric affinity could convert: made only of digits, signs, dots, exponents and spaces, or an infinity or NaN. */
const NUMBER_LIKE = /^(?:[\s+\-.0-9eE]+|\s*[+-]?(?:inf(?:inity)?|nan)\s*)$/i;

/** Text kept as text by a column with numeric affinity: a BLOB of 0x00, the UTF-8 bytes, and a 0x00 pad to avoid 16 bytes. */
function markText(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.of(0), bytes, ...(bytes.length === 15 ? [Buffer.of(0)] : [])]);
}

/** A packed id's text when it is marked text (markText), else null. */
function markedText(b: Buffer): string | null {
  if (b.length === 16 || b.length === 0 || b[0] !== 0) return null;
  const end = b.length === 17 && b[16] === 0 ? 16 : b.length;
  return b.subarray(1, end).toString('utf8');
}

/** Text as stored: as is, or marked when a number could be read from it. */
function asText(value: string): string | Buffer {
  return NUMBER_LIKE.test(value) ? markText(value) : value;
}

/**
 * A lowercase 8-4-4-4-12 UUID as its 16 bytes; text a number could be read from as marked bytes; anything else as the
 * text itself. One pass over a UUID, no regular expression for it (the writer packs every event's ids).
 */
export function packId(value: string): string | Buffer {
  if (value.length !== 36) return asText(value);
  for (const d of DASHES) if (value.charCodeAt(d) !== 45) return asText(value);
  const out = Buffer.allocUnsafe(16);
  let o = 0;
  for (let i = 0; i < 36; i += i === 6 || i === 11 || i === 16 || i === 21 ? 3 : 2) {
    const c1 = value.charCodeAt(i);
    const c2 = value.charCodeAt(i + 1);
    const hi = c1 < 128 ? HEX[c1] : -1;
    const lo = c2 < 128 ? HEX[c2] : -1;
    if (hi < 0 || lo < 0) return asText(value);
    out[o++] = (hi << 4) | lo;
  }
  return out;
}

export function packIdOrNull(value: string | null | undefined): string | Buffer | null {
  return value == null ? null : packId(value);
}

export function unpackId(value: unknown): string | null {
  if (value == null) return null;
  if (value instanceof Uint8Array) {
    const b = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const text = markedText(b);
    if (text !== null) return text;
    const hex = b.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return String(value);
}

/**
 * SQL for the text form of a packed identifier column (`expr`): a 16-byte BLOB becomes its lowercase 8-4-4-4-12 UUID
 * form, marked text its text, text stays as it is. The one decoder in SQL (rows, views and lookups); unpackId is its
 * JavaScript twin.
 */
export function idTextSql(expr: string): string {
  const h = `lower(hex(${expr}))`;
  const marked = `CAST(substr(${expr}, 2, CASE WHEN length(${expr}) = 17 AND substr(${expr}, 17, 1) = x'00' THEN 15 ELSE length(${expr}) - 1 END) AS TEXT)`;
  return `CASE WHEN typeof(${expr}) = 'blob' AND length(${expr}) = 16 THEN substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-' || substr(${h}, 13, 4) || '-' || substr(${h}, 17, 4) || '-' || substr(${h}, 21) WHEN typeof(${expr}) = 'blob' AND substr(${expr}, 1, 1) = x'00' THEN ${marked} ELSE ${expr} END`;
}

/** The range of marked ids (packId) whose text starts with `prefix`, or null when the prefix is not number-like. */
export function markedPrefixRange(prefix: string): { lo: Buffer; hi: Buffer } | null {
  if (!NUMBER_LIKE.test(prefix)) return null;
  const lo = Buffer.concat([Buffer.of(0), Buffer.from(prefix, 'utf8')]);
  return { lo, hi: Buffer.concat([lo, Buffer.of(0xff)]) };
}

const UUID_TEMPLATE = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

/**
 * The range of packed (16-byte) UUIDs that start with `prefix`, a lowercase beginning of a UUID's text form
 * (`30b97dce`, `30b97dce-53a`): every packed id p with lo <= p < hi (hi null: no upper bound). Null when the prefix
 * cannot begin a lowercase UUID.
 */
export function uuidPrefixRange(prefix: string): { lo: Buffer; hi: Buffer | null } | null {
  if (prefix.length === 0 || prefix.length > UUID_TEMPLATE.length) return null;
  for (let i = 0; i < prefix.length; i++) {
    const ok = UUID_TEMPLATE[i] === '-' ? prefix[i] === '-' : /[0-9a-f]/.test(prefix[i]);
    if (!ok) return null;
  }
  const hex = prefix.replace(/-/g, '');
  if (hex.length === 0) return null;
  const even = (s: string) => (s.length % 2 ? `${s}0` : s);
  // hi: the hex digits read as one number, plus one (same length); none when they are all f.
  const digits = [...hex].map((c) => parseInt(c, 16));
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 15) digits[i--] = 0;
  const hi = i < 0 ? null : (digits[i]++, Buffer.from(even(digits.slice(0, i + 1).map((d) => d.toString(16)).join('')), 'hex'));
  return { lo: Buffer.from(even(hex), 'hex'), hi };
}
