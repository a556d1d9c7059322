/**
 * Checks of a run config against the catalog and the disk, after the schema's
 * own checks: every problem gets one message naming the task and what to fix.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/openCatalog';
import { datasetServesKind } from '../catalog/datasetServes';
import { parseRunConfig, type RunConfig, type RunConfigProblem } from '../../shared/runConfig';
import { encoderManifestName, readEncoderManifest } from '../engine/model/encoderExport';
import { taskKindModule } from '../engine/tasks/taskKindRegistry';

function catalogProblems(catalog: Catalog, config: RunConfig): RunConfigProblem[] {
  const problems: RunConfigProblem[] = [];
  config.tasks.forEach((task, i) => {
    if (task.source.kind !== 'catalog') return;
    const where = `tasks.${i}`;
    const dataset = catalog.getDataset(task.source.datasetId);
    if (!dataset) {
      problems.push({ path: `${where}.source.datasetId`, message: `task "${task.name}": unknown dataset ${task.source.datasetId} (see umedpt datasets / the Datasets page)` });
      return;
    }
    if (dataset.deletedAt) problems.push({ path: `${where}.source.datasetId`, message: `task "${task.name}": dataset "${dataset.name}" is in the bin; restore it first` });
    if (dataset.state !== 'ready') problems.push({ path: `${where}.source.datasetId`, message: `task "${task.name}": dataset "${dataset.name}" is ${dataset.state} (its import did not finish)` });
    if (!datasetServesKind(dataset, task.kind)) {
      problems.push({ path: `${where}.kind`, message: `task "${task.name}": dataset "${dataset.name}" has ${dataset.kind} labels, not ${task.kind}` });
    }
    if (task.multiLabel && !dataset.multiLabel) problems.push({ path: `${where}.multiLabel`, message: `task "${task.name}": dataset "${dataset.name}" is not multi-label` });
    const known = new Set(dataset.classes.map((c) => c.name));
    for (const name of task.classes?.include ?? []) {
      if (!known.has(name)) problems.push({ path: `${where}.classes.include`, message: `task "${task.name}": class "${name}" is missing from dataset "${dataset.name}" (it has ${[...known].join(', ')})` });
    }
    for (const name of Object.keys(task.classes?.map ?? {})) {
      if (!known.has(name)) problems.push({ path: `${where}.classes.map`, message: `task "${task.name}": class "${name}" is missing from dataset "${dataset.name}" (it has ${[...known].join(', ')})` });
    }
    const background = task.classes?.background;
    if (background) {
      const targets = new Set(dataset.classes.map((c) => task.classes?.map?.[c.name] ?? c.name));
      if (task.kind !== 'segmentation') problems.push({ path: `${where}.classes.background`, message: `task "${task.name}": only segmentation tasks have a background class` });
      else if (!targets.has(background)) problems.push({ path: `${where}.classes.background`, message: `task "${task.name}": background class "${background}" is not a class of dataset "${dataset.name}" (it has ${[...targets].join(', ')})` });
    }
    const trainImages = dataset.splitCounts[task.trainSplit];
    if (trainImages === 0) {
      problems.push({ path: `${where}.trainSplit`, message: `task "${task.name}": dataset "${dataset.name}" has no training images in split ${task.trainSplit}` });
    } else if (task.classes?.include && taskKindModule(task.kind).dropsSamplesWithoutClass) {
      const stats = catalog.statistics(dataset.id);
      const included = new Set(task.classes.include);
      const withIncluded = (stats?.classCounts ?? []).filter((c) => included.has(c.name)).reduce((n, c) => n + c.images[task.trainSplit], 0);
      if (withIncluded === 0) problems.push({ path: `${where}.classes.include`, message: `task "${task.name}": no training image of dataset "${dataset.name}" has one of the selected classes` });
    }
  });
  return problems;
}

function diskProblems(config: RunConfig): RunConfigProblem[] {
  const dir = config.model.initEncoderFrom;
  if (!dir) return [];
  if (!existsSync(path.join(dir, encoderManifestName))) {
    return [{ path: 'model.initEncoderFrom', message: `${dir} is not an exported encoder (no ${encoderManifestName}); export one with umedpt export` }];
  }
  try {
    const manifest = readEncoderManifest(dir);
    if (manifest.encoder !== config.model.encoder) {
      return [{ path: 'model.initEncoderFrom', message: `${dir} holds a ${manifest.encoder} encoder but the model uses ${config.model.encoder}` }];
    }
  } catch (error) {
    return [{ path: 'model.initEncoderFrom', message: (error as Error).message }];
  }
  return [];
}

/** Schema problems first; catalog and disk problems only once the config parses. */
export function validateRunConfig(catalog: Catalog | null, input: unknown): { config: RunConfig | null; problems: RunConfigProblem[] } {
  const parsed = parseRunConfig(input);
  if (!parsed.ok) return { config: null, problems: parsed.problems };
  const problems = [...(catalog ? catalogProblems(catalog, parsed.config) : []), ...diskProblems(parsed.config)];
  if (!catalog && parsed.config.tasks.some((t) => t.source.kind === 'catalog')) {
    problems.push({ path: 'tasks', message: 'catalog tasks need the catalog, which could not be opened' });
  }
  return { config: parsed.config, problems };
}
