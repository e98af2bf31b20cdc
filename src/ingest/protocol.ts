// Messages between the ingest coordinator (main thread, the only writer) and the parser workers. The messages
// between the thread reading a big split file and the threads helping it are split-file.ts's own.

import type { MessagePort } from 'node:worker_threads';
import type { FileJob, FileMeta, FileResult } from './parse-file.js';
import type { EventBatch } from '../model/event-batch.js';

export type MainMessage =
  | { type: 'job'; job: FileJob }
  | { type: 'ack'; seq: number }
  /** To a file's reading thread: ports to the other parser threads (none: read it alone). */
  | { type: 'helpers'; seq: number; ports: MessagePort[] }
  /** To another parser thread: read chunks of file `seq` arriving on `port`. */
  | { type: 'help'; seq: number; port: MessagePort };

export type WorkerMessage =
  | { type: 'meta'; seq: number; meta: FileMeta }
  | { type: 'part'; seq: number; events: EventBatch; blob: Buffer[] }
  | { type: 'result'; seq: number; result: FileResult; /** A file already in the case: its meta comes with the result, one message. */ meta?: FileMeta }
  | { type: 'error'; seq: number; message: string }
  /** File `seq` is big enough to be split: ports to the other threads, please. */
  | { type: 'split'; seq: number }
  /** The split of file `seq` is over: the other threads no longer hold any of it. */
  | { type: 'splitEnd'; seq: number };
