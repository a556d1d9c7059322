/**
 * umedpt evaluate <config.json>: runs a label-efficiency study in its own
 * process through the eval service, prints progress and the curves, and
 * leaves the table, plot and report in the study folder (and --out, if given).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { evalConfigSchema, type EvalProgressEvent } from '../../shared/api/eval';
import { cliAction, interruptedExitCode, onCtrlC, usageExitCode, type CliEnv } from './commands';
import { curvePointText } from '../../shared/studyText';
import { readConfigFile } from './pretrainCommand';
import { awaitStudyEnd } from './awaitJob';

function progressLine(e: EvalProgressEvent): string | null {
  if (!e.row) return e.message ?? null;
  const r = e.row;
  const metrics = Object.entries(r.metrics)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
  return `[${e.progress.done}/${e.progress.total}] ${r.encoder} ${r.mode} ${r.fraction}% seed ${r.seed} (${r.trainImages} images): ${r.status === 'ok' ? metrics : r.note}`;
}

export function defineEvaluateCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('evaluate')
    .summary('label-efficiency study: encoders x data fractions x seeds on a downstream task; table, plot, report')
    .description('Runs a label-efficiency study from a config file, prints each result row and the curves; Ctrl-C cancels it (exit code 130).')
    .usage('<config.json> [--out <folder>]')
    .argument('<config.json>', 'the study config (shared/api/eval.ts is its schema)')
    .option('--out <folder>', "also copy the table, plot and report into this folder");
  return cliAction(command, env, async (file: string, options: { out?: string }) => {
    const { io } = env;
    // the schema's problems one per line with the file's name; the service checks the rest
    const parsed = evalConfigSchema.safeParse(readConfigFile(path.resolve(file)));
    if (!parsed.success) {
      io.err(`${file}: ${parsed.error.issues.length} problem(s):`);
      for (const issue of parsed.error.issues) io.err(`  ${issue.path.join('.') || '(top)'}: ${issue.message}`);
      return usageExitCode;
    }
    const session = env.open();
    const unsubscribe = session.subscribe((message) => {
      if (message.event !== 'eval/progress') return;
      const line = progressLine(message.payload as EvalProgressEvent);
      if (line) io.out(line);
    });
    let cancelled = false;
    let studyId = '';
    let stopListening = (): void => undefined;
    const onSigint = (): void => {
      cancelled = true;
      io.err('cancelling the study...');
      // it may have ended meanwhile: nothing to say then
      session.call('eval/cancel', { id: studyId }).catch(() => undefined);
    };
    try {
      const started = await session.call('eval/launch', { config: parsed.data });
      studyId = started.id;
      io.out(`study ${started.id} "${parsed.data.name}": ${started.progress.total} combinations`);
      stopListening = onCtrlC(onSigint);
      const summary = await awaitStudyEnd(session, started.id);
      if (summary.state !== 'completed') {
        io.err(`study ${summary.id} ${summary.state}${summary.error ? `: ${summary.error}` : ''} (log: ${path.join(summary.folder, 'log.txt')})`);
        return cancelled ? interruptedExitCode : 1;
      }
      const results = await session.call('eval/results', { id: started.id });
      io.out(`\n${results.primaryMetric}, mean ± sd over seeds:`);
      for (const curve of results.curves) {
        io.out(`  ${curve.encoder} (${curve.mode}): ${curve.points.map((p) => `${p.fraction}%: ${curvePointText(p)}`).join('  ')}`);
      }
      io.out(`\nlabels saved (${results.primaryMetric}, against random initialisation):`);
      if (results.savings.length === 0) io.out('  no random-initialisation encoder in this study: nothing to compare against');
      for (const saving of results.savings) io.out(`  ${saving.statement} (${saving.mode})`);
      const files = results.files!;
      if (options.out !== undefined) {
        mkdirSync(options.out, { recursive: true });
        for (const f of Object.values(files)) copyFileSync(f, path.join(options.out, path.basename(f)));
        io.out(`\noutputs copied to ${path.resolve(options.out)}`);
      }
      io.out(`\ntable: ${files.csv}\n       ${files.json}\nplot:  ${files.svg}\n       ${files.png}\nreport: ${files.html}`);
      return 0;
    } finally {
      stopListening();
      unsubscribe();
      await session.close();
    }
  });
}
