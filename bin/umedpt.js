#!/usr/bin/env node
// Entry of the `umedpt` command: runs the TypeScript CLI through tsx's loader,
// so `npx umedpt` works straight from an install with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
// `umedpt runs | head` closes the pipe early: end quietly instead of with an EPIPE stack trace
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const here = path.dirname(fileURLToPath(import.meta.url));
const { runCli } = await import(path.join(here, '..', 'main', 'cli.ts'));
process.exitCode = await runCli(process.argv.slice(2));
