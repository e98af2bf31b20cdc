// Messages between the ingest coordinator (main thread, the only writer) and the parser workers.

import type { FileJob, FileMeta, FileResult } from './parse-file.js';
import type { EventBatch } from '../model/event-batch.js';

export type MainMessage = { type: 'job'; job: FileJob } | { type: 'ack'; seq: number };

export type WorkerMessage =
  | { type: 'meta'; seq: number; meta: FileMeta }
  | { type: 'part'; seq: number; events: EventBatch; blob: Buffer[] }
  | { type: 'result'; seq: number; result: FileResult }
  | { type: 'error'; seq: number; message: string };
