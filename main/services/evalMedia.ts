import { readFile } from 'node:fs/promises';
import { evalJobManager } from './studyRuntime';
import { notFound, registerMediaRoute } from './media';
import type { EvalFiles } from '../../shared/api/eval';

/**
 * A completed study's report files for the page to save: the HTML report, the
 * results table (CSV) and the plot (PNG), by their file names. The report is
 * answered as bytes to save, never as a page (it would render on the app's
 * own origin).
 */
const reportFiles: Record<string, { key: keyof EvalFiles; mime: string }> = {
  'report.html': { key: 'html', mime: 'application/octet-stream' },
  'results.csv': { key: 'csv', mime: 'text/csv; charset=utf-8' },
  'label-efficiency.png': { key: 'png', mime: 'image/png' },
};

export function registerEvalMediaRoutes(): void {
  registerMediaRoute('eval', async (ctx, [id, name]) => {
    const file = name !== undefined ? reportFiles[name] : undefined;
    if (!id || !file) return notFound(`no study file "${name ?? ''}" (there are ${Object.keys(reportFiles).join(', ')})`);
    let files: EvalFiles | null;
    try {
      files = evalJobManager(ctx).results(id).files;
    } catch (error) {
      return notFound(error instanceof Error ? error.message : String(error));
    }
    if (!files) return notFound(`study ${id} has not completed: it has no report yet`);
    return { status: 200, mime: file.mime, body: new Uint8Array(await readFile(files[file.key])) };
  });
}
