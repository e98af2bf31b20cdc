// In every test file, after its tests: the shared cases (test/setup/global.ts) must be as they were built. A test that
// writes into one (ingest, verify, migrate) fails its own file here, instead of changing what later files read; it
// must work on copyCase() (test/helpers/cases.ts).
import fs from 'node:fs';
import { afterAll, inject } from 'vitest';
import { stamp } from './shared-cases.js';

afterAll(() => {
  const stamps = inject('sharedCaseStamps') ?? {};
  const changed = Object.entries(stamps).filter(([file, was]) => !fs.existsSync(file) || stamp(file) !== was);
  if (changed.length > 0) throw new Error(`the shared case(s) ${changed.map(([f]) => f).join(', ')} changed during this test file or one before it in this worker: a test that writes into a case must use copyCase() (test/helpers/cases.ts)`);
});
