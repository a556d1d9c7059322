import type { Catalog } from '../../../main/catalog/openCatalog';
import { buildImportPlan, type PlanRequest } from '../../../main/importers/buildImportPlan';
import { datasetForPlan, runImport, type ImportRunResult } from '../../../main/importers/importRunner';
import { importOptionsSchema } from '../../../shared/api/import';

/** Plans and runs an import in this process (the job manager runs the same code in a child). */
export async function importHere(catalog: Catalog, request: PlanRequest): Promise<ImportRunResult> {
  const options = importOptionsSchema.parse(request.options ?? {});
  const plan = await buildImportPlan(request);
  const { datasetId } = datasetForPlan(catalog, plan, options);
  return runImport(catalog, plan, datasetId, options);
}

export function reportOf(result: ImportRunResult, pathEnd: string) {
  const found = result.files.find((f) => f.path.endsWith(pathEnd));
  if (!found) throw new Error(`no report for ${pathEnd}; have ${result.files.map((f) => f.path).join(', ')}`);
  return found;
}
