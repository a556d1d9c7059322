#!/usr/bin/env node
// Entry of the `umedpt` command: runs the TypeScript CLI through tsx's loader,
// so `npx umedpt` works straight from an install with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

// A reader that went away (`umedpt runs | head -1`) ends the command quietly,
// with the status of a program stopped by SIGPIPE (128 + 13), instead of an
// EPIPE stack trace; Node ignores SIGPIPE, so the write error is the signal.
const closedPipeExitCode = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(closedPipeExitCode);
  });
}

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
