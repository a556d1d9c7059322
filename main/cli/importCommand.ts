import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { importFormats, importOptionsSchema, type ImportFinishedEvent, type ImportOptions, type ImportPreview, type ImportProgressEvent } from '../../shared/api/import';
import { splitNames, type SplitCounts } from '../../shared/api/catalog';
import { cliAction, integer, onCtrlC, usageError, usageExitCode, type CliEnv } from './commands';

export function progressBar(event: ImportProgressEvent, width = 30): string {
  const fraction = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
  const filled = Math.round(fraction * width);
  const file = event.currentFile.length > 40 ? `...${event.currentFile.slice(-37)}` : event.currentFile;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.done}/${event.total} ${event.filesPerSecond.toFixed(1)} files/s ${file}`;
}

/** The import option each flag sets, so that messages about an option name the flag. */
const flagOfOption: Record<string, string> = {
  splitPolicy: '--split',
  groupBy: '--group-by',
  groupPattern: '--group-pattern',
  niftiAxis: '--nifti-axis',
  seed: '--seed',
  imageFolder: '--images',
  maskFolder: '--masks',
  validRegionFolder: '--valid-region',
  instanceClasses: '--instance-classes',
  pairPattern: '--pair-by',
  maskValues: '--mask-values',
};

/** Request fields whose values are flags of their own. */
const flagOfChoice: Record<string, string> = {
  'ifExists "update"': '--update',
  'ifExists "copy"': '--as-copy',
  'ifExists "refuse"': 'neither --update nor --as-copy',
  'format "image-folder"': '--format image-folder',
  'pairPattern "<glob with {id}>"': "--pair-by '<glob with {id}>'",
};

/** An importer's message in the words of the command line: `splitPolicy "auto"` becomes `--split auto`. */
export function inCliTerms(message: string): string {
  let text = message;
  for (const [choice, flag] of Object.entries(flagOfChoice)) text = text.split(choice).join(flag);
  for (const [option, flag] of Object.entries(flagOfOption)) {
    text = text
      .replace(new RegExp(`\\b${option} "([^"]*)" or "([^"]*)"`, 'g'), `${flag} $1 or ${flag} $2`)
      .replace(new RegExp(`\\b${option} "([^"]*)"`, 'g'), `${flag} $1`)
      .replace(new RegExp(`\\b${option}\\b`, 'g'), flag);
  }
  return text;
}

/** A regular expression whose first capture group is the group key. */
export function groupPattern(value: string): string {
  let captures: number;
  try {
    // a pattern that also matches the empty string shows how many groups it captures
    captures = new RegExp(`${value}|`).exec('')!.length - 1;
  } catch (error) {
    throw new InvalidArgumentError(`Not a valid regular expression (${(error as Error).message}).`);
  }
  if (captures < 1) throw new InvalidArgumentError('It needs a capture group: the first one is the group key, e.g. "^(patient\\d+)/".');
  return value;
}

interface ImportFlags {
  format?: (typeof importFormats)[number];
  name?: string;
  seed: number;
  split: ImportOptions['splitPolicy'];
  niftiAxis: ImportOptions['niftiAxis'];
  groupBy?: ImportOptions['groupBy'];
  groupPattern?: string;
  images?: string;
  masks?: string;
  validRegion?: string;
  instanceClasses?: string;
  pairBy?: string;
  maskValues?: NonNullable<ImportOptions['maskValues']>;
  dryRun?: boolean;
  asCopy?: boolean;
  update?: boolean;
  verbose?: boolean;
}

/** The import options the flags ask for; a contradiction among them is a usage error. */
export function importOptionsFromFlags(flags: ImportFlags): ImportOptions | string {
  const groupBy = flags.groupBy ?? (flags.groupPattern !== undefined ? 'pattern' : 'auto');
  if (groupBy === 'pattern' && flags.groupPattern === undefined) return '--group-by pattern needs --group-pattern <regex> (its first capture group is the group key)';
  if (groupBy !== 'pattern' && flags.groupPattern !== undefined) return `--group-pattern goes with --group-by pattern, not --group-by ${groupBy}`;
  if (flags.pairBy !== undefined && flags.pairBy.split('|').some((glob) => glob.split('{id}').length !== 2)) return `--pair-by needs exactly one {id} in each glob: the part of the names an image and its mask share, e.g. --pair-by '{id}_*' or --pair-by 'scan-{id}-*|outline-{id}'`;
  if (flags.format !== undefined && flags.format !== 'paired-masks' && (flags.images ?? flags.masks ?? flags.validRegion ?? flags.instanceClasses ?? flags.pairBy) !== undefined) return `--images, --masks, --valid-region, --instance-classes and --pair-by go with --format paired-masks, not --format ${flags.format}`;
  if (flags.instanceClasses !== undefined && flags.maskValues === 'classes') return '--instance-classes goes with instance label images (--mask-values instances or auto), not --mask-values classes';
  for (const [flag, value] of [
    ['--images', flags.images],
    ['--masks', flags.masks],
    ['--valid-region', flags.validRegion],
    ['--instance-classes', flags.instanceClasses],
  ] as const) {
    if (value !== undefined && !importOptionsSchema.shape.maskFolder.safeParse(value).success) return `${flag} ${value}: give a folder name (looked for at every level) or a path relative to the dataset folder that stays inside it`;
  }
  if (flags.asCopy && flags.update) return '--as-copy and --update exclude each other: a second dataset, or new and changed files into the first';
  return {
    splitPolicy: flags.split,
    splitRatios: [0.7, 0.15, 0.15],
    seed: flags.seed,
    groupBy,
    ...(flags.groupPattern !== undefined ? { groupPattern: flags.groupPattern } : {}),
    niftiAxis: flags.niftiAxis,
    ...(flags.images !== undefined ? { imageFolder: flags.images } : {}),
    ...(flags.masks !== undefined ? { maskFolder: flags.masks } : {}),
    ...(flags.validRegion !== undefined ? { validRegionFolder: flags.validRegion } : {}),
    ...(flags.instanceClasses !== undefined ? { instanceClasses: flags.instanceClasses } : {}),
    ...(flags.pairBy !== undefined ? { pairPattern: flags.pairBy } : {}),
    ...(flags.maskValues !== undefined ? { maskValues: flags.maskValues } : {}),
  };
}

/** The plan an import would carry out, as lines: format, splits, classes, pairs and the files it would skip. */
export function previewLines(preview: ImportPreview, verbose: boolean): string[] {
  const lines: string[] = [];
  const s = preview.splits;
  const instances = preview.instanceClasses !== undefined ? ` (instance masks: a class per instance from ${preview.instanceClasses}, one box per instance)` : ' (instance masks: object vs background, one box per instance)';
  lines.push(`${preview.path}: ${preview.format}, ${preview.kind}${preview.instanceMasks ? instances : ''}, ${preview.itemCount} to import`);
  lines.push(`splits   train ${s.train}, val ${s.val}, test ${s.test} (${preview.publisherSplit ? "publisher's split" : 'generated'})`);
  lines.push(...emptySplitWarnings(s));
  if (preview.classes.length) lines.push(`classes  ${preview.classes.length <= 30 ? preview.classes.join(', ') : `${preview.classes.slice(0, 30).join(', ')} ... (${preview.classes.length})`}`);
  if (preview.pairing) {
    const pairs = preview.pairing.pairs;
    lines.push(`pairs    ${pairs.length} (paired by ${preview.pairing.rule})`);
    for (const p of verbose ? pairs : pairs.slice(0, 20)) lines.push(`  ${p.image}  <-  ${p.mask}`);
    if (!verbose && pairs.length > 20) lines.push(`  ... ${pairs.length - 20} more (--verbose lists all)`);
  }
  if (preview.skipped.length) {
    lines.push(`not imported ${preview.skipped.length}${preview.pairing ? ' (unpaired files among them)' : ''}`);
    for (const f of verbose ? preview.skipped : preview.skipped.slice(0, 20)) lines.push(`  ${f.path}: ${f.reason}`);
    if (!verbose && preview.skipped.length > 20) lines.push(`  ... ${preview.skipped.length - 20} more (--verbose lists all)`);
  }
  if (preview.existingDataset) lines.push(`note     already in the catalog as dataset ${preview.existingDataset.id} ("${preview.existingDataset.name}"): importing needs --update (new or changed files) or --as-copy`);
  return lines;
}

/** A line for each split left empty: a run would have nothing to validate or test on. */
export function emptySplitWarnings(splits: SplitCounts): string[] {
  const total = splits.train + splits.val + splits.test;
  if (total === 0) return [];
  return splitNames.filter((n) => splits[n] === 0).map((n) => `warning  the ${n} split is empty (${total} image${total === 1 ? '' : 's'} in all${n === 'train' ? '' : "; too few to spare one, or the publisher's split has none"})`);
}

const choicesOf = importOptionsSchema.shape;

export function defineImportCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('import')
    .summary('import a dataset folder or file into the catalog (format detected unless given)')
    .usage(
      '<path> [--format F] [--name N] [--images DIR] [--masks DIR] [--valid-region DIR] [--pair-by GLOB] [--mask-values auto|classes|instances] [--instance-classes DIR|FILE] [--seed S] [--split auto|publisher|generated] [--group-by auto|none|parent-folder|pattern] [--group-pattern REGEX] [--nifti-axis axial|coronal|sagittal] [--dry-run] [--update|--as-copy] [--verbose]',
    )
    .argument('<path>', 'the dataset folder or file')
    .addOption(new Option('--format <F>', 'the dataset format (detected when not given)').choices(importFormats))
    .option('--name <N>', 'the dataset name in the catalog (default: from the folder)')
    .option('--seed <S>', 'seed of a generated split', integer, 42)
    .addOption(new Option('--split <policy>', "auto: the publisher's split when the data has one, else a generated 70/15/15 one").choices(choicesOf.splitPolicy.unwrap().options).default('auto'))
    .addOption(
      new Option('--group-by <how>', "where the group key (patient / study / slide) that a generated split keeps together comes from; auto: what the format publishes").choices(
        choicesOf.groupBy.unwrap().options,
      ),
    )
    .option('--group-pattern <regex>', 'with --group-by pattern (implied): a regular expression over the relative path whose first capture group is the group key', groupPattern)
    .addOption(new Option('--nifti-axis <axis>', 'the plane NIfTI volumes are sliced along').choices(choicesOf.niftiAxis.unwrap().options).default('axial'))
    .option('--images <DIR>', 'paired masks: the image folder, a name matched at any level (train/images, test/images) or a path relative to <path>')
    .option('--masks <DIR>', 'paired masks: the mask folder beside it (e.g. manual, 1st_manual, gt), same rules')
    .option('--valid-region <DIR>', "paired masks: a folder of valid-region (field-of-view) masks beside the images, same rules (e.g. DRIVE's mask); label pixels where it is 0 are not trained on and not scored")
    .option('--pair-by <GLOB>', "paired masks: a glob with one {id} read from both names, e.g. '{id}_*' pairs 21_training.tif with 21_manual1.gif (default: same name, else the shared identifier, else the leading number)")
    .addOption(new Option('--mask-values <how>', 'masks hold class values or instance ids (one per object); auto: instance ids when there are more than 20 distinct values and no class map').choices(['auto', 'classes', 'instances']))
    .option('--instance-classes <DIR|FILE>', 'instance masks: where each instance\'s class comes from, a folder of per-pixel class maps beside the images (paired like --masks) or a CSV file,instance_id,class relative to <path> (found without it: type_map/ or class_map/ beside the images, else instance_classes.csv)')
    .option('--dry-run', 'show what would be imported (format, splits, classes, image/mask pairs, files left out) and import nothing')
    .option('--update', 'the source is in the catalog already: import only its new or changed files into that dataset')
    .option('--as-copy', 'the source is in the catalog already: import it again as a second dataset')
    .option('--verbose', 'list every skipped, duplicate or warned file (else the first 20)');
  return cliAction(command, env, async (given: string, flags: ImportFlags) => {
    // the service refuses relative paths (they would resolve against the server's folder): the CLI means its own
    const target = path.resolve(given);
    const { io } = env;
    const options = importOptionsFromFlags(flags);
    if (typeof options === 'string') usageError(command, options);
    const session = env.open();
    try {
      const format = flags.format !== undefined ? { format: flags.format } : {};
      if (flags.dryRun) {
        const preview = await session.call('import/detect', { path: target, ...format, options });
        for (const line of previewLines(preview, flags.verbose === true)) io.out(line);
        return 0;
      }
      if (options.splitPolicy === 'publisher') {
        // refused here, before anything is imported, in the flag's words
        const preview = await session.call('import/detect', { path: target, ...format, options: { ...options, splitPolicy: 'auto' } });
        if (!preview.publisherSplit) {
          io.err(`umedpt import: --split publisher: ${preview.path} (${preview.format}) has no publisher split; use --split auto or --split generated`);
          return usageExitCode;
        }
      }
      const interactive = process.stderr.isTTY === true;
      let lastLine = 0;
      let unsubscribe = (): void => undefined;
      const finished = new Promise<ImportFinishedEvent>((resolve) => {
        unsubscribe = session.subscribe((message) => {
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
      const ifExists = flags.update ? { ifExists: 'update' as const } : flags.asCopy ? { ifExists: 'copy' as const } : {};
      const { jobId } = await session.call('import/start', { path: target, ...format, ...(flags.name !== undefined ? { name: flags.name } : {}), options, ...ifExists });
      const stopListening = onCtrlC(() => void session.call('import/cancel', { jobId }).catch(() => undefined));
      const result = await finished.finally(stopListening);
      unsubscribe();
      if (interactive) process.stderr.write('\n');
      const report = await session.call('import/report', { jobId });
      io.out(`dataset ${result.datasetId ?? '-'}: ${result.state}; ${result.counts.imported} imported, ${result.counts.duplicate} duplicate, ${result.counts.skipped} skipped`);
      const notable = report.files.filter((f) => f.status !== 'imported' || f.warnings?.length);
      const shown = flags.verbose ? notable : notable.slice(0, 20);
      for (const f of shown) io.out(`  ${f.status.padEnd(9)} ${f.path}${f.reason ? `: ${f.reason}` : ''}${f.warnings?.length ? ` (${f.warnings.join('; ')})` : ''}`);
      if (shown.length < notable.length) io.out(`  ... ${notable.length - shown.length} more (--verbose lists all)`);
      if (result.state === 'completed' && result.datasetId !== null) {
        const dataset = await session.call('catalog/getDataset', { datasetId: result.datasetId });
        const s = dataset.splitCounts;
        io.out(`splits   train ${s.train}, val ${s.val}, test ${s.test} (${dataset.publisherSplit ? "publisher's split" : 'generated'})`);
        for (const line of emptySplitWarnings(s)) io.out(line);
      }
      if (result.error) io.err(`umedpt import: ${inCliTerms(result.error)}`);
      return result.state === 'failed' ? 1 : 0;
    } catch (error) {
      if (error instanceof Error) error.message = inCliTerms(error.message);
      throw error;
    } finally {
      await session.close();
    }
  });
}
