// Rule files as YAML documents, read the way Sigma needs them: YAML 1.2 core schema (an unquoted NO stays a
// string), numbers kept as their source text (`1.10` stays "1.10", not 1.1), and a way back from a path inside a
// document to its line, so every rule problem names file and line.

import YAML from 'yaml';

export interface YamlDoc {
  /** The document as plain data: strings, booleans, null, arrays, objects; numbers as their source text. */
  value: unknown;
  /** The same with numbers as numbers (example events are CloudTrail records, whose numbers are numbers). */
  plain: unknown;
  /** 1-based line where the document starts. */
  line: number;
  /** 1-based line of the node at `path` (the nearest existing ancestor when the path goes further). */
  lineOf(path: ReadonlyArray<string | number>): number;
  /** The document's source text (for the rule hash). */
  text: string;
}

export interface YamlFile {
  docs: YamlDoc[];
  /** Syntax errors, each with its line; a document with errors is left out of `docs`. */
  errors: Array<{ line: number; message: string }>;
}

/** Parses every document of a YAML file. */
export function readYamlDocs(text: string): YamlFile {
  const lc = new YAML.LineCounter();
  const parsed = YAML.parseAllDocuments(text, { lineCounter: lc, schema: 'core', uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const errors: YamlFile['errors'] = [];
  const docs: YamlDoc[] = [];
  for (const d of list) {
    // A document with a syntax error is reported and left out; the file's other documents still count.
    if (d.errors.length) {
      for (const e of d.errors) errors.push({ line: e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line, message: e.message.split('\n')[0] });
      continue;
    }
    if (d.contents === null) continue; // an empty document (a trailing ---)
    const plain = d.toJS({ maxAliasCount: 100 });
    YAML.visit(d, {
      Scalar(_key, node) {
        if (typeof node.value === 'number' || typeof node.value === 'bigint') node.value = node.source ?? String(node.value);
      },
    });
    const start = d.range[0];
    const lineAt = (offset: number) => lc.linePos(offset).line;
    docs.push({
      value: d.toJS({ maxAliasCount: 100 }),
      plain,
      line: lineAt(d.contents.range?.[0] ?? start),
      text: text.slice(start, d.range[2]),
      lineOf(path) {
        let node: unknown = d.contents;
        let line = lineAt((d.contents as { range?: number[] }).range?.[0] ?? start);
        for (const step of path) {
          if (YAML.isMap(node)) {
            const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === String(step));
            if (!pair) break;
            const keyRange = YAML.isScalar(pair.key) ? pair.key.range : undefined;
            if (keyRange) line = lineAt(keyRange[0]);
            node = pair.value;
          } else if (YAML.isSeq(node) && typeof step === 'number') {
            node = node.items[step];
            const r = (node as { range?: number[] } | undefined)?.range;
            if (!r) break;
            line = lineAt(r[0]);
          } else {
            break;
          }
        }
        return line;
      },
    });
  }
  return { docs, errors };
}
