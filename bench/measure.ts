// Run a command as a child process and measure it: wall time and peak RSS (VmHWM, polled every 50 ms).

import fs from 'node:fs';
import { spawn } from 'node:child_process';

export interface Measured {
  seconds: number;
  peakRssMB: number;
  code: number | null;
  stdout: string;
}

/** Run a command (node with `args`, or with `node: false` the program args[0]), polling its peak RSS (VmHWM) until it exits. */
export async function measure(args: string[], opts: { node?: boolean } = {}): Promise<Measured> {
  const t0 = process.hrtime.bigint();
  const child = opts.node === false ? spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] }) : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const st = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(st);
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // process gone
    }
  }, 50);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(poll);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakRssMB: Math.round(peak), code, stdout };
}

