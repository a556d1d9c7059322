/** The IPC channels between main and the preload; nothing else is listened to. */
export const apiCallChannel = 'umedpt:api-call';
export const apiEventChannel = 'umedpt:api-event';
export const saveFileChannel = 'umedpt:save-file';
