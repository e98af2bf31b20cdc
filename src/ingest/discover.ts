// Evidence discovery: directories are walked with fast-glob, single files taken as given. Every file
// found becomes a job; classification happens later by path and content. Paths are POSIX-style and
// relative to the root the user gave (a file's own folder when a single file is given).

import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import type { FileJob } from './parse-file.js';

export interface DiscoverResult {
  jobs: FileJob[];
  /** Paths given that do not exist or cannot be read. */
  problems: Array<{ path: string; message: string }>;
}

export async function discover(inputs: string[]): Promise<DiscoverResult> {
  const jobs: Omit<FileJob, 'seq'>[] = [];
  const problems: DiscoverResult['problems'] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      problems.push({ path: input, message: `cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}` });
      continue;
    }
    if (st.isDirectory()) {
      const files = await fg('**/*', { cwd: abs, onlyFiles: true, dot: false, followSymbolicLinks: false, suppressErrors: true, unique: true, stats: true });
      for (const f of files) jobs.push({ absPath: path.join(abs, f.path), relPath: f.path.split(path.sep).join('/'), root: abs, size: f.stats?.size ?? 0 });
    } else if (st.isFile()) {
      // A single file inside a bucket copy keeps its key path (from AWSLogs/ on) so its layout is read.
      const posix = abs.split(path.sep).join('/');
      const at = posix.lastIndexOf('/AWSLogs/');
      if (at >= 0) jobs.push({ absPath: abs, relPath: posix.slice(at + 1), root: abs.slice(0, at) || path.sep, size: st.size });
      else jobs.push({ absPath: abs, relPath: path.basename(abs), root: path.dirname(abs), size: st.size });
    } else {
      problems.push({ path: input, message: 'not a regular file or directory' });
    }
  }
  jobs.sort((a, b) => (a.root === b.root ? (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0) : a.root < b.root ? -1 : 1));
  return { jobs: jobs.map((j, seq) => ({ ...j, seq })), problems };
}
