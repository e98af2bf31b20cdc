// Worker thread: parses evidence files handed over by ingest/run.ts and posts the results back.
// Streamed files post their parts one at a time and wait for the writer's ack (bounded memory).

import { parentPort, workerData } from 'node:worker_threads';
import { parseFile, type FileJob, type ParseOptions } from './parse-file.js';
import type { WorkerMessage, MainMessage } from './protocol.js';

const opts = workerData as ParseOptions & { knownSha256List: string[] };
const options: ParseOptions = { ...opts, knownSha256: new Set(opts.knownSha256List) };
const port = parentPort!;
const acks = new Map<number, () => void>();

function post(msg: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

/** Tests only: a file name part whose parsing makes this thread exit, as an out-of-memory death would. */
const DIE_ON = process.env.TRAILHOUND_TEST_WORKER_DIE_ON;

async function run(job: FileJob): Promise<void> {
  if (DIE_ON && job.relPath.includes(DIE_ON)) process.exit(70);
  try {
    const result = await parseFile(job, options, {
      meta: (meta) => post({ type: 'meta', seq: job.seq, meta }),
      part: (events, blob) =>
        new Promise<void>((resolve) => {
          acks.set(job.seq, resolve);
          post({ type: 'part', seq: job.seq, events, blob });
        }),
    });
    post({ type: 'result', seq: job.seq, result });
  } catch (err) {
    post({ type: 'error', seq: job.seq, message: (err as Error).message });
  }
}

port.on('message', (msg: MainMessage) => {
  if (msg.type === 'job') void run(msg.job);
  else if (msg.type === 'ack') {
    const resolve = acks.get(msg.seq);
    acks.delete(msg.seq);
    resolve?.();
  }
});
