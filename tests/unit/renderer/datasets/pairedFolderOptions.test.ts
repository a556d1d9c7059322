import { describe, expect, it } from 'vitest';
import { defaultWizardOptions, maskFolderChoices, optionsProblem, toApiOptions } from '../../../../renderer/src/datasets/importOptionsForm';
import { importOptionsSchema } from '../../../../shared/api/import';

describe('import wizard: image and mask folders', () => {
  it('turns the importer question about several mask folders into choices', () => {
    const message = 'training/: the image folder images/ pairs with several folders (1st_manual/, 2nd_manual/, mask/); say which one holds the labels: maskFolder "<folder>" (e.g. maskFolder "1st_manual")';
    expect(maskFolderChoices(message)).toEqual(['1st_manual', '2nd_manual', 'mask']);
    expect(maskFolderChoices('/data/x: no such file or folder')).toEqual([]);
    expect(maskFolderChoices(null)).toEqual([]);
  });

  it('sends the folders, the pairing glob and the mask values only when set, in a form the API accepts', () => {
    expect(toApiOptions(defaultWizardOptions)).not.toHaveProperty('maskFolder');
    const options = toApiOptions({ ...defaultWizardOptions, imageFolder: ' images ', maskFolder: 'manual', pairPattern: '{id}_*', maskValues: 'instances' });
    expect(options).toMatchObject({ imageFolder: 'images', maskFolder: 'manual', pairPattern: '{id}_*', maskValues: 'instances' });
    expect(importOptionsSchema.safeParse(options).success).toBe(true);
    // a folder leaving the dataset root is refused at the boundary
    expect(importOptionsSchema.safeParse({ ...options, maskFolder: '../elsewhere' }).success).toBe(false);
  });

  it('sends the valid-region folder and the instance class source when chosen; the class source never with class-valued masks', () => {
    expect(toApiOptions(defaultWizardOptions)).not.toHaveProperty('validRegionFolder');
    expect(toApiOptions(defaultWizardOptions)).not.toHaveProperty('instanceClasses');
    const options = toApiOptions({ ...defaultWizardOptions, maskFolder: 'manual', validRegionFolder: 'mask', instanceClasses: 'type_map' });
    expect(options).toMatchObject({ validRegionFolder: 'mask', instanceClasses: 'type_map' });
    expect(importOptionsSchema.safeParse(options).success).toBe(true);
    expect(toApiOptions({ ...defaultWizardOptions, instanceClasses: 'type_map', maskValues: 'classes' })).not.toHaveProperty('instanceClasses');
  });

  it('a pairing glob without one {id} is a problem named before sending', () => {
    expect(optionsProblem({ ...defaultWizardOptions, pairPattern: '*_manual' })).toMatch(/one \{id\}/);
    expect(optionsProblem({ ...defaultWizardOptions, pairPattern: 'scan-{id}|seg-{id}' })).toBeNull();
  });
});
