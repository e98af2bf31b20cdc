// Run the real CLI with a hard time limit and a peak-RSS measurement: the hostile-evidence harness.
// `timeout -s KILL` kills the whole process group (the CLI and its worker threads), `/usr/bin/time -f %M` reports
// the peak RSS in KiB; spawnSync's own timeout (SIGKILL) is the backstop. Without those tools the CLI is spawned
// directly (spawnSync timeout + SIGKILL) and maxRssKb is null.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliBin } from './paths.js';

export interface BoundedResult {
  args: string[];
  /** Exit status; null when killed by a signal. Under /usr/bin/time a signal N shows as 128 + N. */
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process in KiB (null when not measured or killed). */
  maxRssKb: number | null;
  /** Set when the harness itself failed (output over maxBuffer, spawn error). */
  harnessError: string | null;
}

const hasTools = fs.existsSync('/usr/bin/time') && spawnSync('timeout', ['--version']).status === 0;
let seq = 0;

export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  return env;
}

export function runBounded(args: string[], opts: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv; maxBuffer?: number }): BoundedResult {
  const rssFile = path.join(os.tmpdir(), `trailhound-rss-${process.pid}-${++seq}.txt`);
  const secs = Math.max(1, Math.ceil(opts.timeoutMs / 1000));
  const [cmd, argv] = hasTools
    ? ['timeout', ['-s', 'KILL', String(secs), '/usr/bin/time', '-f', '%M', '-o', rssFile, process.execPath, cliBin, ...args]]
    : [process.execPath, [cliBin, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd,
    env: childEnv(opts.env),
    encoding: 'utf8',
    maxBuffer: opts.maxBuffer ?? 512 * 1024 * 1024,
    timeout: hasTools ? secs * 1000 + 5000 : opts.timeoutMs,
    killSignal: 'SIGKILL',
  });
  const ms = performance.now() - t0;
  let maxRssKb: number | null = null;
  try {
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    const n = Number(lines[lines.length - 1]);
    if (Number.isFinite(n) && n > 0) maxRssKb = n;
  } catch {
    // killed before /usr/bin/time wrote it
  }
  fs.rmSync(rssFile, { force: true });
  const err = r.error as NodeJS.ErrnoException | undefined;
  const timedOut = ms >= secs * 1000 - 100 && (r.status === null || r.status === 137 || r.status === 124 || err?.code === 'ETIMEDOUT');
  return {
    args,
    code: r.status,
    signal: r.signal,
    timedOut,
    ms,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    maxRssKb,
    harnessError: err && err.code !== 'ETIMEDOUT' ? `${err.code ?? ''} ${err.message}` : null,
  };
}

/** null when the run ended normally (any exit code below 128); else what went wrong, for failure messages. */
export function abnormal(r: BoundedResult): string | null {
  if (r.timedOut) return `hang: killed after ${(r.ms / 1000).toFixed(1)} s (timeout)`;
  if (r.harnessError) return `harness: ${r.harnessError}`;
  if (r.code === null) return `crash: killed by ${r.signal ?? 'a signal'}`;
  if (r.code >= 128) return `crash: exit ${r.code} (signal ${r.code - 128})`;
  return null;
}

export function describeRun(r: BoundedResult): string {
  const tail = r.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
  return `exit ${r.code ?? r.signal}, ${(r.ms / 1000).toFixed(1)} s${r.maxRssKb ? `, peak RSS ${Math.round(r.maxRssKb / 1024)} MiB` : ''}${tail ? `, stderr: ${JSON.stringify(tail)}` : ''}`;
}
