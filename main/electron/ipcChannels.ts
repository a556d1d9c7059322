/** The two IPC channels between main and the preload; nothing else is listened to. */
export const apiCallChannel = 'umedpt:api-call';
export const apiEventChannel = 'umedpt:api-event';
