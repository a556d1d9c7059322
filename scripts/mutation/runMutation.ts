/**
 * npm run test:mutation [-- [module ...] [--changed [base]] [--full] [--list]]
 *
 * Runs StrykerJS once per module of mutationModules.ts, each with only that
 * module's test files (vitest.mutation.config.ts), incrementally (results of
 * unchanged code and tests are reused from reports/mutation/<module>/), then
 * prints the mutation score per module and fails below the bar.
 *   module ...       only these modules
 *   --changed [base] only modules whose sources or tests differ from base (default: main)
 *   --full           ignore the incremental files (a clean run)
 *   --list           print the modules and their files, run nothing
 *   --last           print the scores of the last run of each module (its mutation.json), run nothing
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { mutationModules, type MutationModule } from './mutationModules';

/** The bar of issue 19: every module at or above this score. */
export const requiredScore = 85;

const reportRoot = 'reports/mutation';

interface ModuleScore {
  module: string;
  score: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  errors: number;
  seconds: number;
}

function parseArgs(argv: string[]): { names: string[]; changedBase: string | null; full: boolean; list: boolean; last: boolean } {
  const names: string[] = [];
  let changedBase: string | null = null;
  let full = false;
  let list = false;
  let last = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--full') full = true;
    else if (arg === '--list') list = true;
    else if (arg === '--last') last = true;
    else if (arg === '--changed') {
      const next = argv[i + 1];
      changedBase = next && !next.startsWith('--') && !mutationModules.some((m) => m.name === next) ? (i++, next) : 'main';
    } else names.push(arg);
  }
  return { names, changedBase, full, list, last };
}

/**
 * Files changed against base: committed since the merge base, staged, unstaged or untracked.
 * On base itself (HEAD is the merge base) the last commit is the change.
 */
function changedFiles(base: string): string[] {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
  let since: string;
  try {
    since = git('merge-base', base, 'HEAD')[0]!;
  } catch {
    console.log(`mutation: no ${base} to compare with; using the last commit`);
    since = 'HEAD~1';
  }
  if (since === git('rev-parse', 'HEAD')[0]) since = 'HEAD~1';
  return [...new Set([...git('diff', '--name-only', since), ...git('ls-files', '--others', '--exclude-standard')])];
}

/** A changed path touches a module when it is one of its tests or matches one of its mutate patterns. */
function touches(module: MutationModule, file: string): boolean {
  if (module.tests.includes(file)) return true;
  return module.mutate.some((pattern) => path.matchesGlob(file, pattern.replace(/:\d+-\d+$/, '')));
}

function selectModules(names: string[], changedBase: string | null): MutationModule[] {
  const unknown = names.filter((n) => !mutationModules.some((m) => m.name === n));
  if (unknown.length) throw new Error(`unknown mutation module(s): ${unknown.join(', ')}; known: ${mutationModules.map((m) => m.name).join(', ')}`);
  let selected = names.length ? mutationModules.filter((m) => names.includes(m.name)) : mutationModules;
  if (changedBase !== null) {
    const files = changedFiles(changedBase);
    // a change to the mutation set-up itself concerns every module
    const setupChanged = files.some((f) => f.startsWith('scripts/mutation/') || f === 'vitest.mutation.config.ts');
    if (!setupChanged) selected = selected.filter((m) => files.some((f) => touches(m, f)));
  }
  return selected;
}

function strykerOptions(module: MutationModule, full: boolean): PartialStrykerOptions {
  const dir = `${reportRoot}/${module.name}`;
  return {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // related: false, the test files are named (vitest.mutation.config.ts): "related" would pull in the slow learning test
    vitest: { configFile: 'vitest.mutation.config.ts', related: false },
    mutate: module.mutate,
    coverageAnalysis: 'perTest',
    // two shared cores: one mutant at a time unless told otherwise
    concurrency: Number(process.env.UMEDPT_MUTATION_CONCURRENCY ?? 1),
    incremental: !full,
    incrementalFile: `${dir}/stryker-incremental.json`,
    force: full,
    reporters: ['clear-text', 'html', 'json'],
    clearTextReporter: { allowEmojis: false, logTests: false, reportMutants: true, reportScoreTable: true },
    htmlReporter: { fileName: `${dir}/mutation.html` },
    jsonReporter: { fileName: `${dir}/mutation.json` },
    thresholds: { high: 95, low: requiredScore, break: null },
    // one sandbox folder per module, so two modules can run side by side
    tempDirName: `.stryker-tmp/${module.name}`,
    cleanTempDir: true,
    ignorePatterns: ['.stryker-tmp', 'reports', 'dist', 'release', 'bench-results', 'coverage', 'tests/e2e/artifacts', '.umedpt-dev'],
    timeoutMS: 20_000,
    // the first run of all of a module's tests: real training steps on cores shared by several sessions outlast the default 5 minutes
    dryRunTimeoutMinutes: 30,
    logLevel: 'warn' as PartialStrykerOptions['logLevel'],
    fileLogLevel: 'off' as PartialStrykerOptions['fileLogLevel'],
  };
}

function scoreOf(module: string, results: MutantResult[], seconds: number): ModuleScore {
  const count = (status: MutantResult['status']) => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const detected = killed + timeout;
  const valid = detected + survived + noCoverage;
  return {
    module,
    score: valid ? (100 * detected) / valid : NaN,
    killed,
    timeout,
    survived,
    noCoverage,
    ignored: count('Ignored'),
    errors: count('CompileError') + count('RuntimeError'),
    seconds,
  };
}

/** The score of a module's last run, from the JSON report Stryker wrote (null: never run here). */
function lastScoreOf(module: MutationModule): ModuleScore | null {
  const file = `${reportRoot}/${module.name}/mutation.json`;
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { mutants: Array<{ status: MutantResult['status'] }> }> };
  const results = Object.values(report.files).flatMap((f) => f.mutants) as MutantResult[];
  return scoreOf(module.name, results, NaN);
}

function printTable(scores: ModuleScore[]): void {
  const header = ['module', 'score %', 'killed', 'timeout', 'survived', 'no cov', 'ignored', 'errors', 'seconds'];
  const rows = scores.map((s) => [s.module, s.score.toFixed(1), s.killed, s.timeout, s.survived, s.noCoverage, s.ignored, s.errors, Number.isFinite(s.seconds) ? Math.round(s.seconds) : "-"].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\nMutation score per module (bar: ${requiredScore} %)`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  const { names, changedBase, full, list, last } = parseArgs(process.argv.slice(2));
  const modules = selectModules(names, changedBase);
  if (last) {
    const scores = modules.map(lastScoreOf).filter((s): s is ModuleScore => s !== null);
    printTable(scores);
    const never = modules.filter((m) => !existsSync(`${reportRoot}/${m.name}/mutation.json`)).map((m) => m.name);
    if (never.length) console.log(`never run here: ${never.join(', ')}`);
    return 0;
  }
  if (list) {
    for (const m of modules) console.log(`${m.name}\n  mutate: ${m.mutate.join(' ')}\n  tests:  ${m.tests.join(' ')}`);
    return 0;
  }
  if (!modules.length) {
    console.log(changedBase !== null ? `mutation: no module touched since ${changedBase}` : 'mutation: no module selected');
    return 0;
  }
  const scores: ModuleScore[] = [];
  for (const module of modules) {
    const missing = module.tests.filter((t) => !existsSync(t));
    if (missing.length) throw new Error(`mutation module ${module.name}: test file(s) missing: ${missing.join(', ')}`);
    console.log(`\n==== mutation: ${module.name} (${module.mutate.join(', ')}) ====`);
    mkdirSync(`${reportRoot}/${module.name}`, { recursive: true });
    process.env.UMEDPT_MUTATION_TESTS = module.tests.join(',');
    Object.assign(process.env, module.env?.());
    const started = performance.now();
    const results = await new Stryker(strykerOptions(module, full)).runMutationTest();
    scores.push(scoreOf(module.name, results, (performance.now() - started) / 1000));
  }
  printTable(scores);
  writeFileSync(`${reportRoot}/summary.json`, `${JSON.stringify({ date: new Date().toISOString(), requiredScore, scores }, null, 1)}\n`);
  const below = scores.filter((s) => !(s.score >= requiredScore));
  if (below.length) {
    console.error(`\nbelow ${requiredScore} %: ${below.map((s) => `${s.module} (${s.score.toFixed(1)} %)`).join(', ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
