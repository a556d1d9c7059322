import type { ImportFileReport } from '../../../shared/api/import';
import { toCsv } from '../lib/csv';

/** The per-file import report as CSV: one row per file, warnings joined with "; ". */
export function importReportCsv(files: readonly ImportFileReport[]): string {
  return toCsv(
    ['path', 'status', 'reason', 'images', 'warnings'],
    files.map((f) => [f.path, f.status, f.reason ?? '', f.images ?? '', (f.warnings ?? []).join('; ')]),
  );
}

/** Skipped files first (what the user must look at), then duplicates, then files with warnings. */
export function reportRowsOfInterest(files: readonly ImportFileReport[]): ImportFileReport[] {
  const rank = (f: ImportFileReport) => (f.status === 'skipped' ? 0 : f.status === 'duplicate' ? 1 : f.warnings?.length ? 2 : 3);
  return files.filter((f) => rank(f) < 3).sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}
