// Reads a CloudWatch Logs filter pattern in the JSON dialect (`{ $.eventName = StopLogging }`) into a syntax tree;
// grammar in ../shared/specs/detections.md §2.1. compile.ts gives the tree its meaning. A scanner reads one token
// at a time, asked for what the grammar expects next: a bare value may hold characters (`=`, `!`, `.`) that are
// operators or separators elsewhere. Every error is a RuleError carrying the 0-based offset of the offending text.

import { RuleError } from '../../model/errors.js';

/** A path from the event root: object keys and array indexes (`$.objectList[1].id` → ['objectList', 1, 'id']). */
export interface Selector {
  path: Array<string | number>;
  /** As written, e.g. `$.userIdentity.type`. */
  text: string;
  offset: number;
}

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A string literal, bare or quoted: an optional leading `*`, the core text, an optional trailing `*`. An interior
 * `*` is literal, and so is a star escaped with a backslash inside quotes. A lone `*` is a leading star with an empty
 * core: any text.
 */
export interface StringValue {
  kind: 'string';
  leadingStar: boolean;
  core: string;
  trailingStar: boolean;
  /** The source text (with its quotes, if any). */
  raw: string;
}

/** A bare token that reads as a number: optional sign, digits, optional fraction, optional exponent. */
export interface NumberValue {
  kind: 'number';
  value: number;
  raw: string;
}

/** `%…%`: a regular expression searched for (unanchored) in the value's text. */
export interface RegexValue {
  kind: 'regex';
  regex: RegExp;
  raw: string;
}

export type FilterValue = StringValue | NumberValue | RegexValue;

export type FilterTest =
  | { kind: 'compare'; selector: Selector; op: CompareOp; value: FilterValue }
  | { kind: 'is'; selector: Selector; what: 'TRUE' | 'FALSE' | 'NULL' }
  | { kind: 'not-exists'; selector: Selector };

export type FilterNode = { kind: 'and'; items: FilterNode[] } | { kind: 'or'; items: FilterNode[] } | FilterTest;

/** At most this many `%regex%` values in one pattern (a CloudWatch Logs quota). */
export const MAX_REGEXES = 2;
/** Parentheses nested deeper than this are refused (a hostile rule must not exhaust the stack). */
export const MAX_DEPTH = 100;

const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const NAME_CHAR = /[A-Za-z0-9_-]/;
/** Characters a bare value stops at. */
const BARE_STOP = /[\s(){}"&|]/;
/** What a CloudWatch regular expression may contain (the CloudWatch Logs documentation's list). */
const REGEX_CHAR = /[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]/;
const REGEX_CHARS_HELP = 'letters, digits, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + .';

/** Parses a JSON-dialect filter pattern; throws RuleError (with the offset) when it is malformed. */
export function parseFilterSyntax(text: string): FilterNode {
  return new Parser(text).pattern();
}

class Parser {
  private pos = 0;
  private regexes = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  pattern(): FilterNode {
    this.skipWs();
    if (this.pos >= this.text.length) this.fail('the filter pattern is empty; write a JSON pattern such as { $.eventName = StopLogging }');
    if (this.peek() !== '{') {
      this.fail('only JSON filter patterns in { … } are supported (term patterns such as ERROR -ARGUMENTS, ?a ?b or [a, b] are not)');
    }
    this.pos++;
    const node = this.orExpr();
    this.skipWs();
    if (this.peek() !== '}') this.fail(`expected "&&", "||" or "}" ${this.found()}`);
    this.pos++;
    this.skipWs();
    if (this.pos < this.text.length) this.fail(`unexpected text after the closing "}" ${this.found()}`);
    return node;
  }

  private orExpr(): FilterNode {
    const items = [this.andExpr()];
    while (this.takeOperator('||')) items.push(this.andExpr());
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private andExpr(): FilterNode {
    const items = [this.primary()];
    while (this.takeOperator('&&')) items.push(this.primary());
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  /** Consumes `&&` or `||` when it comes next; a lone `&` or `|` is an error. */
  private takeOperator(op: '&&' | '||'): boolean {
    this.skipWs();
    if (this.text.startsWith(op, this.pos)) {
      this.pos += 2;
      return true;
    }
    const c = this.peek();
    if ((c === '&' || c === '|') && this.text[this.pos + 1] !== c) this.fail(`expected "${c}${c}" ${this.found()}`);
    return false;
  }

  private primary(): FilterNode {
    this.skipWs();
    const c = this.peek();
    if (c === '(') {
      const open = this.pos;
      if (++this.depth > MAX_DEPTH) this.fail(`parentheses are nested more than ${MAX_DEPTH} deep`);
      this.pos++;
      const node = this.orExpr();
      this.skipWs();
      if (this.peek() !== ')') this.fail(`expected ")" to close the "(" at offset ${open} ${this.found()}`);
      this.pos++;
      this.depth--;
      return node;
    }
    if (c === '$') return this.test();
    if (c === '!') this.fail('there is no "!" operator; negate a test with "!=" or "NOT EXISTS"');
    return this.fail(`expected a test such as $.eventName = StopLogging, or "(" ${this.found()}`);
  }

  private test(): FilterTest {
    const selector = this.selector();
    this.skipWs();
    const at = this.pos;
    if (this.text.startsWith('==', at)) this.fail('"==" is not a CloudWatch operator; write "="');
    const op = (['!=', '<=', '>=', '=', '<', '>'] as const).find((o) => this.text.startsWith(o, at));
    if (op) {
      this.pos += op.length;
      return { kind: 'compare', selector, op, value: this.value(op) };
    }
    const word = this.word().toUpperCase();
    if (word === 'IS') {
      this.skipWs();
      const whatAt = this.pos;
      const what = this.word().toUpperCase();
      if (what === 'TRUE' || what === 'FALSE' || what === 'NULL') return { kind: 'is', selector, what };
      if (what === 'NOT') return this.fail('"IS NOT" is not supported; use "!=", "NOT EXISTS" or the other of IS TRUE / IS FALSE', at);
      return this.fail(`expected TRUE, FALSE or NULL after IS ${this.found(whatAt)}`, whatAt);
    }
    if (word === 'NOT') {
      this.skipWs();
      const existsAt = this.pos;
      if (this.word().toUpperCase() === 'EXISTS') return { kind: 'not-exists', selector };
      return this.fail(`expected EXISTS after NOT ${this.found(existsAt)}`, existsAt);
    }
    if (word === 'EXISTS') return this.fail(`"EXISTS" is not supported; write ${selector.text} = * to test that the field is present`, at);
    return this.fail(`expected "=", "!=", "<", "<=", ">", ">=", IS or NOT EXISTS after ${selector.text} ${this.found(at)}`, at);
  }

  private selector(): Selector {
    const offset = this.pos;
    this.pos++; // the '$'
    const path: Array<string | number> = [];
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        this.pos++;
        const start = this.pos;
        while (this.pos < this.text.length && NAME_CHAR.test(this.text[this.pos])) this.pos++;
        if (this.pos === start) this.fail(`expected a field name after "." (letters, digits, "_" or "-") ${this.found()}`);
        path.push(this.text.slice(start, this.pos));
      } else if (c === '[') {
        const open = this.pos;
        this.pos++;
        const start = this.pos;
        while (this.pos < this.text.length && /\d/.test(this.text[this.pos])) this.pos++;
        if (this.pos === start) {
          if (this.peek() === '*') this.fail('array wildcards [*] are not supported; index one element, e.g. [0]');
          this.fail(`expected an array index (digits) after "[" ${this.found()}`);
        }
        if (this.peek() !== ']') this.fail(`expected "]" to close the "[" at offset ${open} ${this.found()}`);
        path.push(Number(this.text.slice(start, this.pos)));
        this.pos++;
      } else {
        break;
      }
    }
    if (path.length === 0) this.fail(`expected "." or "[" after "$" ${this.found()}`);
    return { path, text: this.text.slice(offset, this.pos), offset };
  }

  private value(op: CompareOp): FilterValue {
    this.skipWs();
    const at = this.pos;
    const c = this.peek();
    let value: FilterValue;
    if (c === '"') value = this.quoted();
    else if (c === '%') value = this.regex();
    else {
      while (this.pos < this.text.length && !BARE_STOP.test(this.text[this.pos])) this.pos++;
      if (this.pos === at) this.fail(`expected a value after "${op}" ${this.found()}`);
      const raw = this.text.slice(at, this.pos);
      value = NUMBER.test(raw) ? { kind: 'number', value: Number(raw), raw } : stringValue(raw, raw, new Set());
    }
    if (op !== '=' && op !== '!=' && value.kind !== 'number') {
      this.fail(`"${op}" compares numbers; ${value.raw} is not a number`, at);
    }
    return value;
  }

  /** `"…"`: a backslash escapes the next character; an escaped `*` stays literal. */
  private quoted(): StringValue {
    const open = this.pos;
    this.pos++;
    let out = '';
    const literalStars = new Set<number>();
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string: no closing \'"\'', open);
      const c = this.text[this.pos];
      if (c === '"') break;
      if (c === '\\') {
        if (this.pos + 1 >= this.text.length) this.fail('unterminated string: no closing \'"\'', open);
        const next = this.text[this.pos + 1];
        if (next === '*') literalStars.add(out.length);
        out += next;
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    this.pos++;
    return stringValue(out, this.text.slice(open, this.pos), literalStars);
  }

  private regex(): RegexValue {
    const open = this.pos;
    this.pos++;
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== '%') {
      const c = this.text[this.pos];
      if (c === '(' || c === ')') this.fail('regular expressions cannot group with "(" ")" in CloudWatch filter patterns');
      if (!REGEX_CHAR.test(c)) {
        this.fail(`${JSON.stringify(c)} is not allowed in a CloudWatch regular expression (allowed: ${REGEX_CHARS_HELP})`);
      }
      this.pos++;
    }
    if (this.pos >= this.text.length) this.fail('unterminated regular expression: no closing "%"', open);
    const source = this.text.slice(start, this.pos);
    if (source === '') this.fail('empty regular expression "%%"', open);
    this.pos++;
    if (++this.regexes > MAX_REGEXES) this.fail(`a filter pattern may hold at most ${MAX_REGEXES} regular expressions`, open);
    let regex: RegExp;
    try {
      regex = new RegExp(source);
    } catch (e) {
      this.fail(`invalid regular expression %${source}%: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, open);
    }
    return { kind: 'regex', regex, raw: this.text.slice(open, this.pos) };
  }

  /** A run of letters (keywords); empty when none. */
  private word(): string {
    const start = this.pos;
    while (this.pos < this.text.length && /[A-Za-z]/.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipWs(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  /** `at offset N` with what stands there, for messages. */
  private found(at = this.pos): string {
    if (at >= this.text.length) return 'but the pattern ended';
    if (/\s/.test(this.text[at])) return this.text[at] === ' ' ? 'but found a space' : 'but found whitespace';
    const token = /^(\S{1,20})/.exec(this.text.slice(at))?.[1] ?? this.text[at];
    return `but found ${JSON.stringify(token)}`;
  }

  private fail(message: string, at = this.pos): never {
    throw new RuleError(`${message} at offset ${at}`, { offset: at });
  }
}

/** Splits a literal into leading star, core and trailing star; `literal` holds the indexes of escaped stars. */
function stringValue(text: string, raw: string, literal: Set<number>): StringValue {
  let start = 0;
  let end = text.length;
  const leadingStar = end > 0 && text[0] === '*' && !literal.has(0);
  if (leadingStar) start = 1;
  const trailingStar = end > start && text[end - 1] === '*' && !literal.has(end - 1);
  if (trailingStar) end--;
  return { kind: 'string', leadingStar, core: text.slice(start, end), trailingStar, raw };
}
