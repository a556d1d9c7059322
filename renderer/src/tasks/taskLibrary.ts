import { useCallback, useEffect, useState } from 'react';
import type { TaskDraft } from './taskDraft';

const storageKey = 'umedpt.tasks';

function isDraft(value: unknown): value is TaskDraft {
  const v = value as TaskDraft;
  return !!v && typeof v.id === 'string' && typeof v.name === 'string' && typeof v.datasetId === 'number' && typeof v.classes === 'object';
}

export function loadTasks(): TaskDraft[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter(isDraft) : [];
  } catch {
    return [];
  }
}

/**
 * The user's task definitions. The API has no task store yet, so they live
 * in this window's local storage; runs keep a full copy in their config.
 */
export function useTaskLibrary() {
  const [tasks, setTasks] = useState<TaskDraft[]>(loadTasks);
  useEffect(() => {
    const onStorage = (e: StorageEvent) => e.key === storageKey && setTasks(loadTasks());
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const save = useCallback((next: TaskDraft[]) => {
    localStorage.setItem(storageKey, JSON.stringify(next));
    setTasks(next);
  }, []);
  const upsert = useCallback((task: TaskDraft) => save([...loadTasks().filter((t) => t.id !== task.id), task]), [save]);
  const remove = useCallback((id: string) => save(loadTasks().filter((t) => t.id !== id)), [save]);
  return { tasks, upsert, remove };
}

export function newTaskId(): string {
  return `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
