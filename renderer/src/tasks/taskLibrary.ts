import { useCallback, useEffect, useState } from 'react';
import type { TaskDraft } from './taskDraft';
import { useClient, useEvent } from '../client/clientContext';

/** Where an earlier build kept tasks (this window's local storage); moved to the catalog once. */
const legacyStorageKey = 'umedpt.tasks';

function legacyTasks(): TaskDraft[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(legacyStorageKey) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as TaskDraft[]) : [];
  } catch {
    return [];
  }
}

/**
 * The user's task definitions, stored in the catalog (tasks/*) so every
 * window and the CLI see the same list. Deleting returns the task, which the
 * page keeps for undo.
 */
export function useTaskLibrary() {
  const client = useClient();
  const [tasks, setTasks] = useState<TaskDraft[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [lastDeleted, setLastDeleted] = useState<TaskDraft | null>(null);

  const reload = useCallback(async () => {
    try {
      setTasks(await client.call('tasks/list', {}));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [client]);

  useEffect(() => {
    void (async () => {
      const legacy = legacyTasks();
      for (const task of legacy) await client.call('tasks/save', task).catch(() => undefined);
      if (legacy.length) localStorage.removeItem(legacyStorageKey);
      await reload();
    })();
  }, [client, reload]);
  useEvent('tasks/changed', useCallback(() => void reload(), [reload]));

  const upsert = useCallback(
    async (task: TaskDraft) => {
      try {
        await client.call('tasks/save', task);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
      await reload();
    },
    [client, reload],
  );
  const remove = useCallback(
    async (id: string) => {
      try {
        const { deleted } = await client.call('tasks/delete', { id });
        setLastDeleted(deleted);
      } catch (e) {
        setError((e as Error).message);
      }
      await reload();
    },
    [client, reload],
  );
  const undoDelete = useCallback(async () => {
    if (!lastDeleted) return;
    setLastDeleted(null);
    await upsert(lastDeleted);
  }, [lastDeleted, upsert]);
  return { tasks, upsert, remove, error, lastDeleted, undoDelete };
}

export function newTaskId(): string {
  return `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
