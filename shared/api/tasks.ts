import { z } from 'zod';
import { endpoint } from './endpoint';
import { taskKinds } from '../runConfig';
import { splitNameSchema as splitSchema } from './catalog';

/**
 * A task the user defined on a catalog dataset: label type, class selection
 * (source class -> target class; a class left out is dropped, two sources with
 * one target are merged), the splits to train and validate on.
 */
export const taskDefinitionSchema = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().trim().min(1, 'a task needs a name').max(200),
    kind: z.enum(taskKinds),
    datasetId: z.number().int().positive(),
    classes: z.record(z.string(), z.string()),
    multiLabel: z.boolean(),
    trainSplit: splitSchema,
    valSplit: splitSchema,
    /** cap on training images, 0 = all */
    maxTrainImages: z.number().int().min(0),
    /** segmentation: the target class left out of the scores, null = every class scored; absent = preset from the names */
    background: z.string().min(1).nullable().optional(),
  })
  .strict();
export type TaskDefinition = z.infer<typeof taskDefinitionSchema>;

export const tasksApi = {
  'tasks/list': endpoint<TaskDefinition[]>()(z.object({}).strict()),
  /** insert or replace by id */
  'tasks/save': endpoint<TaskDefinition>()(taskDefinitionSchema),
  /** returns the deleted task so the UI can offer undo (save it again) */
  'tasks/delete': endpoint<{ deleted: TaskDefinition }>()(z.object({ id: z.string().min(1) }).strict()),
};
