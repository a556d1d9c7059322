/**
 * umedpt evaluate <config.json>: runs a label-efficiency study in its own
 * process through the eval service, prints progress and the curves, and
 * leaves the table, plot and report in the study folder (and --out, if given).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { evalConfigSchema, type EvalProgressEvent } from '../../shared/api/eval';
import type { CliCommand } from './commands';
import { curvePointText } from '../../shared/studyText';
import { parseFlags } from './commands';
import { readConfigFile } from './pretrainCommand';
import { evalJobManager } from '../services/studyRuntime';

const usage = 'umedpt evaluate <config.json> [--out <folder>]';

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  usage,
  summary: 'label-efficiency study: encoders x data fractions x seeds on a downstream task; table, plot, report',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const file = positionals[0];
    if (!file) {
      io.err(`usage: ${usage}`);
      return 2;
    }
    const parsed = evalConfigSchema.safeParse(readConfigFile(path.resolve(file)));
    if (!parsed.success) {
      io.err(`${file}: ${parsed.error.issues.length} problem(s):`);
      for (const issue of parsed.error.issues) io.err(`  ${issue.path.join('.') || '(top)'}: ${issue.message}`);
      return 2;
    }
    const session = open();
    const unsubscribe = session.ctx.events.subscribe((message) => {
      if (message.event !== 'eval/progress') return;
      const e = message.payload as EvalProgressEvent;
      if (e.row) {
        const r = e.row;
        const metrics = Object.entries(r.metrics)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ');
        io.out(`[${e.progress.done}/${e.progress.total}] ${r.encoder} ${r.mode} ${r.fraction}% seed ${r.seed} (${r.trainImages} images): ${r.status === 'ok' ? metrics : r.note}`);
      } else if (e.message) io.out(e.message);
    });
    let cancelled = false;
    const onSigint = () => {
      cancelled = true;
      io.err('cancelling the study...');
      try {
        session.services['eval/cancel']({ id: started.id });
      } catch {
        // it may have ended meanwhile
      }
    };
    let started: { id: string } = { id: '' };
    try {
      started = await session.services['eval/launch']({ config: parsed.data });
      io.out(`study ${started.id} "${parsed.data.name}": ${evalJobManager(session.ctx).get(started.id).progress.total} combinations`);
      process.on('SIGINT', onSigint);
      const summary = await evalJobManager(session.ctx).waitFor(started.id);
      if (summary.state !== 'completed') {
        io.err(`study ${summary.id} ${summary.state}${summary.error ? `: ${summary.error}` : ''} (log: ${path.join(summary.folder, 'log.txt')})`);
        return cancelled ? 130 : 1;
      }
      const results = await session.services['eval/results']({ id: started.id });
      io.out(`\n${results.primaryMetric}, mean ± sd over seeds:`);
      for (const curve of results.curves) {
        io.out(`  ${curve.encoder} (${curve.mode}): ${curve.points.map((p) => `${p.fraction}%: ${curvePointText(p)}`).join('  ')}`);
      }
      io.out(`\nlabels saved (${results.primaryMetric}, against random initialisation):`);
      if (results.savings.length === 0) io.out('  no random-initialisation encoder in this study: nothing to compare against');
      for (const saving of results.savings) io.out(`  ${saving.statement} (${saving.mode})`);
      const files = results.files!;
      const out = flags.get('out');
      if (typeof out === 'string') {
        mkdirSync(out, { recursive: true });
        for (const f of Object.values(files)) copyFileSync(f, path.join(out, path.basename(f)));
        io.out(`\noutputs copied to ${path.resolve(out)}`);
      }
      io.out(`\ntable: ${files.csv}\n       ${files.json}\nplot:  ${files.svg}\n       ${files.png}\nreport: ${files.html}`);
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      unsubscribe();
      await session.close();
    }
  },
};
