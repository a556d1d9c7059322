import { ApiError } from '../../shared/api';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';
import { StudyConflictError, StudyNotFoundError } from '../studies/studyManager';
import { evalJobManager } from './studyRuntime';
import { checkStudyConfig } from '../studies/checkStudyConfig';
import { catalogOf } from './catalogService';
import { allowedPath } from './fileAccess';

type EvalAction = 'eval/launch' | 'eval/list' | 'eval/get' | 'eval/cancel' | 'eval/results';

/** Job-manager errors as API errors with stable codes. */
function apiErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof StudyNotFoundError) throw new ApiError('not_found', error.message);
    if (error instanceof StudyConflictError) throw new ApiError('conflict', error.message);
    if (error instanceof Error && /is not a study id/.test(error.message)) throw new ApiError('invalid_request', error.message);
    throw error;
  }
}

export function createEvalHandlers(ctx: ServiceContext): Handlers<EvalAction> {
  const manager = () => evalJobManager(ctx);
  return {
    'eval/launch': ({ config }) => {
      for (const encoder of config.encoders) if (encoder.kind === 'exported') allowedPath(ctx, encoder.dir, 'exported encoder folder');
      const problems = checkStudyConfig(config, ctx.dataDir, () => catalogOf(ctx));
      if (problems.length) throw new ApiError('invalid_request', `the study configuration has ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
      return manager().launch(config);
    },
    'eval/list': () => manager().list(),
    'eval/get': ({ id }) => apiErrors(() => manager().get(id)),
    'eval/cancel': ({ id }) => apiErrors(() => manager().cancel(id)),
    'eval/results': ({ id }) => apiErrors(() => manager().results(id)),
  };
}
