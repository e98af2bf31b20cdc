// Worker thread: parses evidence files handed over by ingest/run.ts and posts the results back.
// Streamed files post their parts one at a time and wait for the writer's ack (bounded memory). A big single
// file is read by all parser threads: its reading thread asks for ports to the others, which read its chunks
// (split-file.ts) between their own files.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { parseFile, type FileJob, type FileMeta, type ParseOptions } from './parse-file.js';
import { parseChunk, type ChunkContext } from './file-parser.js';
import { chunkTransfer, type SplitHelpers, type SplitReply, type SplitRequest } from './split-file.js';
import type { WorkerMessage, MainMessage } from './protocol.js';
import type { EventBatch } from '../model/event-batch.js';

const opts = workerData as ParseOptions & { knownSha256List: string[] };
const options: ParseOptions = { ...opts, knownSha256: new Set(opts.knownSha256List) };
const port = parentPort!;
/** Parts of a file posted and not yet written, and who waits for one to be written. */
const inWriter = new Map<number, { posted: number; waiting: (() => void) | null }>();
/** Parts a file may have at the writer at once: one being written, one ready behind it (so the writer never waits for this thread). */
const PARTS_AHEAD = 2;
const helperWaits = new Map<number, (ports: MessagePort[]) => void>();

function post(msg: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

/** A part's event columns move to the main thread without a copy (they are not used here again). */
function batchTransfer(events: EventBatch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(events)) if (ArrayBuffer.isView(v)) out.add(v.buffer as ArrayBuffer);
  return [...out];
}

/** Tests only: a file name part whose parsing makes this thread exit, as an out-of-memory death would. */
const DIE_ON = process.env.TRAILHOUND_TEST_WORKER_DIE_ON;
/** Tests only: from this chunk number of a split file on, a helping thread that gets one exits. */
const DIE_ON_CHUNK = process.env.TRAILHOUND_TEST_WORKER_DIE_ON_CHUNK;

async function run(job: FileJob): Promise<void> {
  if (DIE_ON && job.relPath.includes(DIE_ON)) process.exit(70);
  // The meta of a file already in the case comes with its result: one message instead of two (re-ingesting tens of
  // thousands of files). Any other file's meta is posted at once, so a thread that dies on it leaves its hash known.
  let knownMeta: FileMeta | undefined;
  try {
    const result = await parseFile(job, options, {
      meta: (meta) => {
        if (meta.known) knownMeta = meta;
        else post({ type: 'meta', seq: job.seq, meta });
      },
      part: (events, blob) => {
        let w = inWriter.get(job.seq);
        if (!w) inWriter.set(job.seq, (w = { posted: 0, waiting: null }));
        post({ type: 'part', seq: job.seq, events, blob }, batchTransfer(events));
        w.posted++;
        if (w.posted < PARTS_AHEAD) return;
        const ww = w;
        return new Promise<void>((resolve) => (ww.waiting = resolve));
      },
      helpers: () =>
        new Promise<SplitHelpers>((resolve) => {
          helperWaits.set(job.seq, (ports) => resolve({ ports, release: () => post({ type: 'splitEnd', seq: job.seq }) }));
          post({ type: 'split', seq: job.seq });
        }),
    });
    await written(job.seq);
    post({ type: 'result', seq: job.seq, result, ...(knownMeta ? { meta: knownMeta } : {}) });
  } catch (err) {
    post({ type: 'error', seq: job.seq, message: (err as Error).message });
  }
  inWriter.delete(job.seq);
}

/** Wait until every part of file `seq` posted so far is written (the result comes after them). */
async function written(seq: number): Promise<void> {
  const w = inWriter.get(seq);
  while (w && w.posted > 0) await new Promise<void>((resolve) => (w.waiting = resolve));
}

/** Read chunks of another thread's split file, as they come on `chunks`. */
function help(chunks: MessagePort): void {
  let ctx: ChunkContext | null = null;
  chunks.on('message', (m: SplitRequest) => {
    if (m.type === 'context') {
      ctx = m.ctx;
      return;
    }
    if (DIE_ON_CHUNK !== undefined && m.id >= Number(DIE_ON_CHUNK)) process.exit(70);
    const chunk = parseChunk(ctx!, m.id, m.offset, m.bytes);
    chunks.postMessage({ type: 'parsed', chunk } satisfies SplitReply, chunkTransfer(chunk));
  });
  chunks.on('close', () => chunks.removeAllListeners());
}

port.on('message', (msg: MainMessage) => {
  if (msg.type === 'job') void run(msg.job);
  else if (msg.type === 'ack') {
    const w = inWriter.get(msg.seq);
    if (!w) return;
    w.posted--;
    const resolve = w.waiting;
    w.waiting = null;
    resolve?.();
  } else if (msg.type === 'helpers') {
    const resolve = helperWaits.get(msg.seq);
    helperWaits.delete(msg.seq);
    resolve?.(msg.ports);
  } else if (msg.type === 'help') help(msg.port);
});
