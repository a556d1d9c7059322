import { InvalidArgumentError, type Command } from 'commander';
import { cliAction, positiveInteger, type CliEnv } from './commands';
import type { DatasetSummary } from '../../shared/api/catalog';

function splitText(d: DatasetSummary): string {
  return `${d.splitCounts.train}/${d.splitCounts.val}/${d.splitCounts.test}`;
}

export function defineDatasetsCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('datasets')
    .summary('list the datasets in the catalog (--all includes deleted ones)')
    .usage('[--all] [--json]')
    .option('--all', 'include datasets in the bin')
    .option('--json', 'print the datasets as JSON');
  return cliAction(command, env, async (options: { all?: boolean; json?: boolean }) => {
    const { io } = env;
    const session = env.open();
    try {
      const datasets = await session.call('catalog/listDatasets', { includeDeleted: options.all === true });
      if (options.json) io.out(JSON.stringify(datasets, null, 2));
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
  });
}

function datasetId(value: string): number {
  try {
    return positiveInteger(value);
  } catch {
    throw new InvalidArgumentError('Expected a dataset id, a positive integer (umedpt datasets lists them).');
  }
}

export function defineDatasetCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('dataset')
    .summary('one dataset: classes, splits, counts per class, image sizes')
    .usage('<id> [--json]')
    .argument('<id>', 'the dataset id (umedpt datasets lists them)', datasetId)
    .option('--json', 'print the dataset and its statistics as JSON');
  return cliAction(command, env, async (id: number, options: { json?: boolean }) => {
    const { io } = env;
    const session = env.open();
    try {
      const dataset = await session.call('catalog/getDataset', { datasetId: id });
      const stats = await session.call('catalog/statistics', { datasetId: id });
      if (options.json) {
        io.out(JSON.stringify({ dataset, statistics: stats }, null, 2));
        return 0;
      }
      io.out(`${dataset.id}  ${dataset.name}  (${dataset.format}, ${dataset.kind}${dataset.multiLabel ? ', multi-label' : ''})${dataset.deletedAt ? '  [deleted]' : ''}`);
      io.out(`source   ${dataset.sourcePath}`);
      io.out(`state    ${dataset.state}`);
      io.out(`images   ${dataset.imageCount}  (train ${dataset.splitCounts.train}, val ${dataset.splitCounts.val}, test ${dataset.splitCounts.test}; ${dataset.publisherSplit ? "publisher's split" : 'generated split'})`);
      io.out(`groups   ${stats.groupCount}`);
      if (stats.instances) io.out(`instances ${stats.instances.train + stats.instances.val + stats.instances.test}  (train ${stats.instances.train}, val ${stats.instances.val}, test ${stats.instances.test}; one box each)`);
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
  });
}
