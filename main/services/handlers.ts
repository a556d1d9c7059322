import type { ApiAction, ApiParsedRequest, ApiResponse } from '../../shared/api';

/** Implementation of a set of API actions. */
export type Handlers<K extends ApiAction> = {
  [P in K]: (request: ApiParsedRequest<P>) => Promise<ApiResponse<P>> | ApiResponse<P>;
};
