import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { cliAction, portNumber, usageExitCode, type CliEnv } from './commands';
import { startServer } from '../server/createServer';
import { isLoopbackHost } from '../server/serverAuth';
import { reconcileRunsAtStart } from '../services/reconcileRuns';
import { confineFileAccess } from '../services/fileAccess';

export const defaultServerPort = 5178;

export function rendererBuildDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer');
}

export function defineServeCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('serve')
    .summary('browser/remote mode: the app and its API over HTTP + WebSocket, token-protected')
    .description('Serves the app and its API over HTTP + WebSocket (token-protected) until Ctrl-C.')
    .usage('[--host H] [--port P] [--allow-root DIR]...')
    .option('--host <H>', 'address to listen on (anything but loopback lets others reach it)', '127.0.0.1')
    .option('--allow-root <DIR>', 'a folder the API may read and write (repeatable); default with a remote --host: the data folder only', (dir: string, dirs: string[]) => [...dirs, path.resolve(dir)], [] as string[])
    .option('--port <P>', `port to listen on (default: UMEDPT_PORT, else ${defaultServerPort}, else any free one)`, portNumber);
  return cliAction(command, env, async (options: { host: string; port?: number; allowRoot: string[] }) => {
    const { io } = env;
    const { host } = options;
    const fromEnv = process.env.UMEDPT_PORT;
    const requestedPort = options.port ?? (fromEnv === undefined ? defaultServerPort : Number(fromEnv));
    if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
      io.err(`umedpt serve: UMEDPT_PORT must be an integer 0-65535, got "${String(fromEnv)}"`);
      return usageExitCode;
    }
    const staticDir = rendererBuildDir();
    if (!existsSync(path.join(staticDir, 'index.html'))) io.err(`note: no renderer build at ${staticDir}; run "npm run build:renderer" (npm start does it) — serving the API only`);
    if (!isLoopbackHost(host)) io.err(`warning: listening on ${host}: anyone who can reach this address and has the token can use the app`);
    const session = env.open();
    // remote mode: the API reads and writes files only under its roots; loopback acts for the local user
    const confined = !isLoopbackHost(host) || options.allowRoot.length > 0;
    if (confined) {
      try {
        const roots = confineFileAccess(session.ctx, options.allowRoot.length ? options.allowRoot : [session.ctx.dataDir]);
        io.err(`file access confined to: ${roots.join(', ')}`);
      } catch (error) {
        await session.close();
        io.err(`umedpt serve: --allow-root: ${(error as Error).message}`);
        return usageExitCode;
      }
    }
    reconcileRunsAtStart(session.ctx);
    const start = (port: number) => startServer({ ctx: session.ctx, handlers: session.services, staticDir: existsSync(staticDir) ? staticDir : null, host, port });
    let server;
    try {
      server = await start(requestedPort);
    } catch (error) {
      // The default port may be taken by another instance: take any free one.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port !== undefined) {
        await session.close();
        throw error;
      }
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
  });
}
