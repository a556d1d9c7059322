/**
 * The studies of a service context: one study manager, made on first use (so
 * `umedpt info` never touches it) and closed with the context; its progress
 * goes out as 'eval/progress'.
 */
import type { ServiceContext } from './context';
import { perContext } from './contextResource';
import { EvalJobManager } from '../studies/studyManager';

export const evalJobManager: (ctx: ServiceContext) => EvalJobManager = perContext(
  (ctx) => new EvalJobManager({ dataDir: ctx.dataDir, onProgress: (event) => ctx.events.emit('eval/progress', event) }),
  (manager) => manager.dispose(),
);
