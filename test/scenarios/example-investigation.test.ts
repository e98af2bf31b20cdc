// A new investigation needs its descriptor file and this test, nothing else: registered, it is listed by
// `investigate list`, runs as `investigate event-source` (the generated yargs command, in-process) and is in the TUI's
// menu with its form, running through the same path as the built-in ones.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runIngest } from '../../src/ingest/run.js';
import { openCase, type Db } from '../../src/index/open.js';
import { buildParser } from '../../src/cli/main.js';
import type { CommandContext } from '../../src/cli/context.js';
import { UsageError } from '../../src/model/errors.js';
import { command as investigateCommand } from '../../src/cli/commands/investigate.js';
import { loadBuiltinInvestigations } from '../../src/scenarios/builtin.js';
import { registerScenario } from '../../src/scenarios/registry.js';
import { formParameters, menuEntries, resultLines, runInvestigation } from '../../src/tui/investigations.js';
import { sampleDir, tmpDir } from '../helpers/paths.js';
import { eventSourceInvestigation, type EventSourceReport } from './example-investigation.js';

let dir = '';
let file = '';
let db: Db;

beforeAll(async () => {
  dir = tmpDir('trailhound-example-');
  file = path.join(dir, 'c.db');
  await runIngest({ dbPath: file, paths: [path.join(sampleDir, 'evidence')], workers: 0 });
  db = openCase(file, { readonly: true });
  loadBuiltinInvestigations();
  registerScenario(eventSourceInvestigation);
});
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Run `trailhound <args>` with only the investigate command, in-process; returns what it printed. */
async function cli(args: string[]): Promise<{ stdout: string; stderr: string; help: string }> {
  const ctx: CommandContext = { exitCode: 0 };
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    let help = '';
    await buildParser(args, ctx, [investigateCommand(ctx)])
      .exitProcess(false)
      .parseAsync(args, {}, (_e: unknown, _argv: unknown, output: string) => {
        help = output;
      });
    return { stdout, stderr, help };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('an investigation added in its own file', () => {
  it('is listed by investigate list, with its listed parameters', async () => {
    const json = JSON.parse((await cli(['investigate', 'list', '--format', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(json.find((s) => s.id === 'investigate.event-source')).toEqual({
      kind: 'code',
      id: 'investigate.event-source',
      command: 'investigate event-source <source>',
      title: 'Calls to an event source',
      description: 'Every call to an event source, counted by event name.',
      parameters: [
        { name: 'eventSource', type: 'string', description: 'The event source', required: true, default: null, pattern: null },
        { name: 'minCount', type: 'integer', description: 'Only event names called at least this often', required: false, default: 1, pattern: null },
      ],
    });
    const table = (await cli(['investigate', 'list', '--width', '200'])).stdout;
    expect(table).toMatch(/investigate\.event-source +investigation +Calls to an event source +investigate event-source <source> +eventSource:string minCount\?:integer/);
  });

  it('runs as a generated subcommand: positional, option, validation, help', async () => {
    const r = await cli(['investigate', 'event-source', 'ec2.amazonaws.com', '--db', file, '--format', 'json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as EventSourceReport;
    expect(report.eventSource).toBe('ec2.amazonaws.com');
    expect(report.names.map((n) => n.eventName)).toEqual(expect.arrayContaining(['StopInstances', 'TerminateInstances']));
    const all = report.names.reduce((a, n) => a + n.count, 0);
    expect(all).toBe(db.prepare("SELECT count(*) FROM events_v WHERE event_source = 'ec2.amazonaws.com'").pluck().get());

    const frequent = JSON.parse((await cli(['investigate', 'event-source', 'ec2.amazonaws.com', '--db', file, '--format', 'json', '--min-count', '3'])).stdout) as EventSourceReport;
    expect(frequent.names.length).toBeLessThan(report.names.length);
    expect(frequent.names.every((n) => n.count >= 3)).toBe(true);

    const table = (await cli(['investigate', 'event-source', 'ec2.amazonaws.com', '--db', file])).stdout;
    expect(table).toMatch(/^Calls to ec2\.amazonaws\.com\n=+\nEvent names {2}\d+\n\n── Event names\n/);

    await expect(cli(['investigate', 'event-source', 'ec2.amazonaws.com', '--db', file, '--min-count', '0'])).rejects.toThrow(new UsageError('--min-count: "0" is not a whole number ≥ 1'));

    const help = (await cli(['investigate', 'event-source', '--help'])).help;
    expect(help).toContain('trailhound investigate event-source <eventSource>');
    expect(help).toMatch(/eventSource +Event source, e\.g\. ec2\.amazonaws\.com/);
    expect(help).toMatch(/--min-count +Only event names called at least N times +\[number\] \[default: 1\]/);
    const top = (await cli(['investigate', '--help'])).help;
    expect(top).toContain('access-key, instance, security-group, iam, console-logins, event-source (list: all scenarios)');
    expect(top).toContain('trailhound investigate event-source ec2.amazonaws.com --db case.db');
  });

  it('is in the TUI menu after the built-in investigations, with its form, and runs from it', () => {
    const menu = menuEntries();
    expect(menu.filter((e) => e.kind === 'code').map((e) => e.id)).toEqual([
      'investigate.access-key',
      'investigate.instance',
      'investigate.security-group',
      'investigate.iam',
      'investigate.console-logins',
      'investigate.event-source',
    ]);
    const entry = menu.find((e) => e.id === 'investigate.event-source');
    if (entry?.kind !== 'code') throw new Error('the example is not a code investigation in the menu');
    expect(formParameters(entry).map((p) => p.form?.label)).toEqual(['Event source']);
    const run = runInvestigation(db, entry, { eventSource: ' ec2.amazonaws.com ' }, 'UTC');
    expect(run).toMatchObject({ kind: 'event-source', label: 'event-source ec2.amazonaws.com', baseName: 'trailhound-event-source-ec2.amazonaws.com', tree: null });
    const cli = eventSourceInvestigation.run(db, { eventSource: 'ec2.amazonaws.com', minCount: 1 }, { tz: 'UTC', filter: {} });
    expect(run.result).toEqual(cli);
    const text = resultLines(run, 80).map((l) => l.text);
    expect(text.slice(0, 2)).toEqual(['Calls to ec2.amazonaws.com', `Event names  ${cli.names.length}`]);
    expect(text).toContain(`── Event names (${cli.names.length})`);
  });
});
