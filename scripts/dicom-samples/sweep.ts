/**
 * Runs our DICOM reader over folders of sample files and prints one line per
 * file: the size and frame count it decodes, or its skip reason. Used to check
 * the reader against public sample collections (docs/dicom-samples.md); the
 * samples themselves are not in this repo.
 *
 *   npx tsx scripts/dicom-samples/sweep.ts <folder>... [--json out.json]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDicomFile } from '../../main/imaging/dicomFile';
import { describeThrown } from '../../main/imaging/pixelDecodeError';

interface SweepResult {
  file: string;
  ok: boolean;
  /** "WxHxC, N frames" when decoded, else the skip reason without the file name */
  summary: string;
  /** mean of frame 0's values after rescale, to compare with a reference reader */
  meanOfFirstFrame?: number;
}

async function sweepFile(path: string, name: string): Promise<SweepResult> {
  try {
    const images = await decodeDicomFile(new Uint8Array(readFileSync(path)), name);
    const first = images[0]!;
    let sum = 0;
    for (let index = 0; index < first.data.length; index++) sum += first.data[index] as number;
    return { file: name, ok: true, summary: `${first.width}x${first.height}x${first.channels}, ${images.length} frame(s)`, meanOfFirstFrame: sum / first.data.length };
  } catch (thrown) {
    return { file: name, ok: false, summary: describeThrown(thrown).replace(`${name}: `, '') };
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonPath = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const folders = jsonAt >= 0 ? args.filter((_, index) => index !== jsonAt && index !== jsonAt + 1) : args;
  const results: SweepResult[] = [];
  for (const folder of folders) {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (!statSync(path).isFile()) continue;
      const result = await sweepFile(path, name);
      results.push(result);
      process.stdout.write(`${result.ok ? 'ok  ' : 'skip'} ${name}: ${result.summary}\n`);
    }
  }
  process.stdout.write(`${results.filter((result) => result.ok).length} of ${results.length} decoded\n`);
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify(results, null, 1));
}

void main();
