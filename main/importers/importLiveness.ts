/**
 * Imports end in a true state: the worker importing a dataset holds a lock file naming its pid; a dataset
 * left `importing` whose lock names no live process (a killed worker, a full disk, a power cut) becomes
 * `incomplete`, the resumable state a re-import continues from. Checked when an import ends badly and
 * whenever the catalog is opened by the app, the server or the CLI.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/openCatalog';
import { setDatasetState } from '../catalog/datasetQueries';

function lockDir(dataDir: string): string {
  return path.join(dataDir, 'imports');
}

function lockFile(dataDir: string, datasetId: number): string {
  return path.join(lockDir(dataDir), `${datasetId}.pid`);
}

/** Marks this process as the one importing datasetId; released by releaseImportLock (or found dead later). */
export function holdImportLock(dataDir: string, datasetId: number): void {
  mkdirSync(lockDir(dataDir), { recursive: true });
  writeFileSync(lockFile(dataDir, datasetId), String(process.pid));
}

export function releaseImportLock(dataDir: string, datasetId: number): void {
  rmSync(lockFile(dataDir, datasetId), { force: true });
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockHolder(dataDir: string, datasetId: number): number | null {
  try {
    return Number(readFileSync(lockFile(dataDir, datasetId), 'utf8').trim());
  } catch {
    return null;
  }
}

/**
 * Every dataset still `importing` with no live importer becomes `incomplete`; returns their ids.
 * A dataset whose lock names a live process is left alone (another window or the CLI is importing it).
 */
export function settleDeadImports(catalog: Catalog): number[] {
  const dataDir = catalog.dataDir;
  const rows = catalog.statement("SELECT id FROM datasets WHERE state = 'importing'").all() as Array<{ id: number }>;
  const settled: number[] = [];
  for (const { id } of rows) {
    const holder = lockHolder(dataDir, id);
    if (holder !== null && holder !== process.pid && processAlive(holder)) continue;
    setDatasetState(catalog, id, 'incomplete');
    releaseImportLock(dataDir, id);
    settled.push(id);
  }
  // locks of datasets that are no longer importing are leftovers
  try {
    for (const name of readdirSync(lockDir(dataDir))) {
      const id = Number(name.replace(/\.pid$/, ''));
      const state = catalog.statement('SELECT state FROM datasets WHERE id = ?').get(id) as { state: string } | undefined;
      if (!state || state.state !== 'importing') rmSync(path.join(lockDir(dataDir), name), { force: true });
    }
  } catch {
    // no lock folder yet
  }
  return settled;
}

/** After an import's worker ended without finishing: its dataset, if still `importing`, becomes `incomplete`. */
export function settleEndedImport(catalog: Catalog, datasetId: number): void {
  const dataDir = catalog.dataDir;
  const row = catalog.statement('SELECT state FROM datasets WHERE id = ?').get(datasetId) as { state: string } | undefined;
  if (row?.state !== 'importing') return;
  const holder = lockHolder(dataDir, datasetId);
  if (holder !== null && holder !== process.pid && processAlive(holder)) return;
  setDatasetState(catalog, datasetId, 'incomplete');
  releaseImportLock(dataDir, datasetId);
}
