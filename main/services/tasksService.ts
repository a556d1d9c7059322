import { ApiError } from '../../shared/api/endpoint';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { catalogOf } from './catalogService';
import { deleteTask, getTask, listTasks, saveTask, taskNamedOtherThan } from '../catalog/taskQueries';

/** Task definitions live in the catalog's tasks table, shared by every window and the CLI. */
export function createTasksHandlers(ctx: ServiceContext): Handlers<'tasks/list' | 'tasks/save' | 'tasks/delete'> {
  return {
    'tasks/list': () => listTasks(catalogOf(ctx)),
    'tasks/save': (task) => {
      const catalog = catalogOf(ctx);
      if (!catalog.getDataset(task.datasetId)) throw new ApiError('not_found', `dataset ${task.datasetId} does not exist`);
      if (taskNamedOtherThan(catalog, task.name, task.id)) throw new ApiError('conflict', `another task is already called "${task.name}"`);
      saveTask(catalog, task);
      ctx.events.emit('tasks/changed', { taskId: task.id });
      return task;
    },
    'tasks/delete': ({ id }) => {
      const catalog = catalogOf(ctx);
      const task = getTask(catalog, id);
      if (!task) throw new ApiError('not_found', `task ${id} does not exist`);
      deleteTask(catalog, id);
      ctx.events.emit('tasks/changed', { taskId: id });
      return { deleted: task };
    },
  };
}
