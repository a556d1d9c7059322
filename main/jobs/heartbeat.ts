/**
 * Liveness of a training process that the current manager may not have
 * started (after an app restart): the worker rewrites heartbeat.json every few
 * seconds with its pid; a run is alive when that pid exists and the beat is
 * recent.
 */
import { readJsonFile, writeJsonAtomic } from './runFolder';

export const heartbeatIntervalMs = 2000;
/** a beat older than this means the process hangs or is gone */
export const heartbeatStaleMs = 20000;

export interface Heartbeat {
  pid: number;
  time: string;
  step: number;
}

export function writeHeartbeat(file: string, beat: Heartbeat): void {
  writeJsonAtomic(file, beat);
}

export function readHeartbeat(file: string): Heartbeat | null {
  return readJsonFile<Heartbeat>(file);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function heartbeatIsLive(beat: Heartbeat | null, now = Date.now()): boolean {
  if (!beat) return false;
  if (!isProcessAlive(beat.pid)) return false;
  return now - Date.parse(beat.time) < heartbeatStaleMs;
}
