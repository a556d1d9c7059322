/**
 * Every task kind's module, keyed by kind. The `satisfies` makes the compiler
 * list what a new kind needs: a kind in shared/vocabulary.ts without an entry
 * here, an entry whose module lacks a member, or a module filed under another
 * kind's key, is a type error. Code that depends on the kind looks its module
 * up here instead of branching on the kind.
 */
import { taskKinds, type TaskKind } from '../../../shared/vocabulary';
import { classification } from './classification';
import { detection } from './detection';
import { segmentation } from './segmentation';
import type { TaskKindModule } from './taskKindModule';

/** one module per task kind, each filed under its own kind */
export type TaskKindRegistry = { readonly [K in TaskKind]: TaskKindModule<K> };

export const taskKindModules = { classification, segmentation, detection } as const satisfies TaskKindRegistry;

type Modules = typeof taskKindModules;
/** what a forward pass returns, over all kinds (discriminated by `kind`) */
export type TaskOutput = ReturnType<Modules[TaskKind]['forward']>;
/** what inference returns for a list of images, over all kinds */
export type TaskPrediction = ReturnType<Modules[TaskKind]['emptyPrediction']>;

/** The module of a kind; a kind from outside the type system (a stored config) that has none fails here, by name. */
export function taskKindModule(kind: TaskKind): TaskKindModule {
  const module: TaskKindModule | undefined = Object.hasOwn(taskKindModules, kind) ? taskKindModules[kind] : undefined;
  if (!module) throw new Error(`unknown task kind '${String(kind)}'; the engine knows ${taskKinds.join(', ')}`);
  return module;
}
