// Public keys from saved `aws cloudtrail list-public-keys` output (spec §4): CLI v1 (epoch numbers), CLI v2
// (ISO strings), the docs' `publicKeyList` spelling with numeric strings, boto3 dumps. Keys are selected by
// fingerprint only; the fingerprint is MD5 of the DER bytes exactly as listed, checked for every key.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InputWarning, KeyFileInfo } from '../model/integrity.js';
import { isoUtc, msFromIso } from '../model/time.js';
import { REGION_PATTERN } from './layout.js';

export interface PublicKeyEntry {
  fingerprint: string;
  der: Buffer;
  form: 'pkcs1' | 'spki' | null;
  key: crypto.KeyObject | null;
  /** Why the key cannot be used (key_load_error), null when it loaded. */
  error: string | null;
  /** The listed Fingerprint differs from MD5(DER): the key is rejected (key_list_inconsistent). */
  inconsistent: boolean;
  validityStartMs: number | null;
  validityEndMs: number | null;
  region: string | null;
  file: string;
}

export interface KeyRing {
  /** Usable or unloadable keys by lowercase fingerprint (inconsistent entries are not here). */
  byFingerprint: Map<string, PublicKeyEntry[]>;
  /** Keys rejected because their listed fingerprint is not MD5(Value). */
  inconsistent: Map<string, PublicKeyEntry>;
  files: KeyFileInfo[];
  warnings: InputWarning[];
}

const REGION_TAG_RE = new RegExp(`^(${REGION_PATTERN})=(.+)$`);
const REGION_IN_NAME_RE = new RegExp(`(?:^|[^a-z])(${REGION_PATTERN})(?![a-z0-9])`);

/** `--public-keys` values: `FILE` or `REGION=FILE`. The region is read from the file name when not tagged. */
function parseKeySpec(spec: string): { file: string; region: string | null } {
  const tagged = REGION_TAG_RE.exec(spec);
  if (tagged && !fs.existsSync(spec)) return { file: tagged[2], region: tagged[1] };
  const m = REGION_IN_NAME_RE.exec(path.basename(spec));
  return { file: spec, region: m ? m[1] : null };
}

function emptyKeyRing(): KeyRing {
  return { byFingerprint: new Map(), inconsistent: new Map(), files: [], warnings: [] };
}

/** Load every key file; problems become warnings naming the file, never exceptions. */
export function loadKeyFiles(specs: readonly string[]): KeyRing {
  const ring = emptyKeyRing();
  for (const spec of specs) {
    const { file, region } = parseKeySpec(spec);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      ring.warnings.push({ file, code: 'key_file_unreadable', message: `cannot read public key file: ${(err as Error).message}` });
      continue;
    }
    addKeyList(ring, bytes, file, region);
  }
  return ring;
}

/** Parse one key list (bytes of a saved list-public-keys output) into the ring. */
function addKeyList(ring: KeyRing, bytes: Buffer, file: string, region: string | null): void {
  const info: KeyFileInfo = { file, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), region, keys: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    ring.warnings.push({ file, code: 'key_file_invalid', message: `not a list-public-keys output: invalid JSON (${(err as Error).message})` });
    ring.files.push(info);
    return;
  }
  let list: unknown;
  if (Array.isArray(doc)) list = doc;
  else if (doc && typeof doc === 'object') {
    const k = Object.keys(doc).find((n) => n.toLowerCase() === 'publickeylist');
    list = k ? (doc as Record<string, unknown>)[k] : undefined;
  }
  if (!Array.isArray(list)) {
    ring.warnings.push({
      file,
      code: 'key_file_invalid',
      message: 'not a list-public-keys output: expected {"PublicKeyList": [{"Value", "Fingerprint", "ValidityStartTime", "ValidityEndTime"}]}',
    });
    ring.files.push(info);
    return;
  }
  if (region === null) {
    ring.warnings.push({ file, code: 'key_region_unknown', message: 'no region for this key list (name it REGION=FILE or put the region in the file name); key_region_mismatch cannot be checked' });
  }
  list.forEach((item, i) => {
    const entry = parseKeyEntry(item, file, region);
    if (typeof entry === 'string') {
      ring.warnings.push({ file, code: 'key_entry_invalid', message: `key entry ${i}: ${entry}` });
      return;
    }
    info.keys.push({
      fingerprint: entry.fingerprint,
      form: entry.form,
      validityStart: entry.validityStartMs === null ? null : isoUtc(entry.validityStartMs),
      validityEnd: entry.validityEndMs === null ? null : isoUtc(entry.validityEndMs),
      error: entry.inconsistent ? 'key_list_inconsistent' : entry.error,
    });
    if (entry.inconsistent) {
      ring.inconsistent.set(entry.fingerprint, entry);
      ring.warnings.push({
        file,
        code: 'key_list_inconsistent',
        message: `key ${entry.fingerprint}: Fingerprint is not the MD5 of its Value (MD5 is ${md5Hex(entry.der)}); key rejected`,
      });
      return;
    }
    if (entry.error) ring.warnings.push({ file, code: 'key_load_error', message: `key ${entry.fingerprint}: ${entry.error}` });
    const list2 = ring.byFingerprint.get(entry.fingerprint) ?? [];
    if (!list2.some((e) => e.der.equals(entry.der))) list2.push(entry);
    else if (entry.region && !list2.some((e) => e.region === entry.region)) list2.push(entry);
    ring.byFingerprint.set(entry.fingerprint, list2);
  });
  ring.files.push(info);
}

function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const k = Object.keys(o).find((n) => n.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

const BASE64_RE = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

function parseKeyEntry(item: unknown, file: string, region: string | null): PublicKeyEntry | string {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return 'not an object';
  const o = item as Record<string, unknown>;
  const value = field(o, 'Value');
  if (typeof value !== 'string' || value.length === 0) return 'no Value (base64 DER public key)';
  if (!BASE64_RE.test(value)) return 'Value is not base64';
  const der = Buffer.from(value, 'base64');
  const md5 = md5Hex(der);
  const fpRaw = field(o, 'Fingerprint');
  let fingerprint = md5;
  let inconsistent = false;
  if (fpRaw !== undefined && fpRaw !== null) {
    if (typeof fpRaw !== 'string') return 'Fingerprint is not a string';
    fingerprint = fpRaw.trim().toLowerCase();
    inconsistent = fingerprint !== md5;
  }
  const start = parseKeyTime(field(o, 'ValidityStartTime'));
  const end = parseKeyTime(field(o, 'ValidityEndTime'));
  const loaded = loadRsaKey(der);
  return {
    fingerprint,
    der,
    form: loaded.form,
    key: loaded.key,
    error: loaded.error,
    inconsistent,
    validityStartMs: start,
    validityEndMs: end,
    region,
    file,
  };
}

/** Epoch seconds (number or numeric string), ISO-8601, or boto3's `YYYY-MM-DD HH:MM:SS+00:00`. */
function parseKeyTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
    const ms = msFromIso(s.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function md5Hex(der: Buffer): string {
  return crypto.createHash('md5').update(der).digest('hex');
}

/** Load DER as PKCS#1 RSAPublicKey first, then SPKI (one AWS sample key is SPKI, §4.2). RSA only. */
function loadRsaKey(der: Buffer): { key: crypto.KeyObject | null; form: 'pkcs1' | 'spki' | null; error: string | null } {
  try {
    const key = crypto.createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    return { key, form: 'pkcs1', error: null };
  } catch {
    // not PKCS#1: try SPKI below
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return { key: null, form: null, error: 'unable to load the key: its DER is neither a PKCS#1 RSAPublicKey nor an SPKI public key' };
  }
  if (key.asymmetricKeyType !== 'rsa') {
    return { key: null, form: 'spki', error: `unable to load the key: it is an ${key.asymmetricKeyType ?? 'unknown'} key, not RSA` };
  }
  return { key, form: 'spki', error: null };
}
