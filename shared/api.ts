/**
 * The whole API of UMedPT Studio: domain endpoints keyed "domain/action",
 * each with a zod request schema and a response type, and the event streams.
 * main/services implements it once; Electron IPC and the HTTP/WebSocket server
 * carry it; the renderer's client calls it.
 */
import type { z } from 'zod';
import { systemApi } from './api/system';
import { settingsApi } from './api/settings';
import { runsApi } from './api/runs';
import { catalogApi } from './api/catalog';
import { tasksApi } from './api/tasks';
import { importApi } from './api/import';
import { evalApi } from './api/eval';
import { demoApi } from './api/demo';
import { clusterApi } from './api/cluster';

export const api = {
  ...systemApi,
  ...settingsApi,
  ...runsApi,
  ...catalogApi,
  ...tasksApi,
  ...importApi,
  ...evalApi,
  ...demoApi,
  ...clusterApi,
} as const;

export type Api = typeof api;
export type ApiAction = keyof Api;
export type ApiRequest<K extends ApiAction> = z.input<Api[K]['request']>;
export type ApiParsedRequest<K extends ApiAction> = z.output<Api[K]['request']>;
export type ApiResponse<K extends ApiAction> = NonNullable<Api[K]['response']>;

export function isApiAction(name: string): name is ApiAction {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export * from './api/endpoint';
export * from './api/events';
export * from './api/system';
export * from './api/settings';
export * from './api/runs';
export * from './api/catalog';
export * from './api/import';
export * from './api/eval';
export * from './api/tasks';
export * from './api/demo';
export * from './api/cluster';
