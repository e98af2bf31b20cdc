import { describe, expect, it } from 'vitest';
import {
  AwsFormatError,
  CaseError,
  damagedCaseMessage,
  EvidencePathError,
  EXIT,
  ExportError,
  GzipError,
  InvestigationInputError,
  LookupArgumentError,
  NoEvidenceError,
  QueryError,
  ScenarioDefinitionError,
  TimeFormatError,
  TrailhoundError,
  UsageError,
} from '../../src/model/errors.js';

describe('the error hierarchy carries the exit code on each class', () => {
  it.each([
    ['UsageError', new UsageError('x'), EXIT.usage],
    ['TimeFormatError', new TimeFormatError('x'), EXIT.usage],
    ['InvestigationInputError', new InvestigationInputError('x'), EXIT.usage],
    ['ScenarioDefinitionError', new ScenarioDefinitionError('x'), EXIT.usage],
    ['LookupArgumentError', new LookupArgumentError('x'), EXIT.usage],
    ['QueryError', new QueryError('x'), EXIT.usage],
    ['AwsFormatError', new AwsFormatError('x'), EXIT.usage],
    ['EvidencePathError', new EvidencePathError('x', ['/nope']), EXIT.usage],
    ['NoEvidenceError', new NoEvidenceError('x'), EXIT.incomplete],
    ['CaseError', new CaseError('x'), EXIT.fatal],
    ['GzipError', new GzipError('corrupt', 'x'), EXIT.fatal],
    ['ExportError', new ExportError('x'), EXIT.fatal],
  ] as const)('%s: exit %s, its own name, a TrailhoundError', (name, err, code) => {
    expect(err.exitCode).toBe(code);
    expect(err.name).toBe(name);
    expect(err).toBeInstanceOf(TrailhoundError);
    expect(err).toBeInstanceOf(Error);
    expect(err instanceof UsageError).toBe(code === EXIT.usage);
  });

  it('the aws-cli option errors name their option', () => {
    expect(new QueryError('invalid JMESPath expression').message).toBe('--query: invalid JMESPath expression');
    expect(new AwsFormatError('no table').message).toBe('--output: aws-cli cannot format this result either: no table');
  });

  it('a damaged case message names the file, the cause and the fix', () => {
    expect(damagedCaseMessage('c.db', 'cut short')).toBe('case file c.db is damaged (cut short); re-create it with trailhound ingest <evidence> --db NEW.db, or restore a copy');
  });
});
