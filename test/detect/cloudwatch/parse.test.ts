// Malformed CloudWatch filter patterns: every error names what is wrong and where (the offset), so a user can fix a
// metric filter copied from a PDF or a third-party list (../shared/specs/detections.md §1.2 transcription defects).

import { describe, expect, it } from 'vitest';
import { parseFilterPattern } from '../../../src/detect/cloudwatch/compile.js';
import { RuleError } from '../../../src/model/errors.js';

/** The RuleError a pattern throws: its message and offset. */
function failure(pattern: string): { message: string; offset: number | undefined } {
  try {
    parseFilterPattern(pattern);
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
    return { message: e.message, offset: e.at.offset };
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe('parse errors', () => {
  it.each([
    ['', 'the filter pattern is empty; write a JSON pattern such as { $.eventName = StopLogging } at offset 0', 0],
    ['   ', 'the filter pattern is empty; write a JSON pattern such as { $.eventName = StopLogging } at offset 3', 3],
    ['ERROR -ARGUMENTS', 'only JSON filter patterns in { … } are supported (term patterns such as ERROR -ARGUMENTS, ?a ?b or [a, b] are not) at offset 0', 0],
    ['[ip, user, status_code = 4*]', 'only JSON filter patterns in { … } are supported (term patterns such as ERROR -ARGUMENTS, ?a ?b or [a, b] are not) at offset 0', 0],
    ['{ }', 'expected a test such as $.eventName = StopLogging, or "(" but found "}" at offset 2', 2],
    ['{ $.eventName = X', 'expected "&&", "||" or "}" but the pattern ended at offset 17', 17],
    ['{ $.eventName = X } x', 'unexpected text after the closing "}" but found "x" at offset 20', 20],
    ['{ $.eventName StopLogging }', 'expected "=", "!=", "<", "<=", ">", ">=", IS or NOT EXISTS after $.eventName but found "StopLogging" at offset 14', 14],
    ['{ $.eventName }', 'expected "=", "!=", "<", "<=", ">", ">=", IS or NOT EXISTS after $.eventName but found "}" at offset 14', 14],
    ['{ $.eventName == StopLogging }', '"==" is not a CloudWatch operator; write "=" at offset 14', 14],
    ['{ $.a IS NOT NULL }', '"IS NOT" is not supported; use "!=", "NOT EXISTS" or the other of IS TRUE / IS FALSE at offset 6', 6],
    ['{ $.a IS EMPTY }', 'expected TRUE, FALSE or NULL after IS but found "EMPTY" at offset 9', 9],
    ['{ $.a EXISTS }', '"EXISTS" is not supported; write $.a = * to test that the field is present at offset 6', 6],
    ['{ $.a NOT NULL }', 'expected EXISTS after NOT but found "NULL" at offset 10', 10],
    ['{ $.a = }', 'expected a value after "=" but found "}" at offset 8', 8],
    ['{ $.a != }', 'expected a value after "!=" but found "}" at offset 9', 9],
    ['{ $.a > abc }', '">" compares numbers; abc is not a number at offset 8', 8],
    ['{ $.a < * }', '"<" compares numbers; * is not a number at offset 8', 8],
    ['{ $.a >= "5" }', '">=" compares numbers; "5" is not a number at offset 9', 9],
    ['{ $.a = "abc }', 'unterminated string: no closing \'"\' at offset 8', 8],
    ['{ $.a = "abc\\', 'unterminated string: no closing \'"\' at offset 8', 8],
    ['{ eventName = X }', 'expected a test such as $.eventName = StopLogging, or "(" but found "eventName" at offset 2', 2],
    ['{ $ = X }', 'expected "." or "[" after "$" but found a space at offset 3', 3],
    ['{ $\t= X }', 'expected "." or "[" after "$" but found whitespace at offset 3', 3],
    ['{ $.eventNa me = X }', 'expected "=", "!=", "<", "<=", ">", ">=", IS or NOT EXISTS after $.eventNa but found "me" at offset 12', 12],
    ['{ $. = X }', 'expected a field name after "." (letters, digits, "_" or "-") but found a space at offset 4', 4],
    ['{ $.é = X }', 'expected a field name after "." (letters, digits, "_" or "-") but found "é" at offset 4', 4],
    ['{ $.a[*] = X }', 'array wildcards [*] are not supported; index one element, e.g. [0] at offset 6', 6],
    ['{ $.a[x] = X }', 'expected an array index (digits) after "[" but found "x]" at offset 6', 6],
    ['{ $.a[0 = X }', 'expected "]" to close the "[" at offset 5 but found a space at offset 7', 7],
    ['{ ($.a = X }', 'expected ")" to close the "(" at offset 2 but found "}" at offset 11', 11],
    ['{ ($.a = X)) }', 'expected "&&", "||" or "}" but found ")" at offset 11', 11],
    ['{ $.a = X & $.b = Y }', 'expected "&&" but found "&" at offset 10', 10],
    ['{ $.a = X | $.b = Y }', 'expected "||" but found "|" at offset 10', 10],
    ['{ $.a = X && }', 'expected a test such as $.eventName = StopLogging, or "(" but found "}" at offset 13', 13],
    ['{ || $.a = X }', 'expected a test such as $.eventName = StopLogging, or "(" but found "||" at offset 2', 2],
    ['{ !($.a = X) }', 'there is no "!" operator; negate a test with "!=" or "NOT EXISTS" at offset 2', 2],
    ['{ $.a = %abc', 'unterminated regular expression: no closing "%" at offset 8', 8],
    ['{ $.a = %% }', 'empty regular expression "%%" at offset 8', 8],
    ['{ $.a = %a(b)% }', 'regular expressions cannot group with "(" ")" in CloudWatch filter patterns at offset 10', 10],
    [
      '{ $.a = %a b% }',
      '" " is not allowed in a CloudWatch regular expression (allowed: letters, digits, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + .) at offset 10',
      10,
    ],
    [
      '{ $.a = %é% }',
      '"é" is not allowed in a CloudWatch regular expression (allowed: letters, digits, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + .) at offset 9',
      9,
    ],
    ['{ $.a = %[a% }', 'invalid regular expression %[a%: /[a/: Unterminated character class at offset 8', 8],
    ['{ $.a = %a% || $.b = %b% || $.c = %c% }', 'a filter pattern may hold at most 2 regular expressions at offset 34', 34],
  ])('%j', (pattern, message, offset) => {
    expect(failure(pattern)).toEqual({ message, offset });
  });

  it('the offset in the message and in the error agree', () => {
    const f = failure('{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication" }');
    expect(f.offset).toBe(76);
    expect(f.message.endsWith(`at offset ${f.offset}`)).toBe(true);
  });

  it('the PDF line-wrap defects of third-party CIS copies are rejected, not guessed at (§1.2)', () => {
    expect(failure('{($.eventName=DeleteGroupPolicy)||($.eventNa me=DeleteRolePolicy)}').offset).toBe(45);
    // prowler strips the quotes: "Failed authentication" becomes two bare words.
    expect(failure('{ ($.eventName = ConsoleLogin) && ($.errorMessage = Failed authentication) }').offset).toBe(59);
    // steampipe's v6.0.0 5.15 copy lost an opening quote.
    expect(failure('{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake") || ($.eventName = "AttachPolicy")) }').offset).toBe(
      82,
    );
  });

  it('parentheses nested 100 deep parse; deeper is refused, not a stack overflow', () => {
    const nested = (n: number) => `{ ${'('.repeat(n)}$.a = 1${')'.repeat(n)} }`;
    expect(() => parseFilterPattern(nested(100))).not.toThrow();
    expect(failure(nested(100_000))).toEqual({ message: 'parentheses are nested more than 100 deep at offset 102', offset: 102 });
  });

  it('two regular expressions are allowed', () => {
    expect(() => parseFilterPattern('{ $.a = %a% || $.b != %b% }')).not.toThrow();
  });
});
