// The committed sample (fixtures/sample): its paths and its ground truth. Nothing here is optional: a missing file
// throws (and test/setup/global.ts stops the run before any test when one is missing).
import fs from 'node:fs';
import path from 'node:path';
import { sampleDir } from './paths.js';

export { sampleDir };
export const sampleEvidence = path.join(sampleDir, 'evidence');
export const sampleExports = path.join(sampleDir, 'exports');
export const sampleKeys = path.join(sampleEvidence, 'keys', 'list-public-keys.json');
export const sampleMetadata = path.join(sampleEvidence, 'digest-metadata.json');

/** fixtures/sample/ground-truth.json: what the generator planted (incidents, accounts, counts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const truth: any = JSON.parse(fs.readFileSync(path.join(sampleDir, 'ground-truth.json'), 'utf8'));
