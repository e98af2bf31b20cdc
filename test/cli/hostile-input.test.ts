// JSON (and JMESPath) given on the command line is user input: however deep or broken, it is a usage error (exit 2)
// with a short, clear message, never `fatal` (exit 1) and never an echo of the whole 50 KB argument.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { event, writeLog } from '../helpers/evidence.js';
import { tmpDir } from '../helpers/paths.js';
import { findRawControl } from '../helpers/raw-control.js';

let db = '';

beforeAll(() => {
  const dir = tmpDir('trailhound-input-');
  writeLog(path.join(dir, 'ev'), [event({ eventID: 'evt-1' })]);
  db = path.join(dir, 'case.db');
  const r = runCli(['ingest', path.join(dir, 'ev'), '--db', db, '--quiet']);
  expect(r.code).toBe(0);
});

const lookup = (...args: string[]) => runCli(['lookup-events', '--db', db, ...args]);

function usage(r: ReturnType<typeof runCli>, message: RegExp): void {
  expect(r.code, r.stderr.slice(0, 300)).toBe(2);
  expect(r.stderr).not.toMatch(/fatal/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/\nRun 'trailhound lookup-events --help' for usage\.\n$/);
  expect(r.stderr.length).toBeLessThan(600);
  expect(findRawControl(r.stderr)).toBeNull();
  expect(r.stdout).toBe('');
}

describe('lookup-events --lookup-attributes with hostile JSON', () => {
  it("50,000 unclosed '[': invalid JSON, quoted short", () => {
    usage(lookup('--lookup-attributes', '['.repeat(50_000)), /^trailhound: --lookup-attributes: invalid JSON "\[{80}… \(50000 characters\)": /);
  });

  it('JSON nested 5,000 deep (valid): the item is described, not re-serialised (was: fatal: Maximum call stack size exceeded)', () => {
    usage(
      lookup('--lookup-attributes', `${'['.repeat(5_000)}${']'.repeat(5_000)}`),
      /^trailhound: --lookup-attributes: each JSON item needs string members AttributeKey and AttributeValue, got a list of 1 item; write \{"AttributeKey":"<key>","AttributeValue":"<value>"\} or a list of them\n/,
    );
  });

  it('objects nested 20,000 deep', () => {
    usage(lookup('--lookup-attributes', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`), /got an object with "a"; write/);
  });

  it('control characters in a bad value are shown escaped', () => {
    usage(lookup('--lookup-attributes', 'AttributeKey=User\u001b[2J\u009bName,AttributeValue=x'), /unknown AttributeKey "User\\e\[2J\\x9bName"; allowed keys:/);
    usage(lookup('--lookup-attributes', '{"AttributeKey": 1, "AttributeValue": "\u202e"}'), /got an object with "AttributeKey", "AttributeValue"/);
  });

  it('a --starting-token that is deep base64 JSON', () => {
    usage(lookup('--starting-token', Buffer.from('['.repeat(50_000)).toString('base64')), /^trailhound: --starting-token: "W1tb.{76}… \(\d+ characters\)" is not a NextToken/);
  });
});

describe('lookup-events --query too deep', () => {
  it('a JSON literal nested 20,000 deep builds a result too deep to print: usage error (was: fatal)', () => {
    usage(lookup('--query', `\`${'['.repeat(20_000)}${']'.repeat(20_000)}\``), /^trailhound: --query: the value is nested too deeply to process/);
  });

  it('an expression nested 50,000 deep', () => {
    const r = lookup('--query', '['.repeat(50_000));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^trailhound: --query: /);
    expect(r.stderr).not.toMatch(/fatal/);
  });
});
