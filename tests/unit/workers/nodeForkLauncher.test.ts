import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeForkLauncher } from '../../../main/workers/processLauncher';

const chattyWorker = path.join(import.meta.dirname, '../../fixtures/workers/chattyWorker.mjs');

describe('createNodeForkLauncher', () => {
  it('reports the end only after every message the worker sent, with its exit code and stderr', async () => {
    const launcher = createNodeForkLauncher(() => chattyWorker);
    const stderr: string[] = [];
    const worker = launcher.launch<{ type: 'start' }, { type: 'event'; seq: number }>({ entry: 'import', args: ['2000', '3'], onStderr: (text) => stderr.push(text), ownProcessGroup: false });
    const seen: number[] = [];
    worker.onMessage((message) => seen.push(message.seq));
    const ended = new Promise<{ code: number | null; seenAtEnd: number }>((resolve) => worker.onExit((code) => resolve({ code, seenAtEnd: seen.length })));
    worker.send({ type: 'start' });
    const { code, seenAtEnd } = await ended;
    expect(code).toBe(3);
    expect(seenAtEnd).toBe(2000);
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(stderr.join('')).toContain('worker: done sending');
  });
});
