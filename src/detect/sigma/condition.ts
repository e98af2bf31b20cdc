// The Sigma `condition` grammar (detections spec §3.5 items 24–29), compiled straight into a Predicate over the
// detection's search identifiers:
//   expr := expr "or" expr | expr "and" expr | "not" expr | "(" expr ")" | ("1"|"any"|"all") "of" pattern | identifier
// Precedence, loosest first: or, and, not, "x of", parentheses; and/or are left-associative; keywords are
// lower-case. `x of` matches the pattern (`*` = any run) against whole identifier names; `them` is every identifier;
// identifiers starting with `_` are left out unless the pattern starts with `_`. Errors carry the offset.

import type { Predicate } from '../predicate.js';

/** A condition problem at an offset of the condition text; compile.ts adds the document path. */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Token {
  text: string;
  offset: number;
}

const WORD = /[A-Za-z0-9_*-]+/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ text: c, offset: i++ });
    } else if (c === '|') {
      throw new ConditionError('"|" in a condition is a legacy aggregation: use a correlation rule', i);
    } else {
      WORD.lastIndex = i;
      const m = WORD.exec(text);
      if (!m) throw new ConditionError(`unexpected character "${c}"`, i);
      tokens.push({ text: m[0], offset: i });
      i += m[0].length;
    }
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them']);
const QUANTIFIERS = new Set(['1', 'any', 'all']);

/**
 * Compiles one condition. `identifiers` are the detection's search identifiers in document order. Returns the
 * predicate and warnings (a pattern that matches no identifier).
 */
/** The deepest nesting of parentheses and `not` a condition may have. */
export const MAX_DEPTH = 100;

export function compileCondition(
  text: string,
  identifiers: ReadonlyMap<string, Predicate>,
): { predicate: Predicate; warnings: string[] } {
  const tokens = tokenize(text);
  const warnings: string[] = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const end = () => ({ text: '', offset: text.length });

  function expected(what: string): ConditionError {
    const t = peek() ?? end();
    return new ConditionError(`expected ${what} but found ${t.text ? `"${t.text}"` : 'the end of the condition'}`, t.offset);
  }

  function parseOr(): Predicate {
    const items = [parseAnd()];
    while (peek()?.text === 'or') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  function parseAnd(): Predicate {
    const items = [parseNot()];
    while (peek()?.text === 'and') {
      pos++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  // Nesting deeper than any real condition is refused (not a stack overflow).
  let depth = 0;
  function deeper(t: Token): void {
    if (++depth > MAX_DEPTH) throw new ConditionError(`nested more than ${MAX_DEPTH} levels deep`, t.offset);
  }

  function parseNot(): Predicate {
    const t = peek();
    if (t?.text === 'not') {
      pos++;
      deeper(t);
      const item = parseNot();
      depth--;
      return { kind: 'not', item };
    }
    return parsePrimary();
  }

  function parsePrimary(): Predicate {
    const t = peek();
    const what = 'a search identifier, "not", "(" or "1 of"/"all of"';
    if (!t) throw expected(what);
    if (t.text === '(') {
      pos++;
      deeper(t);
      const inner = parseOr();
      if (peek()?.text !== ')') throw expected('")"');
      pos++;
      depth--;
      return inner;
    }
    if (QUANTIFIERS.has(t.text) && tokens[pos + 1]?.text === 'of') {
      pos += 2;
      return quantified(t.text === 'all' ? 'all' : 'any', t);
    }
    if (t.text === ')' || KEYWORDS.has(t.text)) throw expected(what);
    if (t.text.includes('*')) throw new ConditionError(`"${t.text}": a wildcard is only allowed after "1 of" or "all of"`, t.offset);
    const p = identifiers.get(t.text);
    if (!p) throw new ConditionError(`unknown search identifier "${t.text}"; defined: ${[...identifiers.keys()].join(', ')}`, t.offset);
    pos++;
    return p;
  }

  function quantified(quantifier: 'any' | 'all', start: Token): Predicate {
    const t = peek();
    if (!t || t.text === '(' || t.text === ')' || (KEYWORDS.has(t.text) && t.text !== 'them')) {
      throw expected('an identifier pattern or "them"');
    }
    if (t.text.includes('-')) throw new ConditionError(`"${t.text}": "-" is not allowed in an "of" pattern`, t.offset);
    pos++;
    const matched = matching(t.text);
    const phrase = `"${text.slice(start.offset, t.offset + t.text.length)}"`;
    if (!matched.length) {
      warnings.push(`condition ${phrase} matches no search identifier (treated as ${quantifier === 'all'})`);
      return { kind: 'const', value: quantifier === 'all' };
    }
    if (matched.length === 1) return matched[0];
    return { kind: quantifier === 'all' ? 'and' : 'or', items: matched };
  }

  function matching(pattern: string): Predicate[] {
    const underscore = pattern.startsWith('_');
    const re = pattern === 'them' ? null : new RegExp(`^${pattern.replace(/\*/g, '.*')}$`);
    const out: Predicate[] = [];
    for (const [name, p] of identifiers) {
      if (name.startsWith('_') && !underscore) continue;
      if (re === null || re.test(name)) out.push(p);
    }
    return out;
  }

  const predicate = parseOr();
  if (pos < tokens.length) throw expected('"and", "or" or the end of the condition');
  return { predicate, warnings };
}
