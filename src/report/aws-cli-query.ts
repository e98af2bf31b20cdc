// aws-cli's --query: JMESPath (@jmespath-community/jmespath) with jmespath.py's legacy literal rule, and errors
// that say where an expression is wrong. Pure: used by the aws-cli output formats (src/report/aws-cli-format.ts).

import { compile, search, tokenize, type JSONValue } from '@jmespath-community/jmespath';
import { escapeControl } from '../model/escape.js';
import { displayWidth } from './width.js';
import { QueryError } from '../model/errors.js';


/**
 * aws-cli uses jmespath.py, which still reads a backtick literal that is not valid JSON (`EC2`) as a string, as
 * older JMESPath did. The seed relies on it. Rewrite such literals to JSON strings; returns the new expression and,
 * for each of its characters, the index in the original.
 */
function legacyLiterals(expr: string): { text: string; map: number[] } {
  let text = '';
  const map: number[] = [];
  const emit = (s: string, at: number): void => {
    for (let k = 0; k < s.length; k++) {
      text += s[k];
      map.push(at);
    }
  };
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== ch) j += expr[j] === '\\' ? 2 : 1;
      for (let k = i; k <= Math.min(j, expr.length - 1); k++) emit(expr[k], k);
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== '`') j += expr[j] === '\\' ? 2 : 1;
      if (j >= expr.length) {
        for (let k = i; k < expr.length; k++) emit(expr[k], k);
        break;
      }
      const lexeme = expr.slice(i + 1, j).replace(/\\`/g, '`');
      let replacement: string | null = null;
      try {
        JSON.parse(lexeme);
      } catch {
        try {
          const v = JSON.parse(`"${lexeme.trimStart()}"`) as string;
          replacement = `\`${JSON.stringify(v).replace(/`/g, '\\`')}\``;
        } catch {
          replacement = null;
        }
      }
      if (replacement === null) for (let k = i; k <= j; k++) emit(expr[k], k);
      else emit(replacement, i);
      i = j + 1;
      continue;
    }
    emit(ch, i);
    i++;
  }
  return { text, map };
}

/** Compile a --query expression; throws QueryError saying where it is wrong. */
export function compileQuery(expr: string): (data: JSONValue) => JSONValue {
  const { text, map } = legacyLiterals(expr);
  try {
    compile(text);
  } catch (err) {
    const pos = errorPosition(text);
    const at = pos >= text.length ? expr.length : (map[pos] ?? expr.length);
    const caret = `${' '.repeat(displayWidth(escapeControl(expr.slice(0, at))))}^`;
    throw new QueryError(
      `invalid JMESPath expression at character ${at + 1}: ${(err as Error).message}\n  ${escapeControl(expr)}\n  ${caret}`,
    );
  }
  return (data: JSONValue) => {
    try {
      return search(data, text);
    } catch (err) {
      throw new QueryError(`JMESPath expression failed: ${(err as Error).message}`);
    }
  };
}

/** Where an expression stops being a valid beginning of one (0-based). */
function errorPosition(text: string): number {
  let tokens: { start: number }[];
  try {
    tokens = tokenize(text) as unknown as { start: number }[];
  } catch {
    // Lexer error: the first character after the longest prefix that still tokenizes.
    for (let l = text.length - 1; l >= 0; l--) {
      try {
        tokenize(text.slice(0, l));
        let p = l;
        while (p < text.length && text[p] === ' ') p++;
        return p;
      } catch {
        /* keep shortening */
      }
    }
    return 0;
  }
  const starts = tokens.map((t) => t.start).filter((s) => typeof s === 'number' && s < text.length);
  // Parse ever longer prefixes: the first whose error is not "ran out of input" ends at the culprit token.
  for (let k = 1; k <= starts.length; k++) {
    const end = k < starts.length ? starts[k] : text.length;
    try {
      compile(text.slice(0, end));
    } catch (err) {
      const msg = (err as Error).message;
      if (!/EOF|end of (input|expression)/i.test(msg)) return starts[k - 1];
    }
  }
  return text.length;
}
