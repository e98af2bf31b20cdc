// Vitest globalSetup, run once per `vitest run` before any test file: checks the committed fixtures are there (a
// missing one fails the run, never skips it), compiles today's sources into dist/ (the CLI child processes and the
// ingest/hash worker threads run dist/), and builds the cases several test files read, handing their paths to the
// tests through provide/inject (test/helpers/cases.ts). A test file that writes into a shared case fails
// (test/setup/shared-cases-unchanged.ts); the teardown checks the bytes once more.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { SHARED_CASES, stamp, type SharedCaseName, type SharedCaseSpec } from './shared-cases.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Committed files the tests need; the run stops here, naming the missing one, instead of skipping tests. */
const COMMITTED_FIXTURES = [
  'fixtures/sample/ground-truth.json',
  'fixtures/sample/evidence/digest-metadata.json',
  'fixtures/sample/evidence/keys/list-public-keys.json',
  'fixtures/sample/evidence/acct-trail-bucket',
  'fixtures/sample/evidence/org-trail-bucket',
  'fixtures/sample/exports',
  'fixtures/hostile/generate.ts',
  'fixtures/generator',
  'fixtures/keys',
];

function checkFixtures(): void {
  const missing = COMMITTED_FIXTURES.filter((f) => !fs.existsSync(path.join(repoRoot, f)));
  if (missing.length > 0) {
    throw new Error(`committed test fixtures are missing: ${missing.join(', ')}; restore them with 'git checkout -- fixtures' (or regenerate the sample with 'npm run fixtures:sample')`);
  }
}

/** Compile src/ (and the fixture generators) into dist/; incremental, so an unchanged tree costs a few seconds. */
function build(): number {
  const t0 = performance.now();
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the build failed (tsc -p tsconfig.build.json), so no test can run against today's sources:\n${r.stdout}${r.stderr}`);
  return performance.now() - t0;
}

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'trailhound.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/**
 * Build one shared case with the real CLI, after the case it starts from (a copy of it) when it names one; every
 * step must end with its documented exit code. `built` holds the builds started so far, so each case is built once.
 */
async function buildCase(name: SharedCaseName, dir: string, built: Map<SharedCaseName, Promise<string>>): Promise<string> {
  const spec: SharedCaseSpec = SHARED_CASES[name];
  const base = spec.from ? await buildOnce(spec.from, dir, built) : null;
  // Every case file is called sample.db (in its own directory): the TUI shows the file name, and snapshots hold it.
  fs.mkdirSync(path.join(dir, name));
  const db = path.join(dir, name, 'sample.db');
  if (base) fs.copyFileSync(base, db);
  for (const step of SHARED_CASES[name].steps(db)) {
    const r = await run(step.args);
    if (r.code !== step.exit) throw new Error(`shared case ${name}: 'trailhound ${step.args.join(' ')}' exited ${r.code}, expected ${step.exit}:\n${r.stderr}`);
  }
  return db;
}

function buildOnce(name: SharedCaseName, dir: string, built: Map<SharedCaseName, Promise<string>>): Promise<string> {
  let p = built.get(name);
  if (!p) built.set(name, (p = buildCase(name, dir, built)));
  return p;
}

const digest = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

export default async function setup(project: TestProject): Promise<() => void> {
  checkFixtures();
  const buildMs = build();
  const t0 = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trailhound-shared-'));
  const names = Object.keys(SHARED_CASES) as SharedCaseName[];
  const built = new Map<SharedCaseName, Promise<string>>();
  const files = await Promise.all(names.map((n) => buildOnce(n, dir, built)));
  const hashes = new Map(files.map((f) => [f, digest(f)]));
  names.forEach((n, i) => project.provide(n, files[i]));
  project.provide('sharedCaseStamps', Object.fromEntries(files.map((f) => [f, stamp(f)])));
  process.stderr.write(`test setup: build ${(buildMs / 1000).toFixed(1)} s, shared cases (${names.join(', ')}) ${((performance.now() - t0) / 1000).toFixed(1)} s in ${dir}\n`);
  return () => {
    const changed = [...hashes].filter(([f, h]) => !fs.existsSync(f) || digest(f) !== h).map(([f]) => path.basename(path.dirname(f)));
    fs.rmSync(dir, { recursive: true, force: true });
    if (changed.length > 0) throw new Error(`a test wrote into the shared case(s) ${changed.join(', ')}: tests that change a case must work on copyCase() (test/helpers/cases.ts)`);
  };
}
