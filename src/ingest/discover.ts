// Evidence discovery: a small iterative walker over the directories given (hidden entries included), single
// files taken as given. Every regular file found becomes a job; classification happens later by path and
// content. Paths are POSIX-style and relative to the root the user gave (a file's own folder when a single
// file is given). Anything that is not taken is either left out on purpose (the caller's `exclude` list, a
// second path to a file or directory already found) or reported as a problem with a code — never skipped
// silently. docs/ingest.md#discovery lists the rules.

import fs from 'node:fs';
import path from 'node:path';
import type { FileJob } from './parse-file.js';
import { describeFileKind } from '../model/file-kind.js';
import { buildFiles } from '../index/ingest-target.js';

export type DiscoverProblemCode =
  | 'not_found'
  | 'unreadable'
  | 'not_regular_file'
  | 'broken_symlink'
  | 'symlink_outside'
  | 'symlink_loop'
  | 'directory_loop'
  | 'undecodable_name'
  | 'path_too_long'
  | 'sqlite_file'
  | 'case_sidecar'
  | 'symlink_alias';

export interface DiscoverProblem {
  /** The path as given (inputs) or the absolute path found (inside a tree; bad bytes escaped as \xNN). */
  path: string;
  code: DiscoverProblemCode;
  message: string;
  /** 'warning': nothing was left out (a link to evidence already taken by its own path). Default: error. */
  severity?: 'warning';
}

export interface DiscoverResult {
  jobs: FileJob[];
  /** Everything found and not taken as evidence, with the reason. */
  problems: DiscoverProblem[];
}

export interface DiscoverOptions {
  /** Files never to treat as evidence (the case file and its -wal/-shm/-journal): left out without a problem. */
  exclude?: string[];
}

/** Paths (this length in bytes and above) that the kernel refuses: PATH_MAX including the terminating NUL. */
export const PATH_MAX = 4096;

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');
const SIDECAR = /-(wal|shm|journal)$/;
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The case file and the files SQLite keeps beside it: what `exclude` should hold for `--db file`. */
export function caseFiles(dbPath: string): string[] {
  const abs = path.resolve(dbPath);
  return [abs, `${abs}-wal`, `${abs}-shm`, `${abs}-journal`, ...buildFiles(abs)];
}

interface Dir {
  abs: string;
  rel: string;
  real: string;
  root: string;
  /** dev:ino of every directory from the root down to this one (symbolic links followed included). */
  chain: string[];
}

interface Link {
  abs: string;
  rel: string;
  root: string;
  name: string;
  dir: Dir;
  siblings: () => Set<string>;
}

type Job = Omit<FileJob, 'seq'>;

export async function discover(inputs: string[], opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const w = new Walker(opts.exclude ?? []);
  w.run(inputs);
  w.jobs.sort((a, b) => (a.root === b.root ? (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0) : a.root < b.root ? -1 : 1));
  return { jobs: w.jobs.map((j, seq) => ({ ...j, seq })), problems: w.problems };
}

class Walker {
  readonly jobs: Job[] = [];
  readonly problems: DiscoverProblem[] = [];
  /** Real paths of the directories and files given: symbolic links are followed only into these. */
  private readonly trees: string[] = [];
  /** dev:ino of every directory walked. */
  private readonly walkedDirs = new Set<string>();
  /** Real paths of the files taken as jobs. */
  private readonly taken = new Set<string>();
  /** Real paths of every regular file already looked at (taken, excluded or reported). */
  private readonly claimed = new Set<string>();
  private readonly excluded = new Set<string>();
  private readonly links: Link[] = [];

  constructor(exclude: string[]) {
    for (const e of exclude) {
      const abs = path.resolve(e);
      this.excluded.add(abs);
      try {
        this.excluded.add(fs.realpathSync.native(abs));
      } catch {
        try {
          this.excluded.add(path.join(fs.realpathSync.native(path.dirname(abs)), path.basename(abs)));
        } catch {
          // Neither it nor its folder exists: nothing under the evidence can be it.
        }
      }
    }
  }

  private problem(p: string, code: DiscoverProblemCode, message: string): void {
    this.problems.push({ path: p, code, message });
  }

  run(inputs: string[]): void {
    const dirs: Array<{ abs: string; real: string; key: string }> = [];
    const files: Array<{ input: string; abs: string; real: string }> = [];
    for (const input of inputs) {
      const abs = path.resolve(input);
      if (Buffer.byteLength(abs) >= PATH_MAX) {
        this.problem(input, 'path_too_long', tooLong(abs));
        continue;
      }
      let st: fs.BigIntStats;
      try {
        st = fs.statSync(abs, { bigint: true });
      } catch (err) {
        const code = errCode(err);
        if (code === 'ENOENT' && isSymlink(abs)) this.problem(input, 'broken_symlink', `symbolic link to ${readLink(abs)}, which does not exist`);
        else if (code === 'ELOOP') this.problem(input, 'symlink_loop', 'symbolic links that loop; not followed');
        else if (code === 'ENOENT' || code === 'ENOTDIR') this.problem(input, 'not_found', 'no such file or directory');
        else if (code === 'ENAMETOOLONG') this.problem(input, 'path_too_long', tooLong(abs));
        else this.problem(input, 'unreadable', `cannot read: ${errText(err)}`);
        continue;
      }
      let real: string;
      try {
        real = fs.realpathSync.native(abs);
      } catch (err) {
        this.problem(input, 'unreadable', `cannot resolve: ${errText(err)}`);
        continue;
      }
      if (st.isDirectory()) dirs.push({ abs, real, key: `${st.dev}:${st.ino}` });
      else if (st.isFile()) files.push({ input, abs, real });
      else {
        this.problem(input, 'not_regular_file', `${describeFileKind(st)}, not a regular file or directory; not opened`);
        continue;
      }
      this.trees.push(real);
    }

    // Outer directories first, so a nested or repeated input is already walked (and its files keep the
    // outer root's relative paths, e.g. their AWSLogs/ key path).
    dirs.sort((a, b) => a.real.length - b.real.length);
    for (const d of dirs) {
      if (this.walkedDirs.has(d.key)) continue;
      this.walkedDirs.add(d.key);
      this.walk({ abs: d.abs, rel: '', real: d.real, root: d.abs, chain: [d.key] });
    }

    for (const f of files) {
      if (this.claimed.has(f.real)) continue; // reached inside a directory given too
      // A single file inside a bucket copy keeps its key path (from AWSLogs/ on) so its layout is read.
      const posix = f.abs.split(path.sep).join('/');
      const at = posix.lastIndexOf('/AWSLogs/');
      const job = at >= 0 ? { rel: posix.slice(at + 1), root: f.abs.slice(0, at) || path.sep } : { rel: path.basename(f.abs), root: path.dirname(f.abs) };
      const siblings = lazySiblings(path.dirname(f.abs));
      this.takeFile(f.abs, job.rel, f.real, job.root, path.basename(f.abs), siblings, f.input, false);
    }

    // Symbolic links last: whatever is reachable directly keeps its own path; a link only adds what was not.
    for (let i = 0; i < this.links.length; i++) this.follow(this.links[i]);
  }

  private walk(start: Dir): void {
    const stack: Dir[] = [start];
    while (stack.length > 0) {
      const d = stack.pop() as Dir;
      let entries: fs.Dirent<Buffer>[];
      try {
        entries = fs.readdirSync(d.abs, { withFileTypes: true, encoding: 'buffer' });
      } catch (err) {
        this.problem(d.abs, errCode(err) === 'ENAMETOOLONG' ? 'path_too_long' : 'unreadable', `cannot list directory: ${errText(err)}`);
        continue;
      }
      entries.sort((a, b) => Buffer.compare(a.name, b.name));
      let names: Set<string> | undefined;
      const siblings = (): Set<string> => (names ??= new Set(entries.map((e) => e.name.toString('utf8'))));
      const sub: Dir[] = [];
      const prefix = d.abs.endsWith(path.sep) ? d.abs : d.abs + path.sep;
      const realPrefix = d.real.endsWith(path.sep) ? d.real : d.real + path.sep;
      for (const e of entries) {
        const name = e.name.toString('utf8');
        if (name.includes('\uFFFD') && !Buffer.from(name, 'utf8').equals(e.name)) {
          this.problem(prefix + escapeName(e.name), 'undecodable_name', `name is not valid UTF-8 (bad bytes shown as \\xNN); not read${e.isDirectory() ? ', nor anything below it' : ''} — rename it to ingest it`);
          continue;
        }
        const abs = prefix + name;
        if (abs.length * 3 >= PATH_MAX && Buffer.byteLength(abs) >= PATH_MAX) {
          this.problem(abs, 'path_too_long', tooLong(abs) + (e.isDirectory() ? ', nor anything below it' : ''));
          continue;
        }
        const rel = d.rel === '' ? name : `${d.rel}/${name}`;
        if (e.isFile()) {
          this.takeFile(abs, rel, realPrefix + name, d.root, name, siblings, abs, true);
        } else if (e.isDirectory()) {
          let st: fs.BigIntStats;
          try {
            st = fs.lstatSync(abs, { bigint: true });
          } catch (err) {
            this.problem(abs, 'unreadable', `cannot read: ${errText(err)}`);
            continue;
          }
          const key = `${st.dev}:${st.ino}`;
          if (d.chain.includes(key)) {
            this.problem(abs, 'directory_loop', 'directory is one of its own parents (a bind mount?); not walked again');
            continue;
          }
          if (this.walkedDirs.has(key)) continue; // the same directory mounted twice: walked once
          this.walkedDirs.add(key);
          sub.push({ abs, rel, real: realPrefix + name, root: d.root, chain: [...d.chain, key] });
        } else if (e.isSymbolicLink()) {
          this.links.push({ abs, rel, root: d.root, name, dir: d, siblings });
        } else {
          this.claimed.add(realPrefix + name);
          this.problem(abs, 'not_regular_file', `${describeFileKind(e)}, not a regular file; not opened`);
        }
      }
      for (let i = sub.length - 1; i >= 0; i--) stack.push(sub[i]);
    }
  }

  /** A symbolic link found inside a tree: followed once, when its target is inside the evidence given. */
  private follow(l: Link): void {
    let target: string;
    try {
      const raw = fs.realpathSync.native(l.abs, { encoding: 'buffer' });
      target = raw.toString('utf8');
      if (target.includes('\uFFFD') && !Buffer.from(target, 'utf8').equals(raw)) {
        this.problem(l.abs, 'undecodable_name', `symbolic link to ${escapeName(raw)}, a path that is not valid UTF-8 (bad bytes shown as \\xNN); not followed`);
        return;
      }
    } catch (err) {
      const code = errCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') this.problem(l.abs, 'broken_symlink', `symbolic link to ${readLink(l.abs)}, which does not exist`);
      else if (code === 'ELOOP') this.problem(l.abs, 'symlink_loop', `symbolic link to ${readLink(l.abs)}: the links loop; not followed`);
      else if (code === 'ENAMETOOLONG') this.problem(l.abs, 'path_too_long', `symbolic link to ${readLink(l.abs)}: the target's path is too long; not followed`);
      else this.problem(l.abs, 'unreadable', `symbolic link to ${readLink(l.abs)}: cannot resolve (${errText(err)})`);
      return;
    }
    if (!this.trees.some((t) => target === t || target.startsWith(t.endsWith(path.sep) ? t : t + path.sep))) {
      this.problem(l.abs, 'symlink_outside', `symbolic link to ${target}, outside the evidence given; not followed (give ${target} as an input to ingest it)`);
      return;
    }
    if (this.claimed.has(target)) {
      // Already found (or reported) by its own path: the content is read once, the alias is said.
      if (this.taken.has(target)) this.problems.push({ path: l.abs, code: 'symlink_alias', severity: 'warning', message: `symbolic link to ${target}, which is read under its own path` });
      return;
    }
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(target, { bigint: true });
    } catch (err) {
      this.problem(l.abs, 'unreadable', `symbolic link to ${target}: cannot read (${errText(err)})`);
      return;
    }
    if (st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (l.dir.chain.includes(key)) {
        this.problem(l.abs, 'symlink_loop', `symbolic link to ${target}, a directory that contains the link (a loop); not followed`);
        return;
      }
      if (this.walkedDirs.has(key)) {
        this.problems.push({ path: l.abs, code: 'symlink_alias', severity: 'warning', message: `symbolic link to the folder ${target}, which is read under its own path` });
        return;
      }
      this.walkedDirs.add(key);
      this.walk({ abs: l.abs, rel: l.rel, real: target, root: l.root, chain: [...l.dir.chain, key] });
    } else if (st.isFile()) {
      this.takeFile(l.abs, l.rel, target, l.root, l.name, l.siblings, l.abs, false, target);
    } else {
      this.problem(l.abs, 'not_regular_file', `symbolic link to ${target}, ${describeFileKind(st)}, not a regular file; not opened`);
    }
  }

  /**
   * Take a regular file as a job unless it is excluded, a SQLite database or a SQLite sidecar file. Only the
   * first 16 bytes are read, of files whose size could be a database's; the file is opened non-blocking so a file
   * swapped for a FIFO cannot hang us.
   */
  private takeFile(abs: string, rel: string, real: string, root: string, name: string, siblings: () => Set<string>, shown: string, noFollow: boolean, openPath = abs): void {
    if (this.claimed.has(real)) return;
    this.claimed.add(real);
    if (this.excluded.has(abs) || this.excluded.has(real)) return;
    const side = SIDECAR.exec(name);
    if (side && siblings().has(name.slice(0, side.index))) {
      this.problem(shown, 'case_sidecar', `SQLite ${side[1]} file of ${name.slice(0, side.index)} (a case file?) — not evidence; skipped`);
      return;
    }
    // One stat per file: a SQLite database is a whole number of pages (512 bytes and up), so only a file of such a size
    // needs its header read (tens of thousands of small log files are re-ingested in seconds). A link where a file
    // was (noFollow) is left to the open below, which refuses it.
    let st: fs.Stats | null = null;
    try {
      st = noFollow ? fs.lstatSync(openPath) : fs.statSync(openPath);
    } catch {
      // The open below says why.
    }
    if (st && !st.isSymbolicLink()) {
      if (!st.isFile()) {
        this.problem(shown, 'not_regular_file', `${describeFileKind(st)}, not a regular file; not read`);
        return;
      }
      if (st.size < SQLITE_HEADER.length || st.size % 512 !== 0) {
        this.jobs.push({ absPath: abs, relPath: rel, root, size: st.size });
        this.taken.add(real);
        return;
      }
    }
    let fd: number;
    try {
      fd = fs.openSync(openPath, OPEN_FLAGS | (noFollow ? NOFOLLOW : 0));
    } catch (err) {
      this.problem(shown, 'unreadable', `cannot read: ${errText(err)}`);
      return;
    }
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) {
        this.problem(shown, 'not_regular_file', `${describeFileKind(st)}, not a regular file; not read`);
        return;
      }
      if (st.size >= SQLITE_HEADER.length) {
        const head = Buffer.alloc(SQLITE_HEADER.length);
        const n = fs.readSync(fd, head, 0, head.length, 0);
        if (n === head.length && head.equals(SQLITE_HEADER)) {
          this.problem(shown, 'sqlite_file', 'a SQLite database (a case file?) — not evidence; skipped');
          return;
        }
      }
      this.jobs.push({ absPath: abs, relPath: rel, root, size: st.size });
      this.taken.add(real);
    } catch (err) {
      this.problem(shown, 'unreadable', `cannot read: ${errText(err)}`);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function lazySiblings(dir: string): () => Set<string> {
  let names: Set<string> | undefined;
  return () => {
    if (!names) {
      try {
        names = new Set(fs.readdirSync(dir));
      } catch {
        names = new Set();
      }
    }
    return names;
  };
}

/** A name with the bytes that are not UTF-8 (and control characters, and backslash) shown as \xNN. */
function escapeName(name: Buffer): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const b = name[i];
    if (b < 0x80) {
      out += b < 0x20 || b === 0x7f || b === 0x5c ? `\\x${hex(b)}` : String.fromCharCode(b);
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= name.length) {
      try {
        out += utf8Strict.decode(name.subarray(i, i + len));
        i += len;
        continue;
      } catch {
        // not a valid sequence: fall through to escaping this byte
      }
    }
    out += `\\x${hex(b)}`;
    i++;
  }
  return out;
}

const hex = (b: number): string => b.toString(16).padStart(2, '0');

function tooLong(abs: string): string {
  return `path is ${Buffer.byteLength(abs)} bytes, over the system limit of ${PATH_MAX - 1}; not read`;
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function readLink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '(unreadable target)';
  }
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'path too long',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
};

/** The errno and what it means, e.g. "EACCES (permission denied)". */
function errText(err: unknown): string {
  const code = errCode(err);
  if (code === undefined) return (err as Error).message;
  return ERRNO_TEXT[code] ? `${code} (${ERRNO_TEXT[code]})` : code;
}
