import type { ImportOptionsInput } from '../../../shared/api/import';

/** The wizard's option fields: split shares in percent, a group key source. */
export interface WizardOptions {
  splitPolicy: 'auto' | 'publisher' | 'generated';
  train: number;
  val: number;
  test: number;
  seed: number;
  groupBy: 'auto' | 'none' | 'parent-folder' | 'pattern';
  groupPattern: string;
  niftiAxis: 'axial' | 'coronal' | 'sagittal';
  /** segmentation: '' = preset from the class names, '\u0000none' = no background, else a class name */
  backgroundClass: string;
  /** images with masks: the folders (a name at any level or a relative path; '' = found by the importer) and a pairing glob with {id} */
  imageFolder: string;
  maskFolder: string;
  pairPattern: string;
  /** images with masks: a folder of valid-region (field-of-view) masks beside the images; '' = none */
  validRegionFolder: string;
  /** instance masks: the folder (or table file) giving each instance's class; '' = found by the importer */
  instanceClasses: string;
  /** masks hold class values or instance ids; auto decides from the values */
  maskValues: 'auto' | 'classes' | 'instances';
}

/** The wizard's "no background class" choice (a value no class name can have). */
export const noBackground = '\u0000none';

export const defaultWizardOptions: WizardOptions = { splitPolicy: 'auto', train: 70, val: 15, test: 15, seed: 42, groupBy: 'auto', groupPattern: '', niftiAxis: 'axial', backgroundClass: '', imageFolder: '', maskFolder: '', pairPattern: '', validRegionFolder: '', instanceClasses: '', maskValues: 'auto' };

/** The first problem of the options, worded for the user; null when they can be sent. */
export function optionsProblem(o: WizardOptions): string | null {
  if (o.train + o.val + o.test <= 0) return 'the split percentages add up to 0';
  if (o.train <= 0) return 'the training split needs a share above 0 %';
  if (o.groupBy === 'pattern') {
    if (!o.groupPattern) return 'enter a regular expression for the group key';
    try {
      const re = new RegExp(o.groupPattern);
      if (!/\((?!\?)/.test(re.source)) return 'the group pattern needs a capture group, e.g. (P\\d+)';
    } catch (e) {
      return `the group pattern is not a valid regular expression: ${(e as Error).message}`;
    }
  }
  if (o.pairPattern.trim() && o.pairPattern.split('|').some((glob) => glob.split('{id}').length !== 2)) return 'the pairing pattern needs one {id} (per glob), e.g. {id}_*';
  return null;
}

/**
 * The folders an import question offers as masks ("the image folder images/
 * pairs with several folders (manual/, mask/)"): the wizard turns them into
 * choices. Empty when the message asks nothing of the kind.
 */
export function maskFolderChoices(message: string | null | undefined): string[] {
  const match = /pairs with several folders \(([^)]*)\)/.exec(message ?? '');
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((f) => f.trim().replace(/\/$/, ''))
    .filter((f) => f !== '');
}

/** Percent shares become fractions; the pattern travels only with groupBy "pattern". */
export function toApiOptions(o: WizardOptions): ImportOptionsInput {
  const sum = o.train + o.val + o.test;
  return {
    splitPolicy: o.splitPolicy,
    splitRatios: [o.train / sum, o.val / sum, o.test / sum],
    seed: o.seed,
    groupBy: o.groupBy,
    ...(o.groupBy === 'pattern' ? { groupPattern: o.groupPattern } : {}),
    niftiAxis: o.niftiAxis,
    ...(o.backgroundClass === noBackground ? { backgroundClass: null } : o.backgroundClass ? { backgroundClass: o.backgroundClass } : {}),
    ...(o.imageFolder.trim() ? { imageFolder: o.imageFolder.trim() } : {}),
    ...(o.maskFolder.trim() ? { maskFolder: o.maskFolder.trim() } : {}),
    ...(o.pairPattern.trim() ? { pairPattern: o.pairPattern.trim() } : {}),
    ...(o.validRegionFolder ? { validRegionFolder: o.validRegionFolder } : {}),
    ...(o.instanceClasses && o.maskValues !== 'classes' ? { instanceClasses: o.instanceClasses } : {}),
    ...(o.maskValues !== 'auto' ? { maskValues: o.maskValues } : {}),
  };
}

