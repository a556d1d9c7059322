import { ApiError, api, isApiAction, type ApiAction, type ApiErrorPayload } from '../../shared/api';
import { uncancelledCall, type ApiCall, type Handlers } from './handlers';

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

/** Readable one-line message from a zod error: "field: problem; other: problem". */
export function describeZodIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

/**
 * The one entry every transport uses: look up the action, validate the
 * payload with its schema, run the handler, turn failures into values.
 */
export async function dispatch(handlers: Handlers<ApiAction>, action: string, payload: unknown, call: ApiCall = uncancelledCall): Promise<DispatchResult> {
  if (!isApiAction(action)) return { ok: false, error: { code: 'unknown_action', message: `unknown action "${action}"` } };
  const parsed = api[action].request.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid_request', message: `${action}: ${describeZodIssues(parsed.error.issues)}` } };
  }
  try {
    const handler = handlers[action] as (request: unknown, call: ApiCall) => unknown;
    return { ok: true, value: await handler(parsed.data, call) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.toPayload() };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message } };
  }
}

export function httpStatusFor(code: ApiErrorPayload['code']): number {
  switch (code) {
    case 'invalid_request':
      return 400;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'unknown_action':
      return 404;
    case 'conflict':
      return 409;
    case 'unavailable':
      return 503;
    default:
      return 500;
  }
}
