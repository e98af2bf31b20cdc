#!/usr/bin/env node
// Thin shim: the seeded fixture generator lives in fixtures/generator/ (compiled to dist/ by `npm run build`).
// Importing the module runs its main() when invoked as bin/trailhound-fixtures.js.
import('../dist/fixtures/generator/cli.js').catch((err) => {
  process.stderr.write(`trailhound-fixtures: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
