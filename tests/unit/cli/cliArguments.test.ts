/**
 * The command line's arguments, in process: help and the version on every
 * command do nothing else (no data folder is even created), unknown flags and
 * commands and bad values are refused with exit code 2 naming the flag and
 * the command's usage, and the import flags map onto the import options.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram, runCli } from '../../../main/cli';
import { groupPattern, importOptionsFromFlags, inCliTerms } from '../../../main/cli/importCommand';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const commandNames = buildProgram({ io: capture().io, open: () => ({}) as never, exitCode: 0 }).commands.map((c) => c.name());

let scratch: string;
let home: string;
const savedHome = process.env.UMEDPT_HOME;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'umedpt-cli-args-'));
  // never created unless a command opens the services
  home = path.join(scratch, 'home');
  process.env.UMEDPT_HOME = home;
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.UMEDPT_HOME;
  else process.env.UMEDPT_HOME = savedHome;
  rmSync(scratch, { recursive: true, force: true });
});

describe('umedpt help and version', () => {
  it('has every command docs/cli.md lists', () => {
    expect(commandNames).toEqual(['info', 'serve', 'import', 'datasets', 'dataset', 'pretrain', 'runs', 'resume', 'export', 'demo', 'evaluate', 'bundle', 'launch']);
  });

  it.each(commandNames)('%s --help, -h and `help %s` print its usage, exit 0 and open nothing', async (name) => {
    // arguments a real call would act on: help must win over them
    const args: Record<string, string[]> = { import: [scratch], dataset: ['1'], pretrain: ['x.json'], resume: ['r'], export: ['r', scratch], evaluate: ['x.json'], bundle: ['x.json', scratch], launch: [scratch] };
    for (const argv of [[name, ...(args[name] ?? []), '--help'], [name, '-h'], ['help', name]]) {
      const c = capture();
      expect(await runCli(argv, c.io), argv.join(' ')).toBe(0);
      expect(c.out.join('\n')).toMatch(new RegExp(`^Usage: umedpt ${name}\\b`));
      expect(c.out.join('\n')).toContain('-h, --help');
      expect(c.err).toEqual([]);
    }
    expect(existsSync(home), 'the data folder was created: the command opened the services').toBe(false);
  });

  it('umedpt --help, -h and help list every command with its summary and exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const c = capture();
      expect(await runCli(argv, c.io)).toBe(0);
      const text = c.out.join('\n');
      expect(text).toMatch(/^Usage: umedpt \[options\] \[command\]/);
      for (const name of commandNames) expect(text).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
      expect(text).toContain('-V, --version');
    }
    expect(existsSync(home)).toBe(false);
  });

  it('bare umedpt prints the usage and exits 1', async () => {
    const c = capture();
    expect(await runCli([], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/^Usage: umedpt/);
  });

  it('--version and -V print the version in package.json', async () => {
    for (const flag of ['--version', '-V']) {
      const c = capture();
      expect(await runCli([flag], c.io)).toBe(0);
      expect(c.out).toEqual([version]);
    }
    expect(existsSync(home)).toBe(false);
  });
});

describe('umedpt refuses what it does not understand, with exit code 2', () => {
  it.each(commandNames)('%s --no-such-flag names the flag and the usage of %s', async (name) => {
    const c = capture();
    expect(await runCli([name, '--no-such-flag'], c.io)).toBe(2);
    const text = c.err.join('\n');
    expect(text).toContain(`umedpt ${name}: unknown option '--no-such-flag'`);
    expect(text).toMatch(new RegExp(`^usage: umedpt ${name}\\b`, 'm'));
    expect(existsSync(home)).toBe(false);
  });

  it('an unknown command is named, with a suggestion', async () => {
    const c = capture();
    expect(await runCli(['dataset5'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown command 'dataset5'[\s\S]*Did you mean/);
    const help = capture();
    expect(await runCli(['help', 'frobnicate'], help.io)).toBe(2);
    expect(help.err[0]).toBe("umedpt: unknown command 'frobnicate'");
    expect(help.out).toEqual([]);
  });

  it('names the flag of a missing or invalid value, and the missing argument', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['pretrain', 'x.json', '--steps', '0'], /umedpt pretrain: option '--steps <N>' argument '0' is invalid\. Expected a positive integer/],
      [['pretrain', 'x.json', '--steps', '3.5'], /'--steps <N>' argument '3\.5' is invalid/],
      [['pretrain', 'x.json', '--steps'], /umedpt pretrain: option '--steps <N>' argument missing/],
      [['demo', '--epochs', 'many'], /umedpt demo: option '--epochs <N>' argument 'many' is invalid/],
      [['serve', '--port', '70000'], /umedpt serve: option '--port <P>' argument '70000' is invalid\. Expected an integer 0-65535/],
      [['export', 'r', 'd', '--checkpoint', 'middle'], /umedpt export: option '--checkpoint <which>' argument 'middle' is invalid\. Allowed choices are best, latest/],
      [['import', '.', '--split', 'random'], /umedpt import: option '--split <policy>' argument 'random' is invalid/],
      [['import', '.', '--nifti-axis', 'oblique'], /option '--nifti-axis <axis>' argument 'oblique' is invalid/],
      [['import', '.', '--seed', 'x'], /option '--seed <S>' argument 'x' is invalid\. Expected an integer/],
      [['import', '.', '--group-by', 'patient'], /option '--group-by <how>' argument 'patient' is invalid\. Allowed choices are auto, none, parent-folder, pattern/],
      [['import', '.', '--group-pattern', '(unclosed'], /option '--group-pattern <regex>' argument '\(unclosed' is invalid\. Not a valid regular expression/],
      [['import', '.', '--group-pattern', 'p\\d+'], /'--group-pattern <regex>' argument 'p\\d\+' is invalid\. It needs a capture group/],
      [['import', '.', '--group-by', 'pattern'], /umedpt import: --group-by pattern needs --group-pattern/],
      [['import', '.', '--group-by', 'none', '--group-pattern', '(p\\d+)'], /umedpt import: --group-pattern goes with --group-by pattern, not --group-by none/],
      [['import'], /umedpt import: missing required argument 'path'/],
      [['dataset', 'x'], /umedpt dataset: command-argument value 'x' is invalid for argument 'id'/],
      [['export', 'r'], /umedpt export: missing required argument 'dir'/],
      [['runs', 'extra'], /umedpt runs: too many arguments/],
    ];
    for (const [argv, message] of cases) {
      const c = capture();
      expect(await runCli(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err.join('\n'), argv.join(' ')).toMatch(message);
      expect(c.err.join('\n'), argv.join(' ')).toMatch(new RegExp(`^usage: umedpt ${argv[0]}`, 'm'));
    }
    expect(existsSync(home)).toBe(false);
  });
});

describe('import flags', () => {
  const base = { seed: 42, split: 'auto' as const, niftiAxis: 'axial' as const };

  it('--group-pattern implies --group-by pattern; without group flags the format decides', () => {
    expect(importOptionsFromFlags({ ...base, groupPattern: '^(p\\d+)/' })).toMatchObject({ groupBy: 'pattern', groupPattern: '^(p\\d+)/' });
    expect(importOptionsFromFlags({ ...base, groupBy: 'parent-folder' })).toMatchObject({ groupBy: 'parent-folder' });
    expect(importOptionsFromFlags(base)).toEqual({ splitPolicy: 'auto', splitRatios: [0.7, 0.15, 0.15], seed: 42, groupBy: 'auto', niftiAxis: 'axial' });
  });

  it('a group pattern needs a valid expression with a capture group', () => {
    expect(groupPattern('^([^/]+)/')).toBe('^([^/]+)/');
    expect(() => groupPattern('[')).toThrow(/Not a valid regular expression/);
    expect(() => groupPattern('(?:x)')).toThrow(/capture group/);
  });

  it("an importer's message names the flags, not the option fields", () => {
    expect(inCliTerms('/d: the voc data has no publisher split; use splitPolicy "auto" or "generated"')).toBe('/d: the voc data has no publisher split; use --split auto or --split generated');
    expect(inCliTerms('groupBy "pattern" needs groupPattern (a regular expression with one capture group)')).toBe('--group-by pattern needs --group-pattern (a regular expression with one capture group)');
  });
});
