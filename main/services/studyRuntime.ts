/**
 * One eval job manager per service context, created on first use (so
 * `umedpt info` never touches it) and closed with the context; its progress
 * goes out as 'eval/progress'.
 */
import type { ServiceContext } from './context';
import { EvalJobManager } from '../studies/studyManager';

const managers = new WeakMap<ServiceContext, EvalJobManager>();

export function evalJobManager(ctx: ServiceContext): EvalJobManager {
  let manager = managers.get(ctx);
  if (manager) return manager;
  const created = new EvalJobManager({ dataDir: ctx.dataDir, onProgress: (event) => ctx.events.emit('eval/progress', event) });
  managers.set(ctx, created);
  ctx.disposers.push(async () => {
    await created.close();
    managers.delete(ctx);
  });
  manager = created;
  return manager;
}
