// Compact storage of identifiers that are usually lowercase UUIDs (eventID, requestID, sharedEventID):
// a UUID is stored as its 16 bytes, anything else as the text itself. Round-trips exactly.

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function packId(value: string): string | Buffer {
  if (value.length === 36 && UUID_RE.test(value)) return Buffer.from(value.replace(/-/g, ''), 'hex');
  return value;
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
