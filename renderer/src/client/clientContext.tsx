import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ApiAction, ApiEventName, ApiEvents, ApiRequest, ApiResponse } from '../../../shared/api';
import type { ApiClient } from './apiClient';

export const ClientContext = createContext<ApiClient | null>(null);

export function useClient(): ApiClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientContext');
  return client;
}

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** Calls an action on mount and whenever the payload (compared as JSON) changes. */
export function useQuery<K extends ApiAction>(action: K, payload: ApiRequest<K> | null): QueryState<ApiResponse<K>> {
  const client = useClient();
  const [state, setState] = useState<{ data: ApiResponse<K> | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: payload !== null });
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(payload);
  useEffect(() => {
    if (payload === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    client.call(action, payload).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState({ data: null, error: error.message, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [client, action, key, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}

export function useEvent<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): void {
  const client = useClient();
  useEffect(() => client.on(event, listener), [client, event, listener]);
}
