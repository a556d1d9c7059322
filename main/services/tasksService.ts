import { ApiError } from '../../shared/api/endpoint';
import { taskDefinitionSchema, type TaskDefinition } from '../../shared/api/tasks';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { catalogOf } from './catalogService';

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

/** Task definitions live in the catalog's tasks table, shared by every window and the CLI. */
export function createTasksHandlers(ctx: ServiceContext): Handlers<'tasks/list' | 'tasks/save' | 'tasks/delete'> {
  const rows = () => catalogOf(ctx).db.prepare('SELECT id, config FROM tasks ORDER BY name COLLATE NOCASE, id').all() as TaskRow[];
  return {
    'tasks/list': () => rows().map(rowToTask).filter((t): t is TaskDefinition => t !== null),
    'tasks/save': (task) => {
      const catalog = catalogOf(ctx);
      if (!catalog.getDataset(task.datasetId)) throw new ApiError('not_found', `dataset ${task.datasetId} does not exist`);
      const clash = (catalog.db.prepare('SELECT id FROM tasks WHERE name = ? AND id <> ?').get(task.name, task.id) as { id: string } | undefined) ?? null;
      if (clash) throw new ApiError('conflict', `another task is already called "${task.name}"`);
      catalog.db
        .prepare('INSERT INTO tasks (id, name, dataset_id, kind, config) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, dataset_id = excluded.dataset_id, kind = excluded.kind, config = excluded.config')
        .run(task.id, task.name, task.datasetId, task.kind, JSON.stringify(task));
      ctx.events.emit('tasks/changed', { taskId: task.id });
      return task;
    },
    'tasks/delete': ({ id }) => {
      const catalog = catalogOf(ctx);
      const row = catalog.db.prepare('SELECT id, config FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
      const task = row ? rowToTask(row) : null;
      if (!row || !task) throw new ApiError('not_found', `task ${id} does not exist`);
      catalog.db.prepare('DELETE FROM tasks WHERE id = ?').run(id);
      ctx.events.emit('tasks/changed', { taskId: id });
      return { deleted: task };
    },
  };
}
