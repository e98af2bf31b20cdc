#!/usr/bin/env node
// Thin shim: all logic lives in src/cli/main.ts (compiled to dist/ by `npm run build`, run on `npm ci`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`trailhound: fatal: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);
