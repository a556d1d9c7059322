/**
 * Every importer parser and every image codec, fed a file whose first line (or a value in it) is a secret:
 * whatever it answers (a thrown message, a skip reason, a warning, a skipped entry) names the file, the
 * position or field and the problem, never the secret. A remote caller pointing the importer at a file
 * must not be able to read it back through the error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { buildImportPlan } from '../../../main/importers/buildImportPlan';
import { detectImportFormat } from '../../../main/importers/detectImportFormat';
import { decodeImageFrames, decodeMaskFrames, inspectImageFrames } from '../../../main/imaging/imageCodec';
import type { ImportFormat } from '../../../shared/api/import';
import { npyBytes, pngBytes, tempDir, writeFile, writePng } from './generatedFixtures';

const secret = 'SECRET-LINE-7Qx9-do-not-echo';
const secretLine = `${secret}\n`;
const { dir: base, cleanup } = tempDir('umedpt-secret-');
afterAll(cleanup);

/** No 6-character piece of the secret anywhere in the text (a message quoting part of it fails too). */
function expectNoSecret(text: string): void {
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = secret.slice(i, i + 6);
    if (text.includes(piece)) throw new Error(`the message quotes "${piece}" of the file's secret:\n${text}`);
  }
}

/** Every message the plan carries, or the message it failed with. */
async function planMessages(p: string, format?: ImportFormat): Promise<string> {
  try {
    const plan = await buildImportPlan({ path: p, ...(format ? { format } : {}) });
    const texts = [
      ...plan.skipped.flatMap((s) => [s.path, s.reason]),
      ...plan.items.flatMap((item) => [item.skip ?? '', ...(item.warnings ?? [])]),
    ];
    return texts.join('\n');
  } catch (error) {
    return (error as Error).message;
  }
}

async function thrownBy(run: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

let n = 0;
const fresh = (name: string) => path.join(base, `${name}-${++n}`);

describe('planners: annotation files never echoed', () => {
  it('CSV labels: a secret header, a secret path, a path escaping the root, a secret split', async () => {
    const header = fresh('csv');
    writeFile(path.join(header, 'labels.csv'), `${secretLine}a.png,x\n`);
    const headerMessage = await planMessages(path.join(header, 'labels.csv'), 'csv');
    expect(headerMessage).toMatch(/labels\.csv: the header needs a path column/);
    expectNoSecret(headerMessage);

    const rows = fresh('csv');
    writePng(path.join(rows, 'a.png'));
    writeFile(path.join(rows, 'labels.csv'), `path,label,split\n${secret}.png,x,train\n../${secret}.png,x,train\na.png,x,${secret}\n`);
    const rowMessages = await planMessages(path.join(rows, 'labels.csv'), 'csv');
    expect(rowMessages).toMatch(/labels\.csv:2/);
    expect(rowMessages).toMatch(/labels\.csv:3/);
    expect(rowMessages).toMatch(/labels\.csv:4/);
    expectNoSecret(rowMessages);
  });

  it('VOC XML: a secret first line, a secret coordinate, a secret unclosed tag, a secret split list', async () => {
    const root = fresh('voc');
    for (const stem of ['a', 'b', 'c']) writePng(path.join(root, 'JPEGImages', `${stem}.png`));
    writeFile(path.join(root, 'Annotations', 'a.xml'), `${secretLine}<annotation></annotation>`);
    writeFile(path.join(root, 'Annotations', 'b.xml'), `<annotation><object><name>cell</name><bndbox><xmin>${secret}</xmin><ymin>1</ymin><xmax>4</xmax><ymax>4</ymax></bndbox></object></annotation>`);
    writeFile(path.join(root, 'Annotations', 'c.xml'), `<annotation><${secret}><object></annotation>`);
    writeFile(path.join(root, 'ImageSets', 'Main', 'train.txt'), `${secretLine}a\n`);
    const messages = await planMessages(root, 'voc');
    expect(messages).toMatch(/Annotations\/a\.xml/);
    expect(messages).toMatch(/Annotations\/b\.xml object 1: <xmin> is not a number/);
    expect(messages).toMatch(/Annotations\/c\.xml: malformed XML/);
    expect(messages).toMatch(/train\.txt line 1/);
    expectNoSecret(messages);
  });

  it('COCO JSON: a secret first line, secret categories, file names and ids', async () => {
    const notJson = fresh('coco');
    writeFile(path.join(notJson, 'annotations.json'), `${secretLine}{"images": [], "categories": []}`);
    expectNoSecret(await planMessages(notJson, 'coco'));

    const root = fresh('coco');
    writePng(path.join(root, 'a.png'));
    const coco = {
      images: [
        { id: 1, file_name: 'a.png' },
        { id: 2, file_name: `${secret}.png` },
        { id: secret, file_name: 'a.png' },
        { file_name: secret },
      ],
      categories: [{ id: 1, name: 'cell' }, { name: secret }],
      annotations: [
        { id: 1, image_id: 1, category_id: secret, bbox: [0, 0, 2, 2] },
        { id: secret, image_id: secret, category_id: 1, bbox: [0, 0, 2, 2] },
        { id: 3, image_id: 1, category_id: 1, bbox: [secret, 0, 2, 2] },
      ],
    };
    writeFile(path.join(root, 'annotations.json'), JSON.stringify(coco));
    const messages = await planMessages(root, 'coco');
    expect(messages).toMatch(/annotations\.json/);
    expect(messages).toMatch(/category 2/);
    expect(messages).toMatch(/annotation 1: category_id is not a number/);
    expect(messages).toMatch(/annotation #2 \(its id is not a number\)\nimage_id is not a number/);
    expectNoSecret(messages);
  });

  it('YOLO: a secret label line, a secret data.yaml that does not parse', async () => {
    const root = fresh('yolo');
    writePng(path.join(root, 'images', 'a.png'));
    writeFile(path.join(root, 'labels', 'a.txt'), `${secret} 0.5 0.5 0.1 0.1\n`);
    writeFile(path.join(root, 'classes.txt'), 'cell\n');
    const labelMessages = await planMessages(root, 'yolo');
    expect(labelMessages).toMatch(/labels\/a\.txt:1/);
    expectNoSecret(labelMessages);

    const yaml = fresh('yolo');
    writePng(path.join(yaml, 'images', 'a.png'));
    writeFile(path.join(yaml, 'labels', 'a.txt'), '0 0.5 0.5 0.1 0.1\n');
    writeFile(path.join(yaml, 'data.yaml'), `${secret}: [unclosed\n  - "${secret}\n`);
    const yamlMessage = await planMessages(yaml, 'yolo');
    expect(yamlMessage).toMatch(/data\.yaml/);
    expectNoSecret(yamlMessage);
  });

  it('nnU-Net dataset.json and a mask class map: secret first lines and secret keys', async () => {
    const nnunet = fresh('nnunet');
    writePng(path.join(nnunet, 'imagesTr', 'a_0000.png'));
    writeFile(path.join(nnunet, 'labelsTr', 'a.png'), pngBytes());
    writeFile(path.join(nnunet, 'dataset.json'), `${secretLine}{}`);
    const nnunetMessage = await planMessages(nnunet, 'nnunet');
    expect(nnunetMessage).toMatch(/dataset\.json/);
    expectNoSecret(nnunetMessage);
    writeFile(path.join(nnunet, 'dataset.json'), JSON.stringify({ labels: { background: 0, [secret]: [1, 2] }, file_ending: '.png' }));
    const regionMessage = await planMessages(nnunet, 'nnunet');
    expect(regionMessage).toMatch(/dataset\.json/);
    expectNoSecret(regionMessage);

    const paired = fresh('masks');
    writePng(path.join(paired, 'images', 'a.png'));
    writeFile(path.join(paired, 'masks', 'a.png'), pngBytes());
    for (const content of [`${secretLine}{}`, JSON.stringify({ [secret]: 'x' }), JSON.stringify({ 0: 'background', 1: secret, [secret]: { a: 1 } })]) {
      writeFile(path.join(paired, 'classes.json'), content);
      const message = await planMessages(paired, 'paired-masks');
      expectNoSecret(message);
    }
  });

  it('MedMNIST npz: a secret .npy header, a secret dtype', async () => {
    const header = new TextEncoder().encode(`{'descr': '${secret}', 'fortran_order': False, 'shape': (1, 2, 2), }\n`);
    const npy = new Uint8Array(10 + header.length + 4);
    npy.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(npy.buffer).setUint16(8, header.length, true);
    npy.set(header, 10);
    const broken = new Uint8Array(npy);
    broken.set(new TextEncoder().encode(`${secret}`), 10);
    for (const images of [npy, broken]) {
      const file = writeFile(path.join(fresh('npz'), 'secretmnist.npz'), zipSync({ 'train_images.npy': images, 'train_labels.npy': npyBytes([1, 1], new Uint8Array([0])) }));
      const message = await planMessages(file, 'medmnist');
      expect(message).toMatch(/secretmnist\.npz/);
      expectNoSecret(message);
    }
  });

  it('format detection of a secret file names the file, not its contents', async () => {
    for (const name of ['notes.json', 'notes.txt', 'labels.csv']) {
      const file = writeFile(path.join(fresh('detect'), name), secretLine);
      expectNoSecret(await thrownBy(() => detectImportFormat(file)).catch(() => ''));
      expectNoSecret(await planMessages(file));
    }
  });
});

describe('image codecs: a secret first line, and a secret after each format magic', () => {
  const magics: Record<string, Uint8Array> = {
    'x.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    'x.jpg': new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
    'x.tif': new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]),
    'x.bmp': new Uint8Array([0x42, 0x4d]),
    'x.gif': new TextEncoder().encode('GIF89a'),
    'x.dcm': new Uint8Array([...new Uint8Array(128), 0x44, 0x49, 0x43, 0x4d]),
    'x.nii': (() => {
      const header = new Uint8Array(352);
      new DataView(header.buffer).setInt32(0, 348, true);
      header.set(new TextEncoder().encode('n+1\0'), 344);
      header.set(new TextEncoder().encode(secret), 148);
      return header;
    })(),
  };
  const secretBytes = new TextEncoder().encode(`${secretLine}${secret}${secret}`.repeat(20));
  const concat = (a: Uint8Array, b: Uint8Array) => {
    const out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  };

  for (const [name, magic] of Object.entries(magics)) {
    it(`${name}`, async () => {
      const inputs = [secretBytes, concat(magic, secretBytes)];
      if (name === 'x.nii') inputs.push(gzipSync(concat(magic, secretBytes)));
      for (const bytes of inputs) {
        const fileName = bytes[0] === 0x1f && bytes[1] === 0x8b ? 'x.nii.gz' : name;
        for (const decode of [decodeImageFrames, inspectImageFrames, decodeMaskFrames]) {
          const message = await thrownBy(() => decode(bytes, fileName));
          expect(message.startsWith(`${fileName}: `)).toBe(true);
          expectNoSecret(message);
        }
      }
    });
  }
});
