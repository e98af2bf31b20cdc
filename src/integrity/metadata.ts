// Saved S3 object metadata of digest files (spec §3.1): the only source of a chain head's signature offline.
// Accepted forms:
//   (a) head-object JSON ({"Metadata": {...}, ...}) as a sidecar `<digest file name>.metadata.json`
//   (b) a manifest: JSON array or JSONL of {"Bucket", "Key", "Metadata"}
//   (c) raw header dumps with `x-amz-meta-*` lines (curl -I / -v, HTTP logs), keyed by a request line
//       (`HEAD /key HTTP/1.1`) or by the file name `<digest file name>.headers`
//   (d) the plain map {"<s3 key or s3://bucket/key>": {"signature": "<hex>", "signature-algorithm": "..."}}
// Metadata names are matched case-insensitively with any `x-amz-meta-` prefix stripped.

import fs from 'node:fs';
import path from 'node:path';
import type { InputWarning } from '../model/integrity.js';
import { sidecarTarget } from './layout.js';

export type MetadataSourceKind = 'sidecar' | 'head-object' | 'manifest' | 'headers' | 'map';

export interface MetadataEntry {
  bucket: string | null;
  /** Full S3 key, when the source says it. */
  key: string | null;
  /** The digest's file name, when the source only identifies it by its own name. */
  baseName: string;
  signature: string | null;
  algorithm: string | null;
  backfillTimestamp: string | null;
  /** File (and line/entry) the entry came from, for the report. */
  source: string;
  sourceKind: MetadataSourceKind;
  used: boolean;
}

export interface MetadataIndex {
  entries: MetadataEntry[];
  warnings: InputWarning[];
  files: string[];
  byBase: Map<string, MetadataEntry[]>;
}

export function emptyMetadataIndex(): MetadataIndex {
  return { entries: [], warnings: [], files: [], byBase: new Map() };
}

/** Load `--digest-metadata FILE|DIR` values (directories are walked recursively). */
export function loadMetadataSources(specs: readonly string[], index: MetadataIndex = emptyMetadataIndex()): MetadataIndex {
  for (const spec of specs) {
    let st: fs.Stats;
    try {
      st = fs.statSync(spec);
    } catch (err) {
      index.warnings.push({ file: spec, code: 'metadata_unreadable', message: `cannot read digest metadata: ${(err as Error).message}` });
      continue;
    }
    const files = st.isDirectory() ? walkFiles(spec) : [spec];
    for (const f of files) {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(f);
      } catch (err) {
        index.warnings.push({ file: f, code: 'metadata_unreadable', message: `cannot read digest metadata: ${(err as Error).message}` });
        continue;
      }
      addMetadataFile(index, bytes.toString('utf8'), f, null);
    }
  }
  return index;
}

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop() as string;
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) stack.push(p);
      else if (ent.isFile()) out.push(p);
    }
  }
  return out.sort();
}

function normName(k: string): string {
  return k.toLowerCase().replace(/^x-amz-meta-/, '');
}

function pickMeta(m: Record<string, unknown>): { signature: string | null; algorithm: string | null; backfillTimestamp: string | null; any: boolean } {
  let signature: string | null = null;
  let algorithm: string | null = null;
  let backfillTimestamp: string | null = null;
  let any = false;
  for (const [k, v] of Object.entries(m)) {
    const n = normName(k);
    const s = typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : null;
    if (n === 'signature') {
      signature = s;
      any = true;
    } else if (n === 'signature-algorithm') {
      algorithm = s;
      any = true;
    } else if (n === 'backfill-generation-timestamp') {
      backfillTimestamp = s;
      any = true;
    }
  }
  return { signature, algorithm, backfillTimestamp, any };
}

function ci(o: Record<string, unknown>, name: string): unknown {
  const k = Object.keys(o).find((n) => n.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

/** Split `s3://bucket/key`; plain keys keep bucket null. */
function splitLocation(loc: string): { bucket: string | null; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(loc.trim());
  if (m) return { bucket: m[1], key: m[2] };
  return { bucket: null, key: loc.trim().replace(/^\/+/, '') };
}

function push(index: MetadataIndex, e: Omit<MetadataEntry, 'used'>): void {
  const entry: MetadataEntry = { ...e, used: false };
  index.entries.push(entry);
  const list = index.byBase.get(entry.baseName) ?? [];
  list.push(entry);
  index.byBase.set(entry.baseName, list);
}

/** The digest file name a metadata file is about, from its own name (`X.json.gz.metadata.json`, `X.json.gz.json`, `X.json.gz.headers`). */
function targetFromFileName(file: string): string | null {
  const base = path.basename(file);
  const side = sidecarTarget(base);
  if (side) return side;
  const m = /^(.*\.json\.gz)\.(json|txt|head|head\.json|meta|meta\.json)$/i.exec(base);
  return m ? m[1] : null;
}

/**
 * Parse one metadata source. `keyHint` is the digest key when the file is a sidecar found in the evidence.
 * Problems become warnings naming the file.
 */
export function addMetadataFile(index: MetadataIndex, text: string, file: string, keyHint: { bucket: string | null; key: string } | null): void {
  index.files.push(file);
  const before = index.entries.length;
  const trimmed = text.trim();
  const warn = (message: string, code = 'metadata_invalid') => index.warnings.push({ file, code, message });
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let doc: unknown;
    let parsed = true;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      parsed = false;
    }
    if (!parsed) {
      // JSONL manifest
      const lines = trimmed.split(/\r?\n/);
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        let item: unknown;
        try {
          item = JSON.parse(line);
        } catch (err) {
          warn(`line ${i + 1}: invalid JSON (${(err as Error).message}); expected one {"Bucket","Key","Metadata"} object per line`);
          return;
        }
        addManifestItem(index, item, `${file}:${i + 1}`, warn);
      });
    } else if (Array.isArray(doc)) {
      doc.forEach((item, i) => addManifestItem(index, item, `${file}[${i}]`, warn));
    } else if (doc && typeof doc === 'object') {
      const o = doc as Record<string, unknown>;
      const meta = ci(o, 'Metadata');
      if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
        if (typeof ci(o, 'Key') === 'string') addManifestItem(index, o, file, warn);
        else addByName(index, meta as Record<string, unknown>, file, keyHint, 'head-object', warn);
      } else if (pickMeta(o).any) {
        addByName(index, o, file, keyHint, 'head-object', warn);
      } else {
        // plain map {"<key>": {"signature": ...}}
        for (const [loc, v] of Object.entries(o)) {
          if (!v || typeof v !== 'object' || Array.isArray(v)) {
            warn(`entry "${loc}" is not an object of metadata ({"signature": "<hex>", "signature-algorithm": "SHA256withRSA"})`);
            continue;
          }
          const inner = ci(v as Record<string, unknown>, 'Metadata');
          const m = pickMeta(inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : (v as Record<string, unknown>));
          if (!m.any) {
            warn(`entry "${loc}" has no signature metadata`);
            continue;
          }
          const { bucket, key } = splitLocation(loc);
          push(index, { bucket, key, baseName: path.posix.basename(key), signature: m.signature, algorithm: m.algorithm, backfillTimestamp: m.backfillTimestamp, source: file, sourceKind: 'map' });
        }
      }
    } else {
      warn('not digest metadata: expected a head-object JSON, a manifest array, JSONL or a {"<s3 key>": {...}} map');
    }
  } else {
    addHeaderDump(index, text, file, keyHint, warn);
  }
  if (index.entries.length === before && !index.warnings.some((w) => w.file === file || w.file.startsWith(`${file}:`))) {
    warn('no digest signature metadata found in this file (expected x-amz-meta-signature / "signature")', 'metadata_empty');
  }
}

function addManifestItem(index: MetadataIndex, item: unknown, source: string, warn: (m: string) => void): void {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    warn(`${source}: manifest entry is not an object {"Bucket","Key","Metadata"}`);
    return;
  }
  const o = item as Record<string, unknown>;
  const keyV = ci(o, 'Key');
  const bucketV = ci(o, 'Bucket');
  const metaV = ci(o, 'Metadata');
  if (typeof keyV !== 'string' || !metaV || typeof metaV !== 'object') {
    warn(`${source}: manifest entry needs "Key" (string) and "Metadata" (object)`);
    return;
  }
  const m = pickMeta(metaV as Record<string, unknown>);
  const loc = splitLocation(keyV);
  push(index, {
    bucket: typeof bucketV === 'string' ? bucketV : loc.bucket,
    key: loc.key,
    baseName: path.posix.basename(loc.key),
    signature: m.signature,
    algorithm: m.algorithm,
    backfillTimestamp: m.backfillTimestamp,
    source,
    sourceKind: 'manifest',
  });
}

function addByName(
  index: MetadataIndex,
  meta: Record<string, unknown>,
  file: string,
  keyHint: { bucket: string | null; key: string } | null,
  kind: MetadataSourceKind,
  warn: (m: string) => void,
): void {
  const m = pickMeta(meta);
  const target = keyHint ? path.posix.basename(keyHint.key) : targetFromFileName(file);
  if (!target) {
    warn(`cannot tell which digest this metadata belongs to: name it "<digest file name>.metadata.json" or use a manifest with "Key"`);
    return;
  }
  push(index, {
    bucket: keyHint?.bucket ?? null,
    key: keyHint?.key ?? null,
    baseName: target,
    signature: m.signature,
    algorithm: m.algorithm,
    backfillTimestamp: m.backfillTimestamp,
    source: file,
    sourceKind: keyHint ? 'sidecar' : kind,
  });
}

function addHeaderDump(index: MetadataIndex, text: string, file: string, keyHint: { bucket: string | null; key: string } | null, warn: (m: string) => void): void {
  type Block = { key: string | null; host: string | null; meta: Record<string, string> };
  const blocks: Block[] = [];
  let cur: Block = { key: null, host: null, meta: {} };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^[<>*]\s?/, '').trim();
    const req = /^(?:HEAD|GET)\s+(\S+)\s+HTTP\/[\d.]+$/i.exec(line);
    if (req) {
      if (cur.key !== null || Object.keys(cur.meta).length) blocks.push(cur);
      const p = req[1].replace(/^https?:\/\/[^/]+/i, '').split('?')[0];
      let key: string;
      try {
        key = decodeURIComponent(p.replace(/^\/+/, ''));
      } catch {
        key = p.replace(/^\/+/, '');
      }
      cur = { key, host: null, meta: {} };
      continue;
    }
    const h = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (!h) continue;
    const name = h[1].toLowerCase();
    if (name === 'host') cur.host = h[2].trim();
    else if (name.startsWith('x-amz-meta-')) cur.meta[name] = h[2].trim();
  }
  if (cur.key !== null || Object.keys(cur.meta).length) blocks.push(cur);
  for (const b of blocks) {
    const m = pickMeta(b.meta);
    if (!m.any) continue;
    if (b.key) {
      // virtual-hosted style: bucket in Host; path-style: the first path segment may be the bucket.
      const hostBucket = b.host ? /^(.+)\.s3[.-]/.exec(b.host)?.[1] ?? null : null;
      push(index, {
        bucket: hostBucket,
        key: b.key,
        baseName: path.posix.basename(b.key),
        signature: m.signature,
        algorithm: m.algorithm,
        backfillTimestamp: m.backfillTimestamp,
        source: file,
        sourceKind: 'headers',
      });
    } else {
      addByName(index, b.meta, file, keyHint, 'headers', warn);
    }
  }
}

/** Metadata entries for a digest found at (bucket, key). Exact key first, then by file name. */
export function lookupMetadata(index: MetadataIndex, bucket: string | null, key: string): MetadataEntry[] {
  const base = path.posix.basename(key);
  const list = index.byBase.get(base);
  if (!list) return [];
  return list.filter((e) => {
    if (e.bucket && bucket && e.bucket !== bucket) return false;
    if (e.key === null) return true;
    return e.key === key || e.key.endsWith(`/${key}`) || key.endsWith(`/${e.key}`);
  });
}
