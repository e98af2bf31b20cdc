// The shared cases built once per run (test/setup/shared-cases.ts): sharedCase() gives the path to read from (the
// run fails if a test changes it), copyCase() a private copy for a test that writes (ingest, verify, migrate).
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { SharedCaseName } from '../setup/shared-cases.js';
import { tmpDir } from './paths.js';

export type { SharedCaseName };

/** The path of a shared case; read-only use (commands that only query it). */
export function sharedCase(name: SharedCaseName): string {
  const file = inject(name);
  if (!file || !fs.existsSync(file)) throw new Error(`shared case ${name} is not built: run the tests with vitest, whose globalSetup (test/setup/global.ts) builds it`);
  return file;
}

/** A private copy of a shared case, at `to` (default: sample.db in a fresh temp directory); returns its path. */
export function copyCase(name: SharedCaseName, to: string = path.join(tmpDir('trailhound-case-'), 'sample.db')): string {
  fs.copyFileSync(sharedCase(name), to);
  return to;
}
