// Run the real CLI (bin/trailhound.js → dist/) as a child process.
import { spawnSync } from 'node:child_process';
import { cliBin } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [cliBin, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same CLI run in this process (`main(args)` from the sources, stdout and stderr captured): for tests about what
 * a command prints, where a child process per run only adds start-up time. Tests about the process itself (exit on
 * a closed pipe, signals, a terminal) spawn it with runCli.
 */
export async function runCliInProcess(args: string[]): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const text = (c: unknown): string => (typeof c === 'string' ? c : Buffer.from(c as Uint8Array).toString('utf8'));
  process.stdout.write = ((c: unknown) => ((stdout += text(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: unknown) => ((stderr += text(c)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
