// Hash many files in worker threads (node:worker_threads), one per core, each kept busy with a few jobs in
// flight. Falls back to hashing in-process when workers are disabled or the compiled worker is unavailable.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../sources/worker-url.js';
import { hashContent } from './content-hash.js';
import type { ContentHashResult, HashJob } from './content-hash.js';

export interface HashPoolOptions {
  /** Number of worker threads; 0 hashes in-process. Default: available parallelism. */
  workers?: number;
  streamThreshold?: number;
  onResult?: (r: ContentHashResult, done: number, total: number) => void;
}

export interface HashPoolOutcome {
  results: ContentHashResult[];
  /** Workers actually used (0 when in-process). */
  workers: number;
  /** Why workers were not used, when they were requested but unavailable. */
  fallbackReason: string | null;
}

const IN_FLIGHT = 4;

export async function hashFiles(jobs: readonly HashJob[], opts: HashPoolOptions = {}): Promise<HashPoolOutcome> {
  const want = Math.max(0, Math.min(opts.workers ?? os.availableParallelism(), jobs.length));
  let fallbackReason: string | null = null;
  let url: URL | null = null;
  if (want > 0) {
    try {
      url = workerUrl(import.meta.url, 'hash-worker');
    } catch (err) {
      fallbackReason = (err as Error).message;
    }
  }
  if (want === 0 || url === null) {
    const results: ContentHashResult[] = [];
    for (const job of jobs) {
      const r = await hashContent(job, opts.streamThreshold);
      results.push(r);
      opts.onResult?.(r, results.length, jobs.length);
    }
    return { results, workers: 0, fallbackReason };
  }
  const results: ContentHashResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      if (jobs.length === 0) return resolve();
      const feed = (w: Worker) => {
        if (next < jobs.length) {
          const id = next++;
          w.postMessage({ id, job: jobs[id], streamThreshold: opts.streamThreshold });
        }
      };
      for (let i = 0; i < want; i++) {
        const w = new Worker(url as URL);
        workers.push(w);
        w.on('message', (m: { id: number; result?: ContentHashResult; error?: string }) => {
          if (m.error !== undefined || !m.result) {
            reject(new Error(`hash worker failed on ${jobs[m.id].file}: ${m.error}`));
            return;
          }
          results[m.id] = m.result;
          done++;
          opts.onResult?.(m.result, done, jobs.length);
          if (done === jobs.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        for (let k = 0; k < IN_FLIGHT; k++) feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { results, workers: want, fallbackReason };
}
