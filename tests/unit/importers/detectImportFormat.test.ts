import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { detectImportFormat } from '../../../main/importers/detectImportFormat';
import { medmnistNpz, tempDir, vocXml, writeFile, writePng } from './generatedFixtures';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('detectImportFormat', () => {
  it('recognises each layout, descending through publisher wrapper folders', () => {
    const root = dir();
    // ImageFolder under train/test
    writePng(path.join(root, 'folder/train/cat/a.png'));
    writePng(path.join(root, 'folder/train/dog/b.png'));
    writePng(path.join(root, 'folder/test/cat/c.png'));
    writePng(path.join(root, 'folder/test/dog/d.png'));
    // CSV
    writePng(path.join(root, 'csv/img/a.png'));
    writeFile(path.join(root, 'csv/labels.csv'), 'path,label\nimg/a.png,x\n');
    // MedMNIST
    writeFile(path.join(root, 'mnist/demomnist.npz'), medmnistNpz({ train: 2, val: 1, test: 1 }));
    // paired masks wrapped like ISBI: data/membrane/train/{image,label}
    writePng(path.join(root, 'em/data/membrane/train/image/0.png'));
    writePng(path.join(root, 'em/data/membrane/train/label/0.png'));
    writeFile(path.join(root, 'em/LICENSE'), 'MIT');
    // nnU-Net
    writeFile(path.join(root, 'nnunet/dataset.json'), JSON.stringify({ labels: { background: 0, organ: 1 } }));
    writePng(path.join(root, 'nnunet/imagesTr/case1_0000.png'));
    // COCO
    writeFile(path.join(root, 'coco/annotations.json'), JSON.stringify({ images: [], annotations: [], categories: [] }));
    // VOC wrapped like BCCD
    writeFile(path.join(root, 'voc/README.md'), '#');
    writePng(path.join(root, 'voc/VOC/JPEGImages/a.png'));
    writeFile(path.join(root, 'voc/VOC/Annotations/a.xml'), vocXml('a.png', 16, 12, []));
    // YOLO
    writePng(path.join(root, 'yolo/images/a.png'));
    writeFile(path.join(root, 'yolo/labels/a.txt'), '');
    writeFile(path.join(root, 'yolo/classes.txt'), 'cell\n');
    // plain images
    writePng(path.join(root, 'plain/x.png'));
    writeFile(path.join(root, 'plain/notes.txt'), 'hi');

    const detect = (p: string) => {
      const d = detectImportFormat(path.join(root, p));
      return { format: d.format, root: path.relative(root, d.root) };
    };
    expect(detect('folder')).toEqual({ format: 'image-folder', root: 'folder' });
    expect(detect('csv')).toEqual({ format: 'csv', root: 'csv' });
    expect(detect('csv/labels.csv')).toEqual({ format: 'csv', root: 'csv/labels.csv' });
    expect(detect('mnist')).toEqual({ format: 'medmnist', root: 'mnist' });
    expect(detect('em')).toEqual({ format: 'paired-masks', root: 'em/data/membrane/train' });
    expect(detect('nnunet')).toEqual({ format: 'nnunet', root: 'nnunet' });
    expect(detect('coco')).toEqual({ format: 'coco', root: 'coco' });
    expect(detect('voc')).toEqual({ format: 'voc', root: 'voc/VOC' });
    expect(detect('yolo')).toEqual({ format: 'yolo', root: 'yolo' });
    expect(detect('plain')).toEqual({ format: 'images', root: 'plain' });
  });

  it('names a missing path and an unknown file type', () => {
    const root = dir();
    expect(() => detectImportFormat(path.join(root, 'nope'))).toThrow(/no such file or folder/);
    writeFile(path.join(root, 'notes.txt'), 'x');
    expect(() => detectImportFormat(path.join(root, 'notes.txt'))).toThrow(/notes\.txt: not a dataset file/);
  });
});
