/**
 * The save dialog behind the preload bridge, wired to thin fakes of ipcMain and
 * dialog (the Electron binary cannot run here): the real write into a real
 * temporary folder, the sender and the payload checked before the dialog opens.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveFileChannel } from '../../../main/electron/ipcChannels';
import { registerSaveFileIpc } from '../../../main/electron/saveFileIpc';
import { maxSaveFileBytes } from '../../../shared/saveFile';
import { FakeBrowserWindow, FakeDialog, FakeIpcMain } from './fakeElectron';

const appPage = 'umedpt://app/index.html';

function setup() {
  const ipcMain = new FakeIpcMain();
  const dialog = new FakeDialog();
  const window = new FakeBrowserWindow({} as never);
  const refused: string[] = [];
  const unregister = registerSaveFileIpc(ipcMain, dialog, () => window, { onRefused: (r) => refused.push(r) });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'umedpt-save-'));
  return { ipcMain, dialog, window, refused, unregister, dir };
}

const report = { fileName: 'study-report.html', mime: 'text/html', bytes: new TextEncoder().encode('<!doctype html><p>report</p>') };

describe('save dialog over IPC', () => {
  it('asks where to save, with the file name and its type, and writes the bytes there', async () => {
    const { ipcMain, dialog, window, dir } = setup();
    dialog.answer = path.join(dir, 'my report.html');
    expect(await ipcMain.invoke(saveFileChannel, appPage, report)).toEqual({ saved: true, path: dialog.answer });
    expect(readFileSync(dialog.answer, 'utf8')).toBe('<!doctype html><p>report</p>');
    expect(dialog.saveDialogs).toHaveLength(1);
    expect(dialog.saveDialogs[0]!.window).toBe(window);
    expect(dialog.saveDialogs[0]!.options).toEqual({ title: 'Save study-report.html', defaultPath: 'study-report.html', filters: [{ name: 'HTML file', extensions: ['html'] }] });
  });

  it("saves a run's encoder zip (the Results page's export) byte for byte, offering a ZIP filter", async () => {
    const { ipcMain, dialog, dir } = setup();
    dialog.answer = path.join(dir, 'journey run-encoder.zip');
    const zip = new Uint8Array(300_000).map((_, i) => (i * 31) % 256);
    expect(await ipcMain.invoke(saveFileChannel, appPage, { fileName: 'journey run-encoder.zip', mime: 'application/zip', bytes: zip })).toEqual({ saved: true, path: dialog.answer });
    expect(Buffer.compare(readFileSync(dialog.answer), Buffer.from(zip))).toBe(0);
    expect(dialog.saveDialogs[0]!.options).toEqual({ title: 'Save journey run-encoder.zip', defaultPath: 'journey run-encoder.zip', filters: [{ name: 'ZIP file', extensions: ['zip'] }] });
  });

  it('writes nothing when the user cancels', async () => {
    const { ipcMain, dialog, dir } = setup();
    dialog.answer = null;
    expect(await ipcMain.invoke(saveFileChannel, appPage, report)).toEqual({ saved: false, reason: 'cancelled' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a sender that is not the app page before any dialog opens', async () => {
    const { ipcMain, dialog, refused } = setup();
    await expect(ipcMain.invoke(saveFileChannel, 'https://evil.example/', report)).rejects.toThrow(/IPC call refused: sender "https:\/\/evil.example\/" is not umedpt:\/\/app/);
    await expect(ipcMain.invoke(saveFileChannel, null, report)).rejects.toThrow(/the sending frame is gone/);
    expect(refused).toHaveLength(2);
    expect(dialog.saveDialogs).toHaveLength(0);
  });

  it('refuses a bad request, naming the field, before any dialog opens', async () => {
    const { ipcMain, dialog } = setup();
    const bad = [
      [{ ...report, fileName: '../../etc/passwd' }, /fileName: a plain file name/],
      [{ ...report, fileName: 'C:evil.html' }, /fileName/],
      [{ ...report, fileName: '' }, /fileName/],
      [{ ...report, fileName: 'bell\u0007.html' }, /fileName/],
      [{ ...report, bytes: 'not bytes' }, /bytes/],
      [{ ...report, bytes: { byteLength: maxSaveFileBytes + 1 } }, /bytes/],
      [{ ...report, extra: 1 }, /extra/],
      ['a string', /request/],
    ] as const;
    for (const [request, problem] of bad) {
      const result = (await ipcMain.invoke(saveFileChannel, appPage, request)) as { saved: boolean; reason: string; message: string };
      expect(result).toMatchObject({ saved: false, reason: 'failed' });
      expect(result.message).toMatch(problem);
    }
    expect(dialog.saveDialogs).toHaveLength(0);
  });

  it('reports a failed write with the chosen path, leaving no file', async () => {
    const { ipcMain, dialog, dir } = setup();
    // the chosen path is a folder: the write cannot replace it
    dialog.answer = dir;
    const result = (await ipcMain.invoke(saveFileChannel, appPage, report)) as { saved: boolean; message: string };
    expect(result).toMatchObject({ saved: false, reason: 'failed' });
    expect(result.message).toContain(dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('registers one channel and removes it again', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()]).toEqual([saveFileChannel]);
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
