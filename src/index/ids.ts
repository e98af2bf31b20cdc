// Compact storage of identifiers that are usually lowercase UUIDs (eventID, requestID, sharedEventID):
// a UUID is stored as its 16 bytes, anything else as the text itself. Round-trips exactly.

/** Value of each lowercase hex digit's char code, -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;
const DASHES = [8, 13, 18, 23];

/** A lowercase 8-4-4-4-12 UUID as its 16 bytes; anything else as the text itself. One pass, no regular expression (the writer packs every event's ids). */
export function packId(value: string): string | Buffer {
  if (value.length !== 36) return value;
  for (const d of DASHES) if (value.charCodeAt(d) !== 45) return value;
  const out = Buffer.allocUnsafe(16);
  let o = 0;
  for (let i = 0; i < 36; i += i === 6 || i === 11 || i === 16 || i === 21 ? 3 : 2) {
    const c1 = value.charCodeAt(i);
    const c2 = value.charCodeAt(i + 1);
    const hi = c1 < 128 ? HEX[c1] : -1;
    const lo = c2 < 128 ? HEX[c2] : -1;
    if (hi < 0 || lo < 0) return value;
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
    const hex = (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return String(value);
}

/**
 * SQL for the text form of a packed identifier column (`expr`): a 16-byte BLOB becomes its lowercase 8-4-4-4-12 UUID
 * form, text stays as it is. The one decoder in SQL (rows, views and lookups); unpackId is its JavaScript twin.
 */
export function idTextSql(expr: string): string {
  const h = `lower(hex(${expr}))`;
  return `CASE WHEN typeof(${expr}) = 'blob' AND length(${expr}) = 16 THEN substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-' || substr(${h}, 13, 4) || '-' || substr(${h}, 17, 4) || '-' || substr(${h}, 21) ELSE ${expr} END`;
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
