import type { z } from 'zod';

/**
 * One API endpoint: a zod schema for the request and a phantom response type.
 * The response is a type only: it is produced by our own services, while
 * requests come from outside and are validated at every boundary.
 */
export interface Endpoint<Req extends z.ZodType, Res> {
  readonly request: Req;
  readonly response?: Res;
}

export function endpoint<Res>() {
  return <Req extends z.ZodType>(request: Req): Endpoint<Req, Res> => ({ request });
}

/** Errors cross the transports as values with a stable code. */
export type ApiErrorCode = 'invalid_request' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable' | 'internal' | 'unknown_action';

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message };
  }
}
