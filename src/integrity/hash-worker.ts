// Worker thread: hashes evidence files (decompressed first gzip member) for the verifier's pool.

import { parentPort } from 'node:worker_threads';
import { hashContent } from './content-hash.js';
import type { HashJob } from './content-hash.js';

const port = parentPort;
if (port) {
  port.on('message', (msg: { id: number; job: HashJob; streamThreshold?: number }) => {
    hashContent(msg.job, msg.streamThreshold).then(
      (result) => port.postMessage({ id: msg.id, result }),
      (err: Error) => port.postMessage({ id: msg.id, error: err.message }),
    );
  });
}
