import type { ServiceContext } from './context';

/**
 * A resource each service context holds once (catalog connection, job
 * managers): made on first use, so `umedpt info` opens none of them, and
 * closed with the context (disposers run last-made first, so a manager is
 * closed before the catalog it writes to).
 */
export function perContext<T>(create: (ctx: ServiceContext) => T, close: (resource: T) => void | Promise<void>): (ctx: ServiceContext) => T {
  const made = new WeakMap<ServiceContext, T>();
  return (ctx) => {
    const existing = made.get(ctx);
    if (existing !== undefined) return existing;
    const resource = create(ctx);
    made.set(ctx, resource);
    ctx.disposers.push(async () => {
      made.delete(ctx);
      await close(resource);
    });
    return resource;
  };
}
