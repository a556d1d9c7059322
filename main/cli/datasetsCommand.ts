import { parseFlags, type CliCommand } from './commands';
import type { DatasetSummary } from '../../shared/api/catalog';

function splitText(d: DatasetSummary): string {
  return `${d.splitCounts.train}/${d.splitCounts.val}/${d.splitCounts.test}`;
}

export const datasetsCommand: CliCommand = {
  name: 'datasets',
  usage: 'umedpt datasets [--all] [--json]',
  summary: 'list the datasets in the catalog (--all includes deleted ones)',
  async run(args, io, open) {
    const { flags } = parseFlags(args);
    const session = open();
    try {
      const datasets = await session.services['catalog/listDatasets']({ includeDeleted: flags.has('all') });
      if (flags.has('json')) io.out(JSON.stringify(datasets, null, 2));
      else if (datasets.length === 0) io.out('no datasets yet: umedpt import <path>');
      else {
        io.out(`${'id'.padStart(4)}  ${'name'.padEnd(24)} ${'format'.padEnd(12)} ${'kind'.padEnd(14)} ${'images'.padStart(7)}  train/val/test  classes  state`);
        for (const d of datasets) {
          io.out(
            `${String(d.id).padStart(4)}  ${d.name.slice(0, 24).padEnd(24)} ${d.format.padEnd(12)} ${d.kind.padEnd(14)} ${String(d.imageCount).padStart(7)}  ${splitText(d).padEnd(14)}  ${String(d.classCount).padStart(7)}  ${d.deletedAt ? 'deleted' : d.state}`,
          );
        }
      }
      return 0;
    } finally {
      await session.close();
    }
  },
};

export const datasetCommand: CliCommand = {
  name: 'dataset',
  usage: 'umedpt dataset <id> [--json]',
  summary: 'one dataset: classes, splits, counts per class, image sizes',
  async run(args, io, open) {
    const { positionals, flags } = parseFlags(args);
    const datasetId = Number(positionals[0]);
    if (!Number.isInteger(datasetId) || datasetId <= 0) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const session = open();
    try {
      const dataset = await session.services['catalog/getDataset']({ datasetId });
      const stats = await session.services['catalog/statistics']({ datasetId });
      if (flags.has('json')) {
        io.out(JSON.stringify({ dataset, statistics: stats }, null, 2));
        return 0;
      }
      io.out(`${dataset.id}  ${dataset.name}  (${dataset.format}, ${dataset.kind}${dataset.multiLabel ? ', multi-label' : ''})${dataset.deletedAt ? '  [deleted]' : ''}`);
      io.out(`source   ${dataset.sourcePath}`);
      io.out(`state    ${dataset.state}`);
      io.out(`images   ${dataset.imageCount}  (train ${dataset.splitCounts.train}, val ${dataset.splitCounts.val}, test ${dataset.splitCounts.test}; ${dataset.publisherSplit ? "publisher's split" : 'generated split'})`);
      io.out(`groups   ${stats.groupCount}`);
      io.out('classes  (images train/val/test; boxes)');
      for (const c of stats.classCounts) {
        const boxes = c.boxes.train + c.boxes.val + c.boxes.test;
        io.out(`  ${String(c.classId).padStart(3)} ${c.name.padEnd(24)} ${c.images.train}/${c.images.val}/${c.images.test}${boxes ? `; ${boxes} boxes` : ''}`);
      }
      io.out('sizes    ' + stats.sizeHistogram.slice(0, 5).map((s) => `${s.width}x${s.height} (${s.count})`).join(', '));
      return 0;
    } finally {
      await session.close();
    }
  },
};
