/**
 * Class names of MedMNIST v2 subsets whose label tables are short and well
 * known; any other subset gets "0".."K-1". RetinaMNIST's classes are the
 * diabetic-retinopathy grades themselves.
 */
export const medmnistClassNames: Record<string, string[]> = {
  retinamnist: ['0', '1', '2', '3', '4'],
  pneumoniamnist: ['normal', 'pneumonia'],
  breastmnist: ['malignant', 'normal, benign'],
  octmnist: ['choroidal neovascularization', 'diabetic macular edema', 'drusen', 'normal'],
};

export function medmnistSubsetOf(fileName: string): string {
  return fileName.toLowerCase().replace(/\.npz$/, '').replace(/_\d+$/, '');
}
