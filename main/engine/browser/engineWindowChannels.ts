/**
 * Names the engine window's three parts agree on, without zod (the sandboxed
 * preload imports this file and may bundle nothing heavy).
 */
/** the IPC channel main uses to hand the port to the engine window's preload */
export const engineWindowPortChannel = 'umedpt:engine-port';
/** the message the engine window's preload posts to its page, with the port attached */
export const engineWindowPortMessage = 'umedpt:engine-port';
/** where the engine page lives inside the built renderer folder (served as umedpt://app/engine/engine.html) */
export const engineWindowPath = 'engine/engine.html';
