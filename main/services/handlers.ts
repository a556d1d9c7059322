import type { ApiAction, ApiParsedRequest, ApiResponse } from '../../shared/api';

/**
 * One call as its transport sees it. signal aborts when the caller went away (an HTTP client hung up,
 * its WebSocket closed): work that only this call would read (import/detect, runs/predictions) stops.
 */
export interface ApiCall {
  signal: AbortSignal;
}

/** A call whose caller cannot go away (the CLI, Electron's IPC, tests). */
export const uncancelledCall: ApiCall = { signal: new AbortController().signal };

/** Implementation of a set of API actions. */
export type Handlers<K extends ApiAction> = {
  [P in K]: (request: ApiParsedRequest<P>, call?: ApiCall) => Promise<ApiResponse<P>> | ApiResponse<P>;
};
