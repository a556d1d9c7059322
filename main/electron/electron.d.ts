/**
 * Ambient types for the optional `electron` package, limited to what
 * main.ts and preload.ts import. The Electron binary (and with it the real
 * typings) cannot be installed on the build machines; the shapes live in
 * electronApi.ts so the wiring stays testable with fakes.
 */
/* eslint-disable @typescript-eslint/consistent-type-imports -- a top-level import would turn this ambient declaration into an augmentation of a module that is not installed */
declare module 'electron' {
  export const app: import('./electronApi').AppLike;
  export const BrowserWindow: import('./electronApi').BrowserWindowConstructorLike;
  export const ipcMain: import('./electronApi').IpcMainLike;
  export const ipcRenderer: import('./electronApi').IpcRendererLike;
  export const contextBridge: import('./electronApi').ContextBridgeLike;
  export const protocol: import('./electronApi').ProtocolLike;
  export const session: { readonly defaultSession: import('./electronApi').SessionLike };
  export const shell: import('./electronApi').ShellLike;
  export const dialog: import('./electronApi').DialogLike;
  export const utilityProcess: import('./electronApi').UtilityProcessLike;
  export const MessageChannelMain: import('./electronApi').MessageChannelMainConstructorLike;
}
