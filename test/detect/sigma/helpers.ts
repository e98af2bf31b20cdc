// Test helpers for the Sigma compiler: YAML as the rule loader reads it (YAML 1.2 core schema, numbers kept as
// their source text so `1.10` stays `1.10`), the shipped rules and their `X.tests.yml` examples, and a one-line
// way to compile a detection block and run it over a record.

import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, visit } from 'yaml';
import { compileSigmaDetection, type SigmaCompileOptions } from '../../../src/detect/sigma/compile.js';
import { evaluate } from '../../../src/detect/predicate.js';
import { repoRoot } from '../../helpers/paths.js';

export const sigmaRulesDir = path.join(repoRoot, 'rules', 'sigma');

/**
 * Every document of a YAML text as plain JS, number scalars replaced by their source text (as the rule loader reads
 * rules); `numbersAsText: false` keeps numbers (example events are CloudTrail records, whose numbers are numbers).
 */
export function parseYaml(text: string, numbersAsText = true): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if ('errors' in doc && doc.errors.length) throw doc.errors[0];
    if (!numbersAsText) return doc.toJS();
    visit(doc, {
      Scalar(_, node) {
        if (typeof node.value === 'number' && node.source !== undefined) node.value = node.source;
      },
    });
    return doc.toJS();
  });
}

/** The single document of a YAML text. */
export function parseYamlDoc(text: string, numbersAsText = true): Record<string, unknown> {
  const docs = parseYaml(text, numbersAsText);
  if (docs.length !== 1) throw new Error(`expected one YAML document, found ${docs.length}`);
  return docs[0] as Record<string, unknown>;
}

/** Compiles a `detection:` block written as YAML text. */
export function compileYaml(detectionYaml: string, options?: SigmaCompileOptions) {
  return compileSigmaDetection(parseYamlDoc(detectionYaml), options);
}

/** Compiles a detection block (YAML) and evaluates it over a record. */
export function matches(detectionYaml: string, record: Record<string, unknown>, options?: SigmaCompileOptions): boolean {
  return evaluate(compileYaml(detectionYaml, options).predicate, record);
}

export interface ShippedRule {
  file: string;
  doc: Record<string, unknown>;
}

/** The rules shipped in rules/sigma/<folder>, by file name. */
export function shippedRules(folder: 'cloudtrail' | 'placeholder'): ShippedRule[] {
  const dir = path.join(sigmaRulesDir, folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml') && !f.endsWith('.tests.yml'))
    .sort()
    .map((file) => ({ file: path.join(dir, file), doc: parseYamlDoc(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

export interface Example {
  name: string;
  match: boolean;
  event: Record<string, unknown>;
}

/** The examples beside a rule file (`X.yml` → `X.tests.yml`). */
export function examplesOf(ruleFile: string): Example[] {
  const file = ruleFile.replace(/\.yml$/, '.tests.yml');
  const list = parseYamlDoc(fs.readFileSync(file, 'utf8'), false) as unknown;
  if (!Array.isArray(list)) throw new Error(`${file}: expected a list of examples`);
  return list as Example[];
}
