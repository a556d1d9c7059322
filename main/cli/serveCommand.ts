import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './commands';
import { parseFlags } from './commands';
import { startServer } from '../server/createServer';
import { isLoopbackHost } from '../server/serverAuth';
import { reconcileRunsAtStart } from '../services/reconcileRuns';

export const defaultServerPort = 5178;

export function rendererBuildDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer');
}

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'umedpt serve [--host H] [--port P]',
  summary: 'browser/remote mode: the app and its API over HTTP + WebSocket, token-protected',
  async run(args, io, open) {
    const { flags } = parseFlags(args);
    const host = typeof flags.get('host') === 'string' ? (flags.get('host') as string) : '127.0.0.1';
    const portFlag = flags.get('port');
    const requestedPort = typeof portFlag === 'string' ? Number(portFlag) : Number(process.env.UMEDPT_PORT ?? defaultServerPort);
    if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
      io.err(`umedpt serve: --port must be an integer 0-65535, got "${String(portFlag)}"`);
      return 2;
    }
    const staticDir = rendererBuildDir();
    if (!existsSync(path.join(staticDir, 'index.html'))) io.err(`note: no renderer build at ${staticDir}; run "npm run build:renderer" (npm start does it) — serving the API only`);
    if (!isLoopbackHost(host)) io.err(`warning: listening on ${host}: anyone who can reach this address and has the token can use the app`);
    const session = open();
    reconcileRunsAtStart(session.ctx);
    const start = (port: number) => startServer({ ctx: session.ctx, handlers: session.services, staticDir: existsSync(staticDir) ? staticDir : null, host, port });
    let server;
    try {
      server = await start(requestedPort);
    } catch (error) {
      // The default port may be taken by another instance: take any free one.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || typeof portFlag === 'string') throw error;
      server = await start(0);
    }
    io.out(`UMedPT Studio running at ${server.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await session.close();
    return 0;
  },
};
