// The digest provider's view of the evidence (spec §6.2): walk the bucket copies, classify files, and resolve
// S3 locations named in the data (digestS3Object, previousDigestS3Object, logFiles[].s3Object) to local files.
//
// A root is either the bucket's top folder (`--bucket NAME`, or learned from the digests' own locations) or a
// folder holding `<bucket>/…` folders. Until it is known, a root matches a key for any bucket.

import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceFileRef, InputWarning } from '../model/integrity.js';
import { classifyPath } from './layout.js';
import type { FileClass, ParsedKey } from './layout.js';

export interface EvidenceRoot {
  /** Absolute path. */
  root: string;
  /** The bucket this folder is the top of: given, or learned from digests. Null: unknown. */
  bucket: string | null;
  /** The root holds one folder per bucket (learned from digests). */
  holdsBuckets: boolean;
  /** Folder (relative, may be nested) → bucket it holds, when the folder is not named after its bucket. */
  folders: Map<string, string>;
  declared: boolean;
}

export interface EvidenceFile {
  root: EvidenceRoot;
  /** POSIX path relative to the root. */
  path: string;
  abs: string;
  cls: FileClass;
  parsed: ParsedKey | null;
  size: number;
}

export interface EvidenceIndex {
  roots: EvidenceRoot[];
  files: EvidenceFile[];
  byRel: Map<string, EvidenceFile[]>;
  warnings: InputWarning[];
}

export function ref(f: EvidenceFile): EvidenceFileRef {
  return { root: f.root.root, path: f.path };
}

/** Walk every evidence path. Unreadable paths and folders without an AWSLogs/ layout are reported, not fatal. */
export function scanEvidence(paths: readonly string[], bucket: string | null): EvidenceIndex {
  const index: EvidenceIndex = { roots: [], files: [], byRel: new Map(), warnings: [] };
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      index.warnings.push({ file: p, code: 'evidence_unreadable', message: `cannot read evidence path: ${(err as Error).message}` });
      continue;
    }
    if (!st.isDirectory()) {
      index.warnings.push({ file: p, code: 'evidence_not_bucket', message: 'is a file; give the folder that holds the bucket copy (AWSLogs/…)' });
      continue;
    }
    const root: EvidenceRoot = { root: abs, bucket, holdsBuckets: false, folders: new Map(), declared: bucket !== null };
    index.roots.push(root);
    let layoutFiles = 0;
    const stack = [''];
    while (stack.length) {
      const rel = stack.pop() as string;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(abs, rel), { withFileTypes: true });
      } catch (err) {
        index.warnings.push({ file: path.join(abs, rel), code: 'evidence_unreadable', message: `cannot list folder: ${(err as Error).message}` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        const childRel = rel ? `${rel}/${ent.name}` : ent.name;
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        if (ent.isSymbolicLink()) {
          try {
            const s = fs.statSync(path.join(abs, childRel));
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            continue;
          }
        }
        if (isDir) {
          stack.push(childRel);
          continue;
        }
        if (!isFile) continue;
        const { cls, parsed } = classifyPath(childRel);
        let size = 0;
        try {
          size = fs.statSync(path.join(abs, childRel)).size;
        } catch {
          // reported when read
        }
        const f: EvidenceFile = { root, path: childRel, abs: path.join(abs, childRel), cls, parsed, size };
        if (parsed) layoutFiles++;
        index.files.push(f);
        const list = index.byRel.get(childRel) ?? [];
        list.push(f);
        index.byRel.set(childRel, list);
      }
    }
    if (layoutFiles === 0) {
      index.warnings.push({
        file: p,
        code: 'evidence_not_bucket',
        message: 'not a CloudTrail bucket copy: no file under AWSLogs/<account>/CloudTrail*/<region>/; give the folder that holds the bucket copy',
      });
    }
  }
  return index;
}

/**
 * Local files at S3 location (bucket, key): `<root>/<key>` for bucket roots, `<root>/<folder>/<key>` for roots
 * holding bucket folders (the folder named after the bucket, or learned as holding it).
 */
export function resolveLocation(index: EvidenceIndex, bucket: string | null, key: string): EvidenceFile[] {
  const out: EvidenceFile[] = [];
  for (const f of index.byRel.get(key) ?? []) {
    if (f.root.holdsBuckets) continue;
    if (bucket === null || f.root.bucket === null || f.root.bucket === bucket) out.push(f);
  }
  if (bucket !== null) {
    for (const f of index.byRel.get(`${bucket}/${key}`) ?? []) {
      if (f.root.declared || f.root.folders.has(bucket)) continue;
      out.push(f);
    }
  }
  for (const root of index.roots) {
    for (const [folder, b] of root.folders) {
      if (folder === bucket || (bucket !== null && b !== bucket)) continue;
      for (const f of index.byRel.get(`${folder}/${key}`) ?? []) if (f.root === root && !out.includes(f)) out.push(f);
    }
  }
  return out;
}

/**
 * Learn the shape of every undeclared root from the digests found in it (each claims its own bucket and key),
 * by majority, so that a replayed digest cannot decide: `<root>/<key>` makes the root that bucket's top folder;
 * `<root>/<folder>/<key>` makes it a folder of bucket folders, `folder` holding that bucket.
 */
export function learnRoots(claims: ReadonlyArray<{ file: EvidenceFile; bucket: string; key: string }>): void {
  const votes = new Map<EvidenceRoot, Map<string, number>>();
  const folderVotes = new Map<EvidenceRoot, Map<string, Map<string, number>>>();
  for (const { file, bucket, key } of claims) {
    const root = file.root;
    if (root.declared) continue;
    let vote: string | null = null;
    if (file.path === key) vote = `bucket\u0000${bucket}`;
    else if (file.path.endsWith(`/${key}`)) {
      vote = 'holds';
      const folder = file.path.slice(0, file.path.length - key.length - 1);
      const fm = folderVotes.get(root) ?? new Map<string, Map<string, number>>();
      const bm = fm.get(folder) ?? new Map<string, number>();
      bm.set(bucket, (bm.get(bucket) ?? 0) + 1);
      fm.set(folder, bm);
      folderVotes.set(root, fm);
    }
    if (!vote) continue;
    const m = votes.get(root) ?? new Map<string, number>();
    m.set(vote, (m.get(vote) ?? 0) + 1);
    votes.set(root, m);
  }
  for (const [root, m] of votes) {
    const best = [...m.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (best === 'holds') {
      root.holdsBuckets = true;
      for (const [folder, bm] of folderVotes.get(root) ?? []) {
        const b = [...bm.entries()].sort((x, y) => y[1] - x[1])[0][0];
        if (b !== folder) root.folders.set(folder, b);
      }
    } else {
      root.bucket = best.slice('bucket\u0000'.length);
    }
  }
}

/** The S3 location a local file stands for, as far as the roots are known. */
export function localLocation(f: EvidenceFile): { bucket: string | null; key: string } {
  if (f.root.holdsBuckets) {
    for (const [folder, b] of f.root.folders) {
      if (f.path.startsWith(`${folder}/`)) return { bucket: b, key: f.path.slice(folder.length + 1) };
    }
    const i = f.path.indexOf('/');
    if (i > 0) return { bucket: f.path.slice(0, i), key: f.path.slice(i + 1) };
  }
  return { bucket: f.root.bucket, key: f.path };
}
