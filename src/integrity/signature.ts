// The digest signature (spec §3.2, §3.3): the exact signing string and SHA256withRSA (RSASSA-PKCS1-v1_5 with a
// SHA-256 DigestInfo) verification. PSS and other hashes inside the DigestInfo do not verify.

import crypto from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const HASH_ALGORITHM = 'SHA-256';

export interface SigningInputs {
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  previousDigestSignature: string | null;
}

/**
 * Four lines joined by LF, no trailing LF: end time verbatim, bucket/key, hex SHA-256 of this digest's
 * decompressed bytes, previous signature or the literal "null".
 */
export function signingString(d: SigningInputs, contentSha256: string): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${contentSha256}\n${d.previousDigestSignature === null ? 'null' : d.previousDigestSignature}`;
}

/** Decode a hex signature; a string is returned to explain why it is unusable. */
export function decodeSignatureHex(hex: string, modulusBytes: number | null): Buffer | string {
  if (hex.length === 0) return 'the signature is empty';
  if (hex.length % 2 !== 0) return `the signature hex has an odd length (${hex.length})`;
  if (!/^[0-9a-fA-F]+$/.test(hex)) return 'the signature is not hex';
  const buf = Buffer.from(hex, 'hex');
  if (modulusBytes !== null && buf.length !== modulusBytes) {
    return `the signature is ${buf.length} bytes; the key needs ${modulusBytes} (${modulusBytes * 2} hex characters)`;
  }
  return buf;
}

/** Length in bytes of an RSA key's modulus. */
export function modulusBytes(key: crypto.KeyObject): number | null {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return bits ? Math.ceil(bits / 8) : null;
}

export function verifySignature(signing: string, signature: Buffer, key: crypto.KeyObject): boolean {
  try {
    return crypto.verify('sha256', Buffer.from(signing, 'utf8'), { key, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}
