/**
 * Task definitions in the catalog's tasks table (one JSON config per task),
 * shared by every window and the CLI.
 */
import type { CatalogConnection } from './catalogConnection';
import { taskDefinitionSchema, type TaskDefinition } from '../../shared/api/tasks';

interface TaskRow {
  id: string;
  config: string;
}

/** Rows written by an older or damaged build are skipped rather than breaking the list. */
function rowToTask(row: TaskRow): TaskDefinition | null {
  try {
    const parsed = taskDefinitionSchema.safeParse(JSON.parse(row.config));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function listTasks(catalog: CatalogConnection): TaskDefinition[] {
  const rows = catalog.statement('SELECT id, config FROM tasks ORDER BY name COLLATE NOCASE, id').all() as TaskRow[];
  return rows.map(rowToTask).filter((t): t is TaskDefinition => t !== null);
}

/** The id of another task already called `name`, if any. */
export function taskNamedOtherThan(catalog: CatalogConnection, name: string, id: string): string | null {
  return (catalog.statement('SELECT id FROM tasks WHERE name = ? AND id <> ?').get(name, id) as { id: string } | undefined)?.id ?? null;
}

export function saveTask(catalog: CatalogConnection, task: TaskDefinition): void {
  catalog
    .statement('INSERT INTO tasks (id, name, dataset_id, kind, config) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, dataset_id = excluded.dataset_id, kind = excluded.kind, config = excluded.config')
    .run(task.id, task.name, task.datasetId, task.kind, JSON.stringify(task));
}

/** The task (null when absent or unreadable). */
export function getTask(catalog: CatalogConnection, id: string): TaskDefinition | null {
  const row = catalog.statement('SELECT id, config FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
  return row ? rowToTask(row) : null;
}

export function deleteTask(catalog: CatalogConnection, id: string): void {
  catalog.statement('DELETE FROM tasks WHERE id = ?').run(id);
}
