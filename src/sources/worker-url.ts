// Worker threads need compiled JavaScript. When this code runs from TypeScript sources (vitest), point at the
// compiled twin under dist/ (`npm test` builds first); when it runs from dist/, use the sibling file.

import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

/** URL of the compiled worker module `<name>.js` that sits beside `fromUrl` (an import.meta.url). */
export function workerUrl(fromUrl: string, name: string): URL {
  const here = fileURLToPath(fromUrl);
  const dir = path.dirname(here);
  if (here.endsWith('.js')) return pathToFileURL(path.join(dir, `${name}.js`));
  // src/<area>/x.ts -> dist/src/<area>/<name>.js
  const srcIdx = dir.lastIndexOf(`${path.sep}src${path.sep}`) >= 0 ? dir.lastIndexOf(`${path.sep}src${path.sep}`) : dir.lastIndexOf(`${path.sep}src`);
  const root = dir.slice(0, srcIdx);
  const compiled = path.join(root, 'dist', dir.slice(srcIdx + 1), `${name}.js`);
  if (!fs.existsSync(compiled)) {
    throw new Error(`compiled worker ${compiled} is missing: run 'npm run build' first`);
  }
  return pathToFileURL(compiled);
}
