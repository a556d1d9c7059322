import { ApiError } from '../../shared/api';
import type { ServiceContext } from './context';
import type { Handlers } from './handlers';

type RunsAction =
  | 'runs/validate'
  | 'runs/launch'
  | 'runs/list'
  | 'runs/get'
  | 'runs/pause'
  | 'runs/resume'
  | 'runs/cancel'
  | 'runs/metrics'
  | 'runs/exportEncoder'
  | 'runs/exportModel'
  | 'runs/predictions';

// Placeholder while main/jobs lands: every action answers "unavailable".
export function createRunsHandlers(_ctx: ServiceContext): Handlers<RunsAction> {
  const unavailable = (): never => {
    throw new ApiError('unavailable', 'runs: the job manager is not wired yet');
  };
  return {
    'runs/validate': unavailable,
    'runs/launch': unavailable,
    'runs/list': () => [],
    'runs/get': unavailable,
    'runs/pause': unavailable,
    'runs/resume': unavailable,
    'runs/cancel': unavailable,
    'runs/metrics': unavailable,
    'runs/exportEncoder': unavailable,
    'runs/exportModel': unavailable,
    'runs/predictions': unavailable,
  };
}
