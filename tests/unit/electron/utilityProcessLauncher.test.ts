import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createUtilityProcessLauncher } from '../../../main/electron/utilityProcessLauncher';
import type { WorkerCommand, WorkerMessage } from '../../../main/runs/workerProtocol';
import { FakeUtilityProcess } from './fakeElectron';

const entryPath = (entry: string) => `/app/dist/electron/${entry}Worker.js`;

describe('createUtilityProcessLauncher', () => {
  it('forks the bundled worker entry with its args and merged env, and maps messages, exit and kill', () => {
    const utility = new FakeUtilityProcess();
    const launched = createUtilityProcessLauncher(utility, entryPath).launch<WorkerCommand, WorkerMessage>({ entry: 'tool', args: ['export', '/runs/r1'], env: { UMEDPT_TEST_FLAG: 'on' } });
    const child = utility.children[0]!;
    expect(child.modulePath).toBe('/app/dist/electron/toolWorker.js');
    expect(child.args).toEqual(['export', '/runs/r1']);
    expect(child.options?.env?.UMEDPT_TEST_FLAG).toBe('on');
    expect(child.options?.env?.PATH).toBe(process.env.PATH);
    expect(child.options?.stdio).toBe('ignore');
    expect(launched.pid).toBe(4242);

    launched.send({ type: 'pause' });
    expect(child.posted).toEqual([{ type: 'pause' }]);

    const messages: WorkerMessage[] = [];
    launched.onMessage((m) => messages.push(m));
    const message = { type: 'log', line: 'hello' } as unknown as WorkerMessage;
    child.emit('message', message);
    expect(messages).toEqual([message]);

    const exits: Array<[number | null, string | null]> = [];
    launched.onExit((code, signal) => exits.push([code, signal]));
    child.emit('exit', 3);
    expect(exits).toEqual([[3, null]]);

    launched.kill();
    expect(child.killed).toBe(1);
  });

  it("pipes the worker's stdout and stderr into the run's log file without closing it", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'umedpt-utility-')), 'log.txt');
    const fd = openSync(file, 'a');
    const utility = new FakeUtilityProcess();
    createUtilityProcessLauncher(utility, entryPath).launch({ entry: 'training', args: [], logFd: fd });
    const child = utility.children[0]!;
    expect(child.options?.stdio).toBe('pipe');
    child.stdout.write('epoch 1\n');
    child.stderr.write('warning: slow\n');
    child.stdout.end();
    child.stderr.end();
    await vi.waitFor(() => expect(readFileSync(file, 'utf8').length).toBe('epoch 1\nwarning: slow\n'.length), { timeout: 10_000 });
    expect(readFileSync(file, 'utf8').split('\n').sort()).toEqual(['', 'epoch 1', 'warning: slow']);
    // still open: the job manager closes it
    expect(() => closeSync(fd)).not.toThrow();
  });

  it("hands an import worker's stderr to onStderr (the crash message) and starts the bundled import entry", async () => {
    const utility = new FakeUtilityProcess();
    const bundled = (entry: string) => `/app/dist/electron/${entry}Worker.js`;
    const seen: string[] = [];
    createUtilityProcessLauncher(utility, bundled).launch({ entry: 'import', args: [], onStderr: (text) => seen.push(text) });
    const child = utility.children[0]!;
    expect(child.modulePath).toBe('/app/dist/electron/importWorker.js');
    expect(child.options?.stdio).toBe('pipe');
    expect(child.options?.serviceName).toBe('UMedPT Studio import worker');
    child.stderr.write('Error: disk full\n');
    await vi.waitFor(() => expect(seen.join('')).toBe('Error: disk full\n'));
  });
});
