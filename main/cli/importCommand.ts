import path from 'node:path';
import { parseFlags, type CliCommand } from './commands';
import { importFormatSchema, type ImportFinishedEvent, type ImportProgressEvent } from '../../shared/api/import';

export function progressBar(event: ImportProgressEvent, width = 30): string {
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const filled = Math.round(fraction * width);
  const file = event.currentFile.length > 40 ? `...${event.currentFile.slice(-37)}` : event.currentFile;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.done}/${event.total} ${event.filesPerSecond.toFixed(1)} files/s ${file}`;
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'umedpt import <path> [--format F] [--name N] [--seed S] [--split auto|publisher|generated] [--nifti-axis axial|coronal|sagittal] [--verbose]',
  summary: 'import a dataset folder or file into the catalog (format detected unless given)',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const target = positionals[0];
    if (!target) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const format = flags.get('format');
    if (format !== undefined && !importFormatSchema.safeParse(format).success) {
      io.err(`umedpt import: unknown format "${String(format)}" (one of ${importFormatSchema.options.join(', ')})`);
      return 2;
    }
    const session = open();
    try {
      const interactive = process.stderr.isTTY === true;
      let lastLine = 0;
      const finished = new Promise<ImportFinishedEvent>((resolve) => {
        session.ctx.events.subscribe((message) => {
          if (message.event === 'import/progress') {
            const now = Date.now();
            if (now - lastLine < (interactive ? 100 : 2000)) return;
            lastLine = now;
            const line = progressBar(message.payload as ImportProgressEvent);
            if (interactive) process.stderr.write(`\r${line}\x1b[K`);
            else io.err(line);
          } else if (message.event === 'import/finished') resolve(message.payload as ImportFinishedEvent);
        });
      });
      const seed = flags.get('seed');
      const split = flags.get('split');
      const niftiAxis = flags.get('nifti-axis');
      const { jobId } = await session.services['import/start']({
        path: path.resolve(target),
        ...(typeof format === 'string' ? { format: importFormatSchema.parse(format) } : {}),
        ...(typeof flags.get('name') === 'string' ? { name: flags.get('name') as string } : {}),
        options: {
          splitPolicy: split === 'publisher' || split === 'generated' ? split : 'auto',
          splitRatios: [0.7, 0.15, 0.15],
          seed: typeof seed === 'string' ? Number(seed) : 42,
          groupBy: 'auto',
          niftiAxis: niftiAxis === 'coronal' || niftiAxis === 'sagittal' ? niftiAxis : 'axial',
        },
      });
      const onSignal = () => void session.services['import/cancel']({ jobId });
      process.once('SIGINT', onSignal);
      const result = await finished;
      process.off('SIGINT', onSignal);
      if (interactive) process.stderr.write('\n');
      const report = await session.services['import/report']({ jobId });
      io.out(`dataset ${result.datasetId ?? '-'}: ${result.state}; ${result.counts.imported} imported, ${result.counts.duplicate} duplicate, ${result.counts.skipped} skipped`);
      const notable = report.files.filter((f) => f.status !== 'imported' || f.warnings?.length);
      const shown = flags.has('verbose') ? notable : notable.slice(0, 20);
      for (const f of shown) io.out(`  ${f.status.padEnd(9)} ${f.path}${f.reason ? `: ${f.reason}` : ''}${f.warnings?.length ? ` (${f.warnings.join('; ')})` : ''}`);
      if (shown.length < notable.length) io.out(`  ... ${notable.length - shown.length} more (--verbose lists all)`);
      if (result.error) io.err(`umedpt import: ${result.error}`);
      return result.state === 'failed' ? 1 : 0;
    } finally {
      await session.close();
    }
  },
};
